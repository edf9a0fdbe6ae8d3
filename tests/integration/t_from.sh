#!/bin/sh
# --from ADDR: the client address sshd will see; Match Address and Host
# are judged for it, and only for it.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

for bad in host.example 10.0.0.0/8 ""; do
	run --root / --from "$bad"
	check "--from '$bad' is refused: exit 2" [ "$RC" -eq 2 ]
	check "--from '$bad': one line naming the option" sh -c \
	    "printf '%s\n' \"\$0\" | head -1 | grep -q 'not an IPv4 or IPv6'" \
	    "$ERR"
done

# alice can only use a password; a Match Address block turns password
# login off for 10/8 (but not 10.9/16).
R="$T/addr"; mkroot "$R"
rm -f "$R/home/alice/.ssh/authorized_keys"
give_password "$R" alice
printf 'PasswordAuthentication yes\nMatch Address 10.0.0.0/8,!10.9.0.0/16\n\tPasswordAuthentication no\n' \
    >"$R/etc/ssh/sshd_config.d/50-addr.conf"
diagnose "$R" --user alice --from 10.1.2.3
check "--from inside the Match Address: alice is locked out" \
    has_id auth-lockout
check "--from inside: the dry run changed nothing" [ "$UNCHANGED" -eq 0 ]
diagnose "$R" --user alice --from 10.9.2.3
check "--from in the negated block: no lockout" sh -c '! echo "$0" | grep -q "\"id\":\"auth-lockout\""' "$OUT"
diagnose "$R" --user alice --from 192.168.1.1
check "--from outside the Match Address: no lockout" sh -c '! echo "$0" | grep -q "\"id\":\"auth-lockout\""' "$OUT"
check "--from outside: the block is judged, not noted" \
    sh -c '! echo "$0" | grep -q "depends on the connection"' "$OUT"
diagnose "$R" --user alice
check "without --from the block is noted as depending on the connection" \
    out_has 'depends on the connection'
run --root "$R" --user alice --from ::ffff:10.1.2.3 --json
check "an IPv4-mapped --from is the IPv4 client sshd sees" has_id auth-lockout

# Match Host is the address under UseDNS no (the default), unknowable
# under UseDNS yes.
printf 'PasswordAuthentication yes\nMatch Host 10.1.*\n\tPasswordAuthentication no\n' \
    >"$R/etc/ssh/sshd_config.d/50-addr.conf"
diagnose "$R" --user alice --from 10.1.2.3
check "Match Host with --from under UseDNS no: judged (lockout)" \
    has_id auth-lockout
printf 'UseDNS yes\n' >"$R/etc/ssh/sshd_config.d/10-dns.conf"
diagnose "$R" --user alice --from 10.1.2.3
check "Match Host under UseDNS yes: not judged, noted" sh -c \
    '! echo "$0" | grep -q "\"id\":\"auth-lockout\"" && echo "$0" | grep -q "depends on the connection"' "$OUT"
echo "1..$N"
