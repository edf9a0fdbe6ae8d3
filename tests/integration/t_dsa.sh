# DSA host keys, judged by the target's sshd release (include/target/release.h):
# fake roots whose /usr/sbin/sshd is upstream 10.0p2 (only its version
# string is read) or this host's Debian 9.2p1. The e2e twin runs them.
. "$SSHFIX_TOP/tests/integration/lib.sh"
. "$SSHFIX_TOP/tests/versions/openssh.sh"

if ! P10=$(openssh_build 10.0p2 2>"$T/why"); then
	skip_line "DSA host keys on OpenSSH 10.0" "$(head -1 "$T/why")"
	exit 0
fi

# dsaroot DIR 10|9 [KEYS...]: the only HostKey line names a DSA key;
# KEYS (ed25519 ...) get HostKey lines of their own after it.
dsaroot() {
	R=$1 V=$2
	shift 2
	mkroot "$R"
	copy_sshd "$R"
	if [ "$V" = 10 ]; then
		cp "$P10/sbin/sshd" "$R/usr/sbin/sshd"
		openssh_helpers "$R" "$P10"
	fi
	ssh-keygen -q -t dsa -N '' -C '' -f "$R/etc/ssh/ssh_host_dsa_key"
	echo "HostKey /etc/ssh/ssh_host_dsa_key" >"$R/etc/ssh/sshd_config.d/10-keys.conf"
	for k in "$@"; do
		echo "HostKey /etc/ssh/ssh_host_${k}_key" >>"$R/etc/ssh/sshd_config.d/10-keys.conf"
	done
	# Only the keys named stay.
	for k in rsa ecdsa ed25519; do
		case " $* " in *" $k "*) ;; *) rm -f "$R/etc/ssh/ssh_host_${k}_key"* ;; esac
	done
}
finding_sev() { out_has "\"id\":\"hostkey-missing\",\"severity\":\"$1\""; }

R="$T/only10"; dsaroot "$R" 10
diagnose "$R"
check "10.0, DSA key only: exit 1" [ "$RC" -eq 1 ]
check "10.0, DSA key only: hostkey-missing error" finding_sev error
check "10.0, DSA key only: sshd's line" out_has \
    'Unable to load host key \"/etc/ssh/ssh_host_dsa_key\": unknown or unsupported key type / sshd: no hostkeys available -- exiting.'
check "10.0, DSA key only: the version read from the binary" out_has 'OpenSSH_10.0p2'
check "10.0, DSA key only: plan comments the HostKey line out" out_has \
    '"new":"#HostKey /etc/ssh/ssh_host_dsa_key"'
check "10.0, DSA key only: plan generates the default keys" out_has '"type":"keygen-all"'
check "10.0, DSA key only: dry run unchanged" [ "$UNCHANGED" -eq 0 ]
cycle "10.0, DSA key only" "$R"
run --root "$R" --apply
check "10.0, DSA key only: keys generated, the DSA key kept" sh -c \
    "ssh-keygen -y -f '$R/etc/ssh/ssh_host_ed25519_key' >/dev/null &&
     [ -s '$R/etc/ssh/ssh_host_dsa_key' ]"
check "10.0, DSA key only: HostKey line commented out" \
    grep -qx '#HostKey /etc/ssh/ssh_host_dsa_key' "$R/etc/ssh/sshd_config.d/10-keys.conf"

R="$T/pem10"; dsaroot "$R" 10
rm "$R"/etc/ssh/ssh_host_dsa_key*
ssh-keygen -q -t dsa -m PEM -N '' -C '' -f "$R/etc/ssh/ssh_host_dsa_key"
diagnose "$R"
check "10.0, DSA key in PEM: hostkey-missing error" finding_sev error

R="$T/both10"; dsaroot "$R" 10 ed25519
diagnose "$R"
check "10.0, DSA + ed25519: exit 1 (faults found)" [ "$RC" -eq 1 ]
check "10.0, DSA + ed25519: hostkey-missing warning" finding_sev warning
check "10.0, DSA + ed25519: no error" sh -c '! printf "%s" "$1" | grep -q "\"severity\":\"error\""' _ "$OUT"
check "10.0, DSA + ed25519: names the DSA key, skipped" out_has \
    'ssh_host_dsa_key is a DSA key, which OpenSSH 10.0 and later do not load; sshd skips it'
check "10.0, DSA + ed25519: no keygen" sh -c '! printf "%s" "$1" | grep -q "keygen"' _ "$OUT"
cycle "10.0, DSA + ed25519" "$R"

R="$T/only92"; dsaroot "$R" 9
diagnose "$R"
check "9.2, DSA key only: no 10.0 line" sh -c \
    '! printf "%s" "$1" | grep -q "unknown or unsupported key type"' _ "$OUT"
check "9.2, DSA key only: error, no key exchange" out_has \
    '"logline":"No supported key exchange algorithms [preauth]"'
cycle "9.2, DSA key only" "$R"

R="$T/both92"; dsaroot "$R" 9 ed25519
diagnose "$R"
check "9.2, DSA + ed25519: nothing reported" no_ids

R="$T/hka92"; dsaroot "$R" 9
echo "HostKeyAlgorithms +ssh-dss" >>"$R/etc/ssh/sshd_config.d/10-keys.conf"
diagnose "$R"
check "9.2, DSA only, HostKeyAlgorithms set: no finding" no_ids
check "9.2, DSA only, HostKeyAlgorithms set: a note" out_has 'HostKeyAlgorithms is set'

R="$T/unknown"; dsaroot "$R" 9
printf '\177ELF not an sshd' >"$R/usr/sbin/sshd"
diagnose "$R"
check "sshd of unknown version, DSA only: no hostkey-missing" sh -c \
    '! printf "%s" "$1" | grep -q "\"id\":\"hostkey-missing\""' _ "$OUT"
check "sshd of unknown version, DSA only: a note" out_has 'not in sshfix'"'"'s release table'
