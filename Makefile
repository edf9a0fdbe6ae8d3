# sshfix — see README.md. `make` builds build/sshfix; `make check` runs
# every test and ends with one line "N passed, N failed".

CC	?= cc
PKG_CONFIG ?= pkg-config
PREFIX	?= /usr/local

CSTD	 = -std=c11 -D_GNU_SOURCE
WARN	 = -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
	   -Wmissing-prototypes -Wformat=2
CFLAGS	?= -O2 -g
CPPFLAGS += -Iinclude
ARCHIVE_CFLAGS := $(shell $(PKG_CONFIG) --cflags libarchive 2>/dev/null)
ARCHIVE_LIBS   := $(shell $(PKG_CONFIG) --libs libarchive 2>/dev/null)
CMOCKA_CFLAGS  := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

B	 = build
SRC	 = $(wildcard src/*.c)
FIXES	 = $(wildcard fixes/*.c)
LIBSRC	 = $(filter-out src/main.c,$(SRC)) $(FIXES)
LIBOBJ	 = $(LIBSRC:%.c=$(B)/%.o)
UNIT	 = $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))

ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) $(ARCHIVE_CFLAGS)

.PHONY: all check deps clean unit integration

all: $(B)/sshfix

$(B)/%.o: %.c $(wildcard include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libsshfix.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/sshfix: $(B)/src/main.o $(B)/libsshfix.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(ARCHIVE_LIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/fixture.h $(B)/libsshfix.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/unit -o $@ $< \
	    $(B)/libsshfix.a $(CMOCKA_LIBS) $(ARCHIVE_LIBS)

unit: $(UNIT)

check: $(B)/sshfix $(UNIT)
	@sh tests/run.sh $(B)

deps:
	@sh tests/deps.sh

clean:
	rm -rf $(B)
