#!/bin/sh
# make deps: install what building and testing sshfix need (apt or dnf).
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "make deps: run as root (sudo make deps)" >&2
	exit 2
fi
# cloud-init is here only to validate the cloud-config example: if this
# installs it, it is disabled at boot so that it never acts on the machine.
had_cloud_init=no
[ -e /etc/cloud ] && had_cloud_init=yes

if command -v apt-get >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends \
	    gcc make pkg-config libc6-dev libarchive-dev libcmocka-dev \
	    openssh-server openssh-client util-linux procps iproute2 perl \
	    dpkg-dev debhelper rpm mandoc cloud-init systemd >/dev/null
elif command -v dnf >/dev/null 2>&1; then
	dnf install -y -q gcc make pkgconf-pkg-config glibc-devel \
	    libarchive-devel libcmocka-devel openssh-server openssh-clients \
	    util-linux procps-ng iproute perl rpm-build mandoc cloud-init \
	    systemd
else
	echo "make deps: neither apt-get nor dnf found; install gcc, make," \
	    "pkg-config, libarchive and cmocka headers, openssh server and" \
	    "client by hand" >&2
	exit 2
fi
if [ "$had_cloud_init" = no ] && [ -d /etc/cloud ]; then
	touch /etc/cloud/cloud-init.disabled
fi
echo "make deps: done"
