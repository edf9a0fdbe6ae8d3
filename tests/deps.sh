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
# libsystemd itself with dlopen).
# libacl1-dev and nettle-dev: the static archives make static links
# (tests/packaging/t_static.sh), beside libarchive-dev's libarchive.a.
# ansible-core, puppet-agent, git and python3-yaml run the examples of
# packaging/examples (tests/integration/t_integrations.sh); Debian's
# puppet-agent installs its agent service disabled.
# cloud-init is here only to validate the cloud-config example: if this
# installs it, it is disabled at boot so that it never acts on the machine.
had_cloud_init=no
[ -e /etc/cloud ] && had_cloud_init=yes

APT_BUILD="gcc make pkg-config libc6-dev libarchive-dev libarchive13
    libbsd-dev libmd-dev zlib1g-dev libsystemd-dev openssh-client"
APT_TEST="libcmocka-dev openssh-server util-linux procps iproute2 perl strace
    python3 python3-jsonschema build-essential dpkg-dev debhelper rpm mandoc
    cloud-init systemd lintian rpmlint ansible-core puppet-agent git python3-yaml
    clang libclang-rt-dev autoconf automake zlib1g-dev libssl-dev
    libacl1-dev nettle-dev"
DNF_BUILD="gcc make pkgconf-pkg-config glibc-devel libarchive-devel
    libarchive libbsd-devel libmd-devel zlib-devel systemd-devel openssh-clients"
DNF_TEST="libcmocka-devel openssh-server util-linux procps-ng iproute perl strace
    python3 python3-jsonschema rpm-build rpmlint mandoc cloud-init systemd clang compiler-rt
    ansible-core git python3-pyyaml
    autoconf automake zlib-devel openssl-devel"
if [ "$what" = build ]; then
	APT_TEST= DNF_TEST=
fi

if command -v apt-get >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $APT_BUILD $APT_TEST \
	    >/dev/null
elif command -v dnf >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	dnf install -y -q $DNF_BUILD $DNF_TEST
else
	echo "make deps: neither apt-get nor dnf found; install gcc, make," \
	    "pkg-config, libarchive and cmocka headers, openssh server and" \
	    "client by hand" >&2
	exit 2
fi
if [ "$had_cloud_init" = no ] && [ -d /etc/cloud ]; then
	touch /etc/cloud/cloud-init.disabled
fi
echo "make deps: done ($what)"
