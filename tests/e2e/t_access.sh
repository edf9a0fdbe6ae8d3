# access-list (issue 11), proved against the real sshd: AllowUsers,
# DenyUsers, AllowGroups and DenyGroups refuse alice with the line sshd
# logs, sshfix reports it, --apply lets her in, --rollback shuts her out
# again; an AllowUsers glob that includes her and a DenyUsers word for
# another address are left alone (see lib.sh). The exact bytes of each
# repair are checked in tests/integration/t_access.sh.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in AllowUsers DenyUsers AllowGroups DenyGroups AllowUsers-glob \
	    DenyUsers-other-address LocalPort-LocalAddress RDomain User= \
	    RDomain-other LocalPort-other no-group no-group-refused \
	    no-group-reported; do
		skip "e2e access-list $s" "$why"
	done
	echo "1..$N"
	exit 0
fi

# case_list NAME CONFIG LOGLINE: the fault in a drop-in, the seven steps.
case_list() {
	R="$T/$1"; sandbox "$R"
	printf '%s\n' "$2" >"$R/etc/ssh/sshd_config.d/50-access.conf"
	scenario "$1" "$R" alice key "$3" access-list \
	    --user alice --from 127.0.0.1
}

case_list AllowUsers 'AllowUsers bob' \
    "User alice from 127.0.0.1 not allowed because not listed in AllowUsers"
case_list DenyUsers 'DenyUsers bob alice' \
    "User alice from 127.0.0.1 not allowed because listed in DenyUsers"
case_list AllowGroups 'AllowGroups bob' \
    "User alice from 127.0.0.1 not allowed because none of user's groups are listed in AllowGroups"
case_list DenyGroups 'DenyGroups alice' \
    "User alice from 127.0.0.1 not allowed because a group is listed in DenyGroups"

clean() { [ "$RC" -eq 0 ] && no_ids; }

# control NAME CONFIG: sshd lets alice in, and sshfix finds nothing.
control() {
	R="$T/$1"; sandbox "$R"
	printf '%s\n' "$2" >"$R/etc/ssh/sshd_config.d/50-access.conf"
	attempt "$R" alice key ${3:-}
	check "$1: the real sshd lets alice in" logged_in
	run --root "$R" --json --user alice --from 127.0.0.1
	check "$1: sshfix reports nothing (exit 0)" clean
}
control AllowUsers-glob 'AllowUsers al*'
control DenyUsers-other-address 'DenyUsers alice@10.9.9.9'

# Match criteria sshfix judges from the server side, proved on the real
# sshd: a Match block that denies alice applies (LocalPort and
# LocalAddress of a server with one of each; RDomain "*" matches the
# empty routing domain of a socket bound to no device; User=alice), or
# does not (another RDomain, another LocalPort). ASCONFIG: sshd listens
# where the sandbox's config says, so that sshfix reads the same port.
case_match() {
	R="$T/$1"; sandbox "$R"
	printf '%bMatch %s\n\tDenyUsers alice\n' "$3" "$2" \
	    >"$R/etc/ssh/sshd_config.d/50-access.conf"
	scenario "$1" "$R" alice key \
	    "User alice from 127.0.0.1 not allowed because listed in DenyUsers" \
	    access-list $4 --user alice --from 127.0.0.1
}
case_match LocalPort-LocalAddress 'LocalPort 2222 LocalAddress 127.0.0.1' \
    "Port $PORT\nListenAddress 127.0.0.1\n" asconfig
case_match RDomain 'RDomain *' ''
case_match User= 'User=alice' ''
control RDomain-other "$(printf 'Match RDomain vrf-blue\n\tDenyUsers alice')"
control LocalPort-other "$(printf 'Port %s\nListenAddress 127.0.0.1\nMatch LocalPort 22\n\tDenyUsers alice' "$PORT")" asconfig

# An account in no group (its primary group has no entry) is refused
# whenever a group list is set, before the list is read (ga_init).
R="$T/nogroup"; sandbox "$R"
sed -i '/^alice:x:1000:/d; s/^users:x:100:alice,bob/users:x:100:bob/' \
    "$R/etc/group"
attempt "$R" alice key
check "no-group: alice in no group logs in without a group list" logged_in
printf 'DenyGroups wheel\n' >"$R/etc/ssh/sshd_config.d/50-access.conf"
attempt "$R" alice key
check "no-group-refused: DenyGroups wheel refuses her, sshd logs it" sh -c \
    '[ "$1" -ne 0 ] && printf "%s" "$2" | grep -qF "$3"' _ "$LOGIN" "$LOG" \
    "User alice from 127.0.0.1 not allowed because not in any group"
run --root "$R" --json --user alice --from 127.0.0.1
check "no-group-reported: sshfix reports sshd's line" out_has \
    '"logline":"User alice from 127.0.0.1 not allowed because not in any group"'
echo "1..$N"
