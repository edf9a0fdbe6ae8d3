#!/bin/sh
# The cache of OpenSSH builds (tests/versions/openssh.sh) follows what
# made them: a release is built once and reused while build.sh, its
# patches and its tarball stay the same, and built again when one of
# them changes, or when a build carries no key (made before the key was
# kept, such as one without --sysconfdir=/etc/ssh). A stand-in build.sh
# counts its runs; no OpenSSH is compiled here.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

OPENSSH_SRC="$T/src"
OPENSSH_CACHE="$T/cache"
mkdir -p "$OPENSSH_SRC"
. "$SSHFIX_TOP/tests/versions/openssh.sh"
cat >"$OPENSSH_SRC/build.sh" <<'EOF'
#!/bin/sh
# stand-in: build.sh VERSION PREFIX
echo run >>"$(dirname "$0")/runs"
mkdir -p "$2/sbin" && printf '#!/bin/sh\n' >"$2/sbin/sshd" &&
    chmod 0755 "$2/sbin/sshd"
EOF
chmod 0755 "$OPENSSH_SRC/build.sh"
echo tarball >"$OPENSSH_SRC/openssh-V_9_6_P1.tar.gz"
runs() { wc -l <"$OPENSSH_SRC/runs" 2>/dev/null || echo 0; }

p=$(openssh_build 9.6p1)
check "first use: built once, at its prefix" \
    sh -c "[ $(runs) -eq 1 ] && [ '$p' = '$OPENSSH_CACHE/openssh-9.6p1' ]"
openssh_build 9.6p1 >/dev/null
check "second use: the cached build, not built again" [ "$(runs)" -eq 1 ]
echo '# changed' >>"$OPENSSH_SRC/build.sh"
openssh_build 9.6p1 >/dev/null
check "build.sh changed: built again" [ "$(runs)" -eq 2 ]
echo 'patch' >"$OPENSSH_SRC/9.6p1-fix.patch"
openssh_build 9.6p1 >/dev/null
check "a patch added: built again" [ "$(runs)" -eq 3 ]
echo 'tarball 2' >"$OPENSSH_SRC/openssh-V_9_6_P1.tar.gz"
openssh_build 9.6p1 >/dev/null
check "the tarball changed: built again" [ "$(runs)" -eq 4 ]
rm "$OPENSSH_CACHE/openssh-9.6p1/.build-key"
openssh_build 9.6p1 >/dev/null
check "a build without a key (made before it was kept): built again" \
    [ "$(runs)" -eq 5 ]
openssh_build 9.6p1 >/dev/null
check "then reused" [ "$(runs)" -eq 5 ]
echo "1..$N"
