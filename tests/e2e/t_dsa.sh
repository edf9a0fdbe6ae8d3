# DSA host keys judged by upstream OpenSSH 10.0p2, built once into a cache
# (tests/versions/openssh.sh, sysconfdir /etc/ssh: the sandbox's), and by
# this host's Debian 9.2p1.
. "$SSHFIX_TOP/tests/e2e/lib.sh"
. "$SSHFIX_TOP/tests/versions/openssh.sh"

SCENARIOS="10.0-sshd-t 10.0-dsa-only 10.0-dsa-and-ed25519 9.2-dsa-only"
why=$(e2e_missing)
if [ -z "$why" ] && ! P10=$(openssh_build 10.0p2 2>"$T/why"); then
	why=$(head -1 "$T/why")
fi
if [ -n "$why" ]; then
	for s in $SCENARIOS; do skip "e2e $s" "$why"; done
	exit 0
fi
HOST_SSHD=$SSHD

# dsa_sandbox DIR [10]: the only HostKey line names a DSA key, no other
# key exists; with 10, ROOT/usr/sbin/sshd is 10.0p2 (sshfix reads its version).
dsa_sandbox() {
	sandbox "$1"
	copy_sshd "$1"
	if [ "${2:-}" = 10 ]; then
		cp "$P10/sbin/sshd" "$1/usr/sbin/sshd"
		openssh_helpers "$1" "$P10"
	fi
	rm -f "$1"/etc/ssh/ssh_host_*
	ssh-keygen -q -t dsa -N '' -C '' -f "$1/etc/ssh/ssh_host_dsa_key"
	echo "HostKey /etc/ssh/ssh_host_dsa_key" >"$1/etc/ssh/sshd_config.d/10-keys.conf"
}

# sshd_t DIR: 10.0p2's sshd -t on the sandbox; sets TRC, TOUT.
sshd_t() {
	unshare -m -n sh -c '. "$1"; sandbox_mounts "$2"; "$3" -t' _ \
	    "$SSHFIX_TOP/tests/e2e/mounts.sh" "$1" "$SSHD" >"$T/t.out" 2>&1
	TRC=$?
	TOUT=$(tr -d '\r' <"$T/t.out")
}

# Upstream sshd has no PAM: alice's "!" in shadow is a locked account
# ("User alice not allowed because account is locked"); root ("*") is not.
SSHD="$P10/sbin/sshd"
R="$T/only10"; dsa_sandbox "$R" 10
sshd_t "$R"
check "10.0 sshd -t, DSA key only: fails" [ "$TRC" -ne 0 ]
check "10.0 sshd -t, DSA key only: unsupported key type" sh -c \
    'printf "%s" "$1" | grep -qxF "Unable to load host key \"/etc/ssh/ssh_host_dsa_key\": unknown or unsupported key type"' _ "$TOUT"
check "10.0 sshd -t, DSA key only: no hostkeys, exiting" sh -c \
    'printf "%s" "$1" | grep -qxF "sshd: no hostkeys available -- exiting."' _ "$TOUT"
attempt "$R" alice key
check "10.0 sshd -D, DSA key only: exits with 'no hostkeys available'" \
    log_has "sshd: no hostkeys available -- exiting."
scenario "10.0, DSA key only" "$R" root key \
    'Unable to load host key "/etc/ssh/ssh_host_dsa_key": unknown or unsupported key type' \
    hostkey-missing
run --root "$R" --apply
sshd_t "$R"
check "10.0 sshd -t after --apply: passes" [ "$TRC" -eq 0 ]
[ "$TRC" -eq 0 ] || printf '%s\n' "$TOUT" | sed 's/^/# /'

R="$T/both10"; dsa_sandbox "$R" 10
ssh-keygen -q -t ed25519 -N '' -C '' -f "$R/etc/ssh/ssh_host_ed25519_key"
echo "HostKey /etc/ssh/ssh_host_ed25519_key" >>"$R/etc/ssh/sshd_config.d/10-keys.conf"
attempt "$R" root key
check "10.0, DSA + ed25519: logs in" logged_in
check "10.0, DSA + ed25519: sshd skips the DSA key" log_has \
    'Unable to load host key "/etc/ssh/ssh_host_dsa_key": unknown or unsupported key type'
run --root "$R" --dry-run --json
check "10.0, DSA + ed25519: a warning, not an error" out_has \
    '"id":"hostkey-missing","severity":"warning"'

SSHD=$HOST_SSHD
R="$T/only92"; dsa_sandbox "$R"
scenario "9.2, DSA key only" "$R" alice key \
    "No supported key exchange algorithms [preauth]" hostkey-missing
