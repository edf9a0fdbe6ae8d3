# sshfix — see README.md. `make` builds build/sshfix; `make check` runs
# every test and ends with one line "N passed, N failed".

CC	?= cc
PKG_CONFIG ?= pkg-config
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec
SYSCONFDIR ?= /etc
DATADIR	?= $(PREFIX)/share
MANDIR	?= $(DATADIR)/man
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
VERSION	 = $(shell sed -n 's/^\#define SSHFIX_VERSION "\(.*\)"/\1/p' include/util.h)

CSTD	 = -std=c11 -D_GNU_SOURCE
WARN	 = -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
	   -Wmissing-prototypes -Wformat=2
CFLAGS	?= -O2 -g
CPPFLAGS += -Iinclude
ARCHIVE_CFLAGS := $(shell $(PKG_CONFIG) --cflags libarchive 2>/dev/null)
# libarchive is loaded with dlopen when a snapshot is needed (see
# src/snapshot/archive_dl.c): only its headers are used at build time.
ARCHIVE_LIBS   := -ldl
# vis(3) from libbsd escapes foreign bytes in every output; libmd's SHA-256
# seals snapshots.
BSD_CFLAGS     := $(shell $(PKG_CONFIG) --cflags libbsd libmd 2>/dev/null)
BSD_LIBS       := $(shell $(PKG_CONFIG) --libs libbsd libmd 2>/dev/null || echo -lbsd -lmd)
# The journal reader (src/target/logs/journal.c) loads libsystemd with dlopen
# when a target has a journal; without libsystemd's headers it is left
# out and says so in a note.
JOURNAL_CFLAGS := $(shell $(PKG_CONFIG) --exists libsystemd 2>/dev/null && \
		  echo -DHAVE_SD_JOURNAL $$($(PKG_CONFIG) --cflags libsystemd))
# SELinux labels (src/os/selabel.c): libselinux is loaded with dlopen by
# sshfix's sandboxed lookup helper; without its headers labels are not
# judged and the report says so.
SELINUX_CFLAGS := $(shell $(PKG_CONFIG) --exists libselinux 2>/dev/null && \
		  echo -DHAVE_SELINUX $$($(PKG_CONFIG) --cflags libselinux))
# fail2ban's database (src/os/f2bdb.c): libsqlite3 is loaded with dlopen by
# sshfix's sandboxed reader; without its headers the database is not read
# and the report says so.
SQLITE_CFLAGS  := $(shell $(PKG_CONFIG) --exists sqlite3 2>/dev/null && \
		  echo -DHAVE_SQLITE $$($(PKG_CONFIG) --cflags sqlite3))
CMOCKA_CFLAGS  := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

