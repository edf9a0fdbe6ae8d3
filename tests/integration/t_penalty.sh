# source-penalty: a client address PerSourcePenalties (OpenSSH 9.8+) is
# dropping, from the target's own log. The lines are the ones upstream
# 10.0p2 logs (tests/versions/t_releases.sh records them from the real
# sshd); here they are fed to fake roots.
. "$SSHFIX_TOP/tests/integration/lib.sh"

LINE='drop connection #0 from [192.0.2.7]:50022 on [10.0.0.5]:22 penalty: failed authentication'
penalised() {	# penalised DIR LOGFILE: the log holds three drops
	mkdir -p "$1/var/log"
	{
		echo "Nov 22 10:00:00 host sshd[10]: Accepted publickey for bob from 198.51.100.1 port 1 ssh2"
		for n in 1 2 3; do
			echo "Nov 22 10:00:0$n host sshd[9]: $LINE"
		done
	} >"$1/var/log/$2"
}

R="$T/auth"; mkroot "$R"; penalised "$R" auth.log
diagnose "$R"
check "auth.log with penalty drops: source-penalty for the address" \
    has_id source-penalty
check "... a warning (exit 1), the root untouched" sh -c \
    "[ $RC -eq 1 ] && [ $UNCHANGED -eq 0 ]"
check "... the line sshd logged, the count" sh -c '
    printf "%s" "$1" | grep -qF "\"logline\":\"$2\"" &&
    printf "%s" "$1" | grep -qF "\"lines\":\"3\""' _ "$OUT" "$LINE"
check "... the advice names PerSourcePenaltyExemptList 192.0.2.7" \
    out_has 'PerSourcePenaltyExemptList 192.0.2.7'
run --root "$R" --apply
check "--apply changes nothing for it (advice only)" sh -c \
    "[ $RC -eq 1 ] && ! ls '$R/var/lib/sshfix/snapshots/'*.tar >/dev/null 2>&1"

R="$T/secure"; mkroot "$R" rhel; penalised "$R" secure
diagnose "$R"
check "/var/log/secure (RHEL) read too" has_id source-penalty

R="$T/other"; mkroot "$R"; penalised "$R" auth.log
diagnose "$R" --from 203.0.113.9
check "--from another address: not this person's penalty, nothing" \
    sh -c "! printf '%s' \"\$1\" | grep -q source-penalty" _ "$OUT"
diagnose "$R" --from 192.0.2.7
check "--from the penalised address: reported" has_id source-penalty

R="$T/exempt"; mkroot "$R"; penalised "$R" auth.log
printf 'PerSourcePenaltyExemptList 192.0.2.0/24\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
check "PerSourcePenaltyExemptList covering it: nothing" sh -c \
    "! printf '%s' \"\$1\" | grep -q source-penalty" _ "$OUT"

R="$T/off"; mkroot "$R"; penalised "$R" auth.log
sed -i '1i PerSourcePenalties no' "$R/etc/ssh/sshd_config"
diagnose "$R"
check "PerSourcePenalties no: nothing" sh -c \
    "! printf '%s' \"\$1\" | grep -q source-penalty" _ "$OUT"

R="$T/clean"; mkroot "$R"; mkdir -p "$R/var/log"
echo "Nov 22 10:00:00 host sshd[1]: Accepted publickey for alice" \
    >"$R/var/log/auth.log"
diagnose "$R"
check "a log without penalties: nothing, exit 0" [ "$RC" -eq 0 ]


# A botnet's worth (a hostile disk's, or a server on the internet): 20000
# addresses penalised once each, the newest last, 2.6 MB of auth.log. The
# run stays short; the report names the 16 newest, and a note counts the
# others and says how to ask for one (--from). Before: a finding each,
# and every line matched against every finding (minutes).
R="$T/many"; mkroot "$R"; mkdir -p "$R/var/log"
awk 'BEGIN { for (i = 0; i < 20000; i++)
	printf "Nov 22 %02d:%02d:%02d host sshd[9]: drop connection #%d from [10.%d.%d.%d]:5%04d on [10.0.0.5]:22 penalty: failed authentication\n",
	    int(i / 3600), int(i / 60) % 60, i % 60, i, int(i / 65536),
	    int(i / 256) % 256, i % 256, i % 10000 }' >"$R/var/log/auth.log"
t0=$(date +%s)
timeout -s KILL 60 "$SSHFIX" --root "$R" --json >"$T/out" 2>"$T/err"
RC=$? el=$(($(date +%s) - t0))
check "20000 penalised addresses: the dry run ends within 15 s ($el s, exit $RC)" \
    [ "$el" -lt 15 -a "$RC" -eq 1 ]
check "... 16 findings, the newest among them (10.0.78.31)" sh -c '
    [ "$(grep -o "\"id\":\"source-penalty\"" "$1" | wc -l)" -eq 16 ] &&
    grep -q "\"subject\":\"10.0.78.31\"" "$1"' _ "$T/out"
check "... a note counts the 19984 others and names --from" sh -c '
    grep -q "19984 more addresses" "$1" && grep -q -- "--from" "$1"' _ "$T/out"
timeout -s KILL 60 "$SSHFIX" --root "$R" --json --from 10.0.0.7 >"$T/out" 2>&1
check "... --from one of the oldest: that one reported" sh -c '
    [ "$(grep -o "\"id\":\"source-penalty\"" "$1" | wc -l)" -eq 1 ] &&
    grep -q "\"subject\":\"10.0.0.7\"" "$1"' _ "$T/out"
echo "1..$N"
