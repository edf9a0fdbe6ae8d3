#!/bin/sh
# make deps: install what building and testing sshfix need (apt or dnf).
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "make deps: run as root (sudo make deps)" >&2
	exit 2
fi
if command -v apt-get >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends \
	    gcc make pkg-config libc6-dev libarchive-dev libcmocka-dev \
	    openssh-server openssh-client util-linux procps iproute2 >/dev/null
elif command -v dnf >/dev/null 2>&1; then
	dnf install -y -q gcc make pkgconf-pkg-config glibc-devel \
	    libarchive-devel libcmocka-devel openssh-server openssh-clients \
	    util-linux procps-ng iproute
else
	echo "make deps: neither apt-get nor dnf found; install gcc, make," \
	    "pkg-config, libarchive and cmocka headers, openssh server and" \
	    "client by hand" >&2
	exit 2
fi
echo "make deps: done"
