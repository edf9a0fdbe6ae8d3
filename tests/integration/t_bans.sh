# address-banned: a brute-force blocker's bans that survive a reboot,
# read from the disk: sshguard's blacklist (every line blocked again at
# start, with its subnet), for the --from address only; the repair
# comments the line out, and --rollback puts it back.
. "$SSHFIX_TOP/tests/integration/lib.sh"

command -v jq >/dev/null || { skip_line "address-banned" "no jq (make deps)"; exit 0; }
# The newest snapshot of $R, for --rollback.
last_snap() {
	find "$R/var/lib/sshfix/snapshots" -name '*.tar' -printf '%f\n' |
	    sort | tail -1 | sed 's/\.tar$//'
}

# sshguard's blacklist, blocked again at every start.
R="$T/sshguard"; mkroot "$R"
mkdir -p "$R/etc/systemd/system/multi-user.target.wants" "$R/etc/sshguard" \
    "$R/var/lib/sshguard"
ln -s /lib/systemd/system/sshguard.service \
    "$R/etc/systemd/system/multi-user.target.wants/sshguard.service"
printf 'BACKEND="/usr/libexec/sshguard/sshg-fw-nft-sets"\nBLACKLIST_FILE=120:/var/lib/sshguard/blacklist.db\n' \
    >"$R/etc/sshguard/sshguard.conf"
printf '1733400000|100|4|198.51.100.7\nnot a ban line\n1733500000|100|4|203.0.113.50\n1733600000|100|6|2001:db8:5::5\n' \
    >"$R/var/lib/sshguard/blacklist.db"
no_ban() { ! has_id address-banned; }
bans() { printf '%s' "$OUT" | jq -r '[.findings[] | select(.id ==
    "address-banned")][0].'"$1"' // empty'; }
diagnose "$R" --from 203.0.113.50
check "sshguard blacklist holds --from: address-banned error" \
    [ "$(bans severity)" = error ]
check "address-banned: names the file, the line and since when" \
    sh -c 'printf "%s" "$1" | grep -qF "sshguard blocks 203.0.113.50 at every start (/var/lib/sshguard/blacklist.db line 3: 203.0.113.50/32, banned since 2024-12-06 15:46 UTC)"' \
    _ "$(bans message)"
check "address-banned: the repair comments out that line" \
    out_has 'edit /var/lib/sshguard/blacklist.db:3: \"1733500000|100|4|203.0.113.50\" -> \"#1733500000|100|4|203.0.113.50\"'
check "address-banned: the dry run leaves the root alone" [ "$UNCHANGED" -eq 0 ]
diagnose "$R" --from 203.0.113.51
check "control: another address: no address-banned" no_ban
diagnose "$R"
check "control: without --from: no address-banned" no_ban
diagnose "$R" --from 2001:db8:5::5
check "an IPv6 ban: address-banned" [ "$(bans severity)" = error ]
printf 'IPV4_SUBNET=24\n' >>"$R/etc/sshguard/sshguard.conf"
diagnose "$R" --from 198.51.100.99
check "IPV4_SUBNET=24: a neighbour of a banned address is blocked too" \
    [ "$(bans severity)" = error ]
before=$(tree "$R")
run --root "$R" --apply --from 203.0.113.50
check "address-banned apply: exit 0" [ "$RC" -eq 0 ]
check "address-banned apply: the line is commented out" \
    grep -qx '#1733500000|100|4|203.0.113.50' "$R/var/lib/sshguard/blacklist.db"
diagnose "$R" --from 203.0.113.50
check "address-banned after apply: no address-banned" no_ban
snap=$(last_snap)
run --root "$R" --rollback "$snap"
check "address-banned rollback: the tree is as it was" [ "$(tree "$R")" = "$before" ]
sed -i 's/^BLACKLIST_FILE=.*//' "$R/etc/sshguard/sshguard.conf"
diagnose "$R" --from 203.0.113.50
check "control: no BLACKLIST_FILE (bans end at reboot): no address-banned" \
    no_ban
rm "$R/etc/systemd/system/multi-user.target.wants/sshguard.service"
printf 'BLACKLIST_FILE=/var/lib/sshguard/blacklist.db\n' >>"$R/etc/sshguard/sshguard.conf"
diagnose "$R" --from 203.0.113.50
check "control: sshguard not enabled: no address-banned" \
    no_ban

# A blacklist with CRLF line ends; two --from addresses on one line.
printf '1733500000|100|4|203.0.113.50\r\n' >"$R/var/lib/sshguard/blacklist.db"
printf 'BLACKLIST_FILE=/var/lib/sshguard/blacklist.db\nIPV4_SUBNET=24\n' \
    >"$R/etc/sshguard/sshguard.conf"
ln -s /lib/systemd/system/sshguard.service \
    "$R/etc/systemd/system/multi-user.target.wants/sshguard.service"
run --root "$R" --apply --from 203.0.113.50 --from 203.0.113.51
check "CRLF blacklist, two --from in one banned subnet: apply exits 0" \
    [ "$RC" -eq 0 ]
check "CRLF blacklist: the line is commented out once" \
    [ "$(grep -c '^#1733500000' "$R/var/lib/sshguard/blacklist.db")" -eq 1 ]
