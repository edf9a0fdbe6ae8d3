#!/bin/sh
# make deps: install what building and testing sshfix need (apt or dnf).
# make build-deps (argument "build"): only what building it needs, for a
# machine that is to be diagnosed, not to run the test suite.
set -eu
what=${1:-all}

if [ "$(id -u)" -ne 0 ]; then
	echo "make deps: run as root (sudo make deps)" >&2
	exit 2
fi
# autoconf ... libssl-dev build upstream OpenSSH releases for the tests
# that run them (tests/versions/openssh.sh).
# libsystemd-dev: the journal reader's headers (src/target/logs/journal.c loads
# libsystemd itself with dlopen); libselinux1-dev the same for the SELinux
# label helper (src/os/selabel.c), and libsqlite3-dev for fail2ban's
# database reader (src/os/f2bdb.c); libexpat1-dev firewalld's zones
# (src/target/net/firewalld.c), linked. policycoreutils' setfiles is the oracle
# of tests/integration/t_selinux.sh. nftables and iptables: the loaders
# the firewall judge runs (src/os/fwjudge_helper.c) in
# tests/integration/t_firewall.sh (neither enables a service).
# libacl1-dev and nettle-dev: the static archives make static links
# (tests/packaging/t_static.sh), beside libarchive-dev's libarchive.a:
# in the build set, so that make static works right after make
# build-deps.
# ansible-core, puppet-agent, git and python3-yaml run the examples of
# packaging/examples (tests/integration/t_integrations.sh); Debian's
# puppet-agent installs its agent service disabled.
# cloud-init is here only to validate the cloud-config example: if this
# installs it, it is disabled at boot so that it never acts on the machine.
had_cloud_init=no
[ -e /etc/cloud ] && had_cloud_init=yes

APT_BUILD="gcc make pkg-config libc6-dev libarchive-dev libarchive13
    libbsd-dev libmd-dev zlib1g-dev libsystemd-dev openssh-client
    libacl1-dev nettle-dev libselinux1-dev libsqlite3-dev libexpat1-dev"
# curl fetches the binary in the boot-script tests (tests/integration/
# t_boot.sh), as the boot script does, and wget where there is no curl;
# tmux shows the text report on an 80-column console
# (tests/integration/t_console.sh); mmdebstrap builds
# the fresh Debian root of make check-fresh (tests/fresh/fresh.sh); GNU
# time measures the memory of a run (tests/security/t_disk_budget.sh); jq
# reads the JSON report in the differential test (tests/differential);
# sqlite3 writes the hand-made and hostile rows of fail2ban's databases
# (tests/integration/t_fail2ban.sh).
APT_TEST="libcmocka-dev openssh-server util-linux procps iproute2 perl strace jq
    curl wget tmux mmdebstrap time
    python3 python3-jsonschema build-essential dpkg-dev debhelper rpm mandoc
    cloud-init systemd lintian rpmlint ansible-core puppet-agent git python3-yaml
    clang libclang-rt-dev autoconf automake zlib1g-dev libssl-dev policycoreutils
    nftables iptables sqlite3"
DNF_BUILD="gcc make pkgconf-pkg-config glibc-devel libarchive-devel
    libarchive libbsd-devel libmd-devel zlib-devel systemd-devel openssh-clients
    libselinux-devel sqlite-devel expat-devel"
DNF_TEST="libcmocka-devel openssh-server util-linux procps-ng iproute perl strace jq
    curl wget tmux time
    python3 python3-jsonschema rpm-build rpmlint mandoc cloud-init systemd clang compiler-rt
    ansible-core git python3-pyyaml
    autoconf automake zlib-devel openssl-devel policycoreutils
    nftables iptables-nft sqlite"
if [ "$what" = build ]; then
	APT_TEST= DNF_TEST=
fi

if command -v apt-get >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	set -- $APT_BUILD $APT_TEST
	echo "make deps: apt-get update, then installing $# packages and what" \
	    "they need (on a minimal system several hundred, ~1.5 GB: a few" \
	    "minutes)..."
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "$@" >/dev/null
elif command -v dnf >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	set -- $DNF_BUILD $DNF_TEST
	echo "make deps: installing $# packages with dnf and what they need" \
	    "(a few minutes)..."
	dnf install -y -q "$@"
else
	echo "make deps: neither apt-get nor dnf found; install gcc, make," \
	    "pkg-config, libarchive and cmocka headers, openssh server and" \
	    "client by hand" >&2
	exit 2
fi
# ajv-cli 5 (ajv 8) validates every JSON document as fleet tooling in
# JavaScript does (tests/integration/t_json.sh): pinned, from the npm
# registry, into the test cache; npm itself from the distribution when
# the machine has none (a NodeSource node brings its own).
AJV_DIR=/var/cache/sshfix-test/ajv
if [ "$what" = all ] && [ ! -x "$AJV_DIR/node_modules/.bin/ajv" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		if command -v apt-get >/dev/null 2>&1; then
			apt-get install -y -qq --no-install-recommends \
			    npm ca-certificates >/dev/null
		else
			dnf install -y -q npm
		fi
	fi
	echo "make deps: ajv-cli from the npm registry into $AJV_DIR..."
	mkdir -p "$AJV_DIR" && npm install --prefix "$AJV_DIR" --no-audit \
	    --no-fund --loglevel=error ajv-cli@5.0.0 ajv-formats@3.0.1 \
	    >/dev/null ||
	    echo "make deps: npm install failed: the ajv checks of" \
	        "tests/integration/t_json.sh will be skipped" >&2
fi
# fail2ban's own Python classes write the databases of
# tests/integration/t_fail2ban.sh and say which bans fail2ban puts back;
# ufw's own files (its rules, its defaults, its ufw-init) are the
# firewall of tests/integration/t_ufw.sh and tests/e2e/t_ufw.sh: Debian's
# packages unpacked into the test cache, never installed (each would
# start a service on this machine).
if [ "$what" = all ] && command -v apt-get >/dev/null 2>&1; then
	for pkg in fail2ban ufw; do
		dir=/var/cache/sshfix-test/$pkg
		[ -d "$dir/usr/share/doc/$pkg" ] && continue
		echo "make deps: $pkg's package unpacked into $dir..."
		tmp=$(mktemp -d)
		if ! { (cd "$tmp" && apt-get download -qq "$pkg" >/dev/null 2>&1) &&
		    mkdir -p "$dir" && dpkg-deb -x "$tmp/${pkg}"_*.deb "$dir"; }; then
			echo "make deps: $pkg could not be fetched: the tests" \
			    "that use it will be skipped" >&2
		fi
		rm -rf "$tmp"
	done
fi
if [ "$had_cloud_init" = no ] && [ -d /etc/cloud ]; then
	touch /etc/cloud/cloud-init.disabled
fi
echo "make deps: done ($what)"