# make check SANITIZE=1: the program and the unit tests built with ASan
# and UBSan into their own directory, and run with leak detection on.
SANITIZE ?= 0
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
ifeq ($(SANITIZE),1)
B	 = build-san
ALL_SAN	 = $(SAN_FLAGS)
else
B	 = build
ALL_SAN	 =
endif
# src/ by layer (README "Layout"): the shared base on top, os/, target/
# (read the target, in sub-folders), plan/, report/, snapshot/, exec/
# (change it); fixes/ beside it. include/ mirrors it.
SRC	 = $(wildcard src/*.c src/*/*.c src/*/*/*.c)
HDRS	 = $(wildcard include/*.h include/*/*.h include/*/*/*.h)
FIXES	 = $(wildcard fixes/*.c)
LIBSRC	 = $(filter-out src/main.c,$(SRC)) $(FIXES)
LIBOBJ	 = $(LIBSRC:%.c=$(B)/%.o)
UNIT	 = $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))

ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(ALL_SAN) $(CPPFLAGS) \
	   $(ARCHIVE_CFLAGS) $(BSD_CFLAGS) $(JOURNAL_CFLAGS) $(SELINUX_CFLAGS) \
	   $(SQLITE_CFLAGS)
# zlib reads the target's rotated .gz logs (src/target/logs/logscan.c);
# expat firewalld's XML (src/target/net/firewalld.c), but not in make
# static: it would take the binary past 2 MB, and there firewalld is a
# "cannot tell".
LIBS	 = $(ARCHIVE_LIBS) $(BSD_LIBS) -lexpat -lz

.PHONY: all check check-versions check-differential check-distros check-fresh deps build-deps clean unit install uninstall \
	deb rpm bench fuzz static release

all: $(B)/sshfix

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libsshfix.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/sshfix: $(B)/src/main.o $(B)/libsshfix.a
	$(CC) $(CFLAGS) $(ALL_SAN) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/fixture.h $(B)/libsshfix.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/unit -o $@ $< \
	    $(B)/libsshfix.a $(CMOCKA_LIBS) $(LIBS)

unit: $(UNIT)

# make static: build/sshfix-static, one stripped binary with libarchive
# linked in (no dlopen, no NSS, no shared library at all) for rescue
# systems whose glibc or libarchive is too old or missing. Debian's .a
# files; section GC keeps only what the program calls. The formats used
# (pax, mtree; no compression) need only libacl and nettle of libarchive's
# dependencies: a link error names any other one a change starts to need.
# A glibc function that needs NSS at run time (getpwnam, getaddrinfo...)
# warns at link time, and --fatal-warnings makes that an error.
SB	 = build/static
STATIC_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) $(ARCHIVE_CFLAGS) \
	   $(BSD_CFLAGS) -DSSHFIX_STATIC -DLIBARCHIVE_STATIC \
	   -ffunction-sections -fdata-sections
STATIC_LDFLAGS = -static -Wl,--gc-sections -Wl,--fatal-warnings
STATIC_LIBS = -Wl,--start-group -larchive -lacl -lnettle -lbsd -lmd -lz \
	   -Wl,--end-group

$(SB)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(STATIC_CFLAGS) -c -o $@ $<

# The static archives it links; a missing one is named, with its remedy,
# before the link (not a bare "cannot find -lacl").
STATIC_AR = libc.a libarchive.a libacl.a libnettle.a libbsd.a libmd.a libz.a

build/sshfix-static: $(SRC:%.c=$(SB)/%.o) $(FIXES:%.c=$(SB)/%.o)
	@for a in $(STATIC_AR); do \
	    [ "$$($(CC) -print-file-name=$$a)" != "$$a" ] || { \
	    echo "make static: $$a not found: make build-deps installs the" \
	        "static archives (libc6-dev libarchive-dev libacl1-dev" \
	        "nettle-dev libbsd-dev libmd-dev zlib1g-dev)" >&2; exit 2; }; \
	done
	$(CC) $(CFLAGS) $(LDFLAGS) $(STATIC_LDFLAGS) -o $@ $^ $(STATIC_LIBS)
	strip $@

static: build/sshfix-static

# make release: the static binary under the name cloud-init pins, and its
# sha256 (sha256sum -c format).
REL	 = build/release/sshfix-$(VERSION)-linux-x86_64

release: build/sshfix-static
	@mkdir -p build/release
	cp build/sshfix-static $(REL)
	cd build/release && sha256sum $(notdir $(REL)) >$(notdir $(REL)).sha256
	@ls $(REL) $(REL).sha256

# A sanitizer report exits 99 and leaves a log that tests/run.sh counts
# as a failure; LSan ignores only leaks inside the libraries named in
# tests/lsan.supp.
SAN_ENV	 = SSHFIX_SANITIZE=1 \
	   ASAN_OPTIONS=detect_leaks=1:exitcode=99 \
	   LSAN_OPTIONS=exitcode=99:suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	   UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99

check: $(B)/sshfix $(UNIT) $(if $(ALL_SAN),build/sshfix)
	@$(if $(ALL_SAN),$(SAN_ENV)) sh tests/run.sh $(B)

# The SELinux label, firewall and fail2ban helpers (src/os/selabel.c,
# fwjudge.c, f2bdb.c) are
# sshfix run again in the
# sandbox, whose address-space limit ASan cannot live under: a sanitized
# sshfix runs the plain build's as its helper.
ifeq ($(SANITIZE),1)
$(B)/src/os/selabel.o $(B)/src/os/fwjudge.o $(B)/src/os/f2bdb.o: \
	ALL_CFLAGS += -DSELABEL_HELPER_PATH='"$(CURDIR)/build/sshfix"' \
	-DF2B_HELPER_PATH='"$(CURDIR)/build/sshfix"'
build/sshfix: FORCE
	$(MAKE) SANITIZE=0 build/sshfix
FORCE:
endif

# Not part of check: the e2e scenarios against each upstream OpenSSH
# release (built once into /var/cache/sshfix-test) and this host's sshd.
check-versions: $(B)/sshfix
	@sh tests/run.sh $(B) versions

# Not part of check (CI runs it): tests/differential with DIFF_COUNT
# (1000) generated setups against the host's sshd and each release; make
# check runs 40 of them against the host's.
DIFF_COUNT ?= 1000
check-differential: $(B)/sshfix
	@DIFF_COUNT=$(DIFF_COUNT) sh tests/run.sh $(B) differential

# Not part of check (CI runs it): tests/distros, sshfix on real Debian
# 11, 12 and 13 roots (mmdebstrap from Debian's archive, cached in
# /var/cache/sshfix-test/distros) judged by each root's own sshd.
check-distros: $(B)/sshfix
	@sh tests/run.sh $(B) distros

# Not part of check (CI runs it): the README's two commands on a fresh
# minimal Debian 12 root that mmdebstrap builds, in namespaces.
check-fresh:
	@sh tests/fresh/fresh.sh

deps:
	@sh tests/deps.sh all

build-deps:
	@sh tests/deps.sh build

# Not part of check: timings against the bare-syscall floor.
bench: $(B)/sshfix
	@sh tests/bench/bench.sh $(B)

CLOUD	 = packaging/cloud-init
# Configuration-management guards around sshfix --preflight.
EXAMPLES = ansible/sshd.yml ansible/sshd_config.j2 salt/sshd.sls \
	   puppet/sshd.pp git/pre-commit
EXDIR	 = $(DATADIR)/sshfix/examples

# boothook.sh is user data to paste, not run here (no shebang): 0644.
# SYSCONFDIR/sshfix holds the boot unit's trigger: uninstall keeps it
# when a trigger is still there.
install: $(B)/sshfix
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(SYSTEMDDIR) \
	    $(DESTDIR)$(DATADIR)/sshfix/cloud-init \
	    $(DESTDIR)$(LIBEXECDIR)/sshfix
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/sshfix
	install -m 0755 $(B)/sshfix $(DESTDIR)$(SBINDIR)/sshfix
	install -m 0644 packaging/sshfix.8 $(DESTDIR)$(MANDIR)/man8/sshfix.8
	install -m 0644 packaging/sshfix.bash-completion \
	    $(DESTDIR)$(BASHCOMPDIR)/sshfix
	sed -e 's|@SBINDIR@|$(SBINDIR)|' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|' \
	    packaging/systemd/sshfix-auto-repair.service \
	    >$(DESTDIR)$(SYSTEMDDIR)/sshfix-auto-repair.service
	chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/sshfix-auto-repair.service
	sed 's|@SBINDIR@|$(SBINDIR)|' packaging/systemd/sshfix-auto-repair \
	    >$(DESTDIR)$(LIBEXECDIR)/sshfix/auto-repair
	chmod 0755 $(DESTDIR)$(LIBEXECDIR)/sshfix/auto-repair
	install -m 0644 $(CLOUD)/user-data.yaml \
	    $(DESTDIR)$(DATADIR)/sshfix/cloud-init/user-data.yaml
	install -m 0644 $(CLOUD)/boothook.sh \
	    $(DESTDIR)$(DATADIR)/sshfix/cloud-init/boothook.sh
	install -m 0755 $(CLOUD)/per-boot-sshfix.sh \
	    $(DESTDIR)$(DATADIR)/sshfix/cloud-init/
	install -m 0644 packaging/sshfix.schema.json \
	    $(DESTDIR)$(DATADIR)/sshfix/sshfix.schema.json
	for f in $(EXAMPLES); do \
	    install -D -m 0644 packaging/examples/$$f $(DESTDIR)$(EXDIR)/$$f || \
	    exit 1; done
	chmod 0755 $(DESTDIR)$(EXDIR)/git/pre-commit

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/sshfix $(DESTDIR)$(MANDIR)/man8/sshfix.8 \
	    $(DESTDIR)$(BASHCOMPDIR)/sshfix \
	    $(DESTDIR)$(SYSTEMDDIR)/sshfix-auto-repair.service \
	    $(DESTDIR)$(LIBEXECDIR)/sshfix/auto-repair \
	    $(DESTDIR)$(DATADIR)/sshfix/cloud-init/user-data.yaml \
	    $(DESTDIR)$(DATADIR)/sshfix/cloud-init/boothook.sh \
	    $(DESTDIR)$(DATADIR)/sshfix/cloud-init/per-boot-sshfix.sh \
	    $(DESTDIR)$(DATADIR)/sshfix/sshfix.schema.json \
	    $(EXAMPLES:%=$(DESTDIR)$(EXDIR)/%)
	-rmdir $(DESTDIR)$(EXDIR)/ansible $(DESTDIR)$(EXDIR)/salt \
	    $(DESTDIR)$(EXDIR)/puppet $(DESTDIR)$(EXDIR)/git $(DESTDIR)$(EXDIR)
	-rmdir $(DESTDIR)$(DATADIR)/sshfix/cloud-init $(DESTDIR)$(DATADIR)/sshfix \
	    $(DESTDIR)$(LIBEXECDIR)/sshfix
	-rmdir $(DESTDIR)$(SYSCONFDIR)/sshfix

# Packages are built from a copy of the tree, with packaging/debian as
# debian/ (the source tree keeps its top level as it is).
DEBTREE	 = $(B)/deb/sshfix-$(VERSION)

deb:
	rm -rf $(B)/deb
	mkdir -p $(DEBTREE)
	tar --exclude='./build*' --exclude=./.git -cf - . | tar -C $(DEBTREE) -xf -
	cp -r packaging/debian $(DEBTREE)/debian
	cd $(DEBTREE) && dpkg-buildpackage -us -uc -b
	@ls $(B)/deb/*.deb

RPMTOP	 = $(CURDIR)/$(B)/rpm

rpm:
	rm -rf $(RPMTOP)
	mkdir -p $(RPMTOP)/SOURCES $(RPMTOP)/src/sshfix-$(VERSION)
	tar --exclude='./build*' --exclude=./.git -cf - . | \
	    tar -C $(RPMTOP)/src/sshfix-$(VERSION) -xf -
	tar -C $(RPMTOP)/src -czf $(RPMTOP)/SOURCES/sshfix-$(VERSION).tar.gz \
	    sshfix-$(VERSION)
	rpmbuild --define '_topdir $(RPMTOP)' $(RPMFLAGS) -bb \
	    packaging/rpm/sshfix.spec
	@find $(RPMTOP)/RPMS -name '*.rpm'

# make fuzz: libFuzzer harnesses (tests/fuzz/fuzz_*.c) over library
# objects rebuilt with clang and the sanitizers into build-fuzz/, each run
# for FUZZ_SECONDS on its seed corpus (tests/fuzz/corpus/NAME/).
FUZZ_CC	 ?= clang
FUZZ_SECONDS ?= 20
FUZZ_RSS_MB ?= 2048
FZ	 = build-fuzz
FUZZ_CFLAGS = $(CSTD) $(WARN) -g -O1 $(SAN_FLAGS) $(CPPFLAGS) \
	   $(ARCHIVE_CFLAGS) $(BSD_CFLAGS)
FUZZ_BIN = $(patsubst tests/fuzz/%.c,$(FZ)/%,$(wildcard tests/fuzz/fuzz_*.c))

$(FZ)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FZ)/libsshfix.a: $(LIBSRC:%.c=$(FZ)/%.o)
	rm -f $@
	ar rcs $@ $^

$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FZ)/libsshfix.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< \
	    $(FZ)/libsshfix.a $(LIBS)

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FZ) $(FUZZ_SECONDS) $(FUZZ_RSS_MB)

clean:
	rm -rf build build-san $(FZ)
