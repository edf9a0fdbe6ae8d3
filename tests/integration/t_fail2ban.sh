# address-banned, fail2ban: the bans fail2ban puts back when it starts,
# read from its database (sqlite) as fail2ban's own code reads them. The
# databases are written by fail2ban's own classes, and fail2ban's own
# restore (Jail.restoreCurrentBans) is the judge of which bans come back
# (tests/integration/fail2ban/f2bdb.py, fail2ban 1.0.2 from Debian,
# unpacked by make deps, never installed).
. "$SSHFIX_TOP/tests/integration/lib.sh"

F2B=/var/cache/sshfix-test/fail2ban/usr/lib/python3/dist-packages
for need in jq python3 sqlite3; do
	command -v "$need" >/dev/null ||
	    { skip_line "address-banned (fail2ban)" "no $need (make deps)"; exit 0; }
done
[ -d "$F2B/fail2ban" ] ||
    { skip_line "address-banned (fail2ban)" "no fail2ban in the test cache (make deps)"; exit 0; }
python3 -c 'import sqlite3' 2>/dev/null ||
    { skip_line "address-banned (fail2ban)" "python3 has no sqlite3 module"; exit 0; }

NOW=$(date +%s)
# f2b DB MODE ARGS...: fail2ban's own classes on database DB.
f2b() {
	db=$1 mode=$2; shift 2
	python3 "$SSHFIX_TOP/tests/integration/fail2ban/f2bdb.py" "$F2B" \
	    "$mode" "$db" "$NOW" "$@" 2>/dev/null
}
# The dbfile fail2ban's own reader takes from root $1's configuration.
f2bconf() {
	python3 "$SSHFIX_TOP/tests/integration/fail2ban/f2bdb.py" "$F2B" \
	    dbfile "$1/etc/fail2ban" - - 2>/dev/null
}
banned() { printf '%s' "$OUT" | jq -r '[.findings[] | select(.id ==
    "address-banned")][0].'"$1"' // empty'; }
nbans() { printf '%s' "$OUT" | jq '[.findings[] | select(.id == "address-banned")] | length'; }
no_ban() { ! has_id address-banned; }
msg_has() { banned message | grep -qF -- "$1"; }
# inc_has TEXT: the run says it is incomplete, TEXT among what it could
# not read ("PATH: WHY").
inc_has() {
	[ "$(printf '%s' "$OUT" | jq -r .result)" = incomplete ] &&
	    printf '%s' "$OUT" | jq -r '.incomplete[] | .path + ": " + .error' |
	    grep -qF -- "$1"
}

# f2broot DIR: a root with fail2ban enabled at boot and an empty database.
f2broot() {
	mkroot "$1"
	mkdir -p "$1/etc/systemd/system/multi-user.target.wants" \
	    "$1/etc/fail2ban/fail2ban.d" "$1/var/lib/fail2ban"
	ln -s /lib/systemd/system/fail2ban.service \
	    "$1/etc/systemd/system/multi-user.target.wants/fail2ban.service"
	printf '[DEFAULT]\nloglevel = INFO\ndbfile = /var/lib/fail2ban/fail2ban.sqlite3\ndbpurgeage = 1d\n\n[Definition]\n' \
	    >"$1/etc/fail2ban/fail2ban.conf"
}
DB=var/lib/fail2ban/fail2ban.sqlite3
F2B_COPY_NAME=fail2ban.sqlite3

R="$T/f2b"; f2broot "$R"
f2b "$R/$DB" write sshd,203.0.113.50,100,600 sshd,203.0.113.60,700,600 \
    recidive,198.51.100.9,5000,-1 sshd,2001:db8:5::5,10,600
diagnose "$R" --from 203.0.113.50
check "a ban of --from in fail2ban's database: address-banned error" \
    [ "$(banned severity)" = error ]
check "address-banned (fail2ban): names the database, the jail and the address" \
    msg_has "fail2ban's database (/var/lib/fail2ban/fail2ban.sqlite3) holds a ban of 203.0.113.50 in jail \"sshd\""
until=$(date -u -d "@$((NOW - 100 + 600))" '+%Y-%m-%d %H:%M UTC')
check "address-banned (fail2ban): until when (timeofban + bantime)" \
    msg_has "puts back if it starts before $until"
check "address-banned (fail2ban): the dry run leaves the root alone" \
    [ "$UNCHANGED" -eq 0 ]
diagnose "$R" --from 203.0.113.51
check "control: another address: no address-banned" no_ban
diagnose "$R"
check "control: without --from: no address-banned" no_ban
diagnose "$R" --from 203.0.113.60
check "control: an expired ban (700 s ago, bantime 600): no address-banned" no_ban
diagnose "$R" --from 198.51.100.9
check "a persistent ban (recidive, bantime -1): address-banned" \
    msg_has "in jail \"recidive\""
check "a persistent ban: for good" msg_has "every time it starts (bantime -1: for good)"
diagnose "$R" --from 2001:db8:5::5
check "an IPv6 ban: address-banned" [ "$(banned severity)" = error ]
diagnose "$R" --from 2001:db8:5:0:0:0:0:5
check "an IPv6 ban, --from written long: the same address" \
    [ "$(banned severity)" = error ]
diagnose "$R" --from 203.0.113.50 --from 198.51.100.9
check "two banned --from addresses: two findings" [ "$(nbans)" -eq 2 ]

# The judge: for generated bans, sshfix agrees with fail2ban's own restore.
R="$T/gen"; f2broot "$R"
set --
i=0; seed=7
while [ $i -lt 24 ]; do
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	age=$(( seed % 4000 ))
	case $(( seed / 7 % 4 )) in
	0) bt=600 ;; 1) bt=3600 ;; 2) bt=-1 ;; *) bt=60 ;;
	esac
	set -- "$@" "sshd,192.0.2.$i,$age,$bt"
	i=$((i + 1))
done
f2b "$R/$DB" write "$@"
# fail2ban restores a jail's bans with the jail's bantime as the window:
# each ban is judged by a jail whose bantime is the one it was banned
# with (a configuration unchanged since).
for bt in 60 600 3600 -1; do
	f2b "$R/$DB" restore "sshd,$bt" >"$T/oracle.$bt"
done
agree=0; total=0; yes=0
for spec in "$@"; do
	ip=$(printf '%s' "$spec" | cut -d, -f2)
	bt=$(printf '%s' "$spec" | cut -d, -f4)
	want=no
	grep -qx "$ip" "$T/oracle.$bt" && want=yes && yes=$((yes + 1))
	diagnose "$R" --from "$ip"
	got=no
	has_id address-banned && got=yes
	total=$((total + 1))
	[ "$got" = "$want" ] && agree=$((agree + 1))
	[ "$got" = "$want" ] || echo "# $spec: fail2ban restores: $want, sshfix: $got"
done
check "generated bans: sshfix agrees with fail2ban's own restore ($agree of $total)" \
    [ "$agree" -eq "$total" ]
check "generated bans: both answers occur ($yes of $total restored)" \
    [ "$yes" -gt 0 -a "$yes" -lt "$total" ]

# Where fail2ban keeps its database: dbfile, the last layer winning.
R="$T/conf"; f2broot "$R"
mkdir -p "$R/srv/f2b"
f2b "$R/srv/f2b/bans.db" write sshd,203.0.113.50,100,600
printf '[Definition]\ndbfile = /srv/f2b/bans.db\n' >"$R/etc/fail2ban/fail2ban.d/10-db.conf"
diagnose "$R" --from 203.0.113.50
check "dbfile moved in fail2ban.d/*.conf: that database is read" \
    msg_has "fail2ban's database (/srv/f2b/bans.db) holds a ban of 203.0.113.50"
printf '[Definition]\ndbfile = None\n' >"$R/etc/fail2ban/fail2ban.local"
diagnose "$R" --from 203.0.113.50
check "control: dbfile = None in fail2ban.local (no bans kept): no address-banned" \
    no_ban
printf '[Definition]\ndbfile = %%(dbdir)s/bans.db\n' >"$R/etc/fail2ban/fail2ban.local"
diagnose "$R" --from 203.0.113.50
check "dbfile interpolated: cannot tell, and says why" \
    inc_has "/etc/fail2ban/fail2ban.local: gives fail2ban's dbfile as a value sshfix does not follow"
rm "$R/etc/fail2ban/fail2ban.local" "$R/etc/fail2ban/fail2ban.d/10-db.conf"
f2b "$R/$DB" write sshd,203.0.113.50,100,600
rm "$R/etc/systemd/system/multi-user.target.wants/fail2ban.service"
diagnose "$R" --from 203.0.113.50
check "control: fail2ban not enabled at boot: no address-banned" no_ban
ln -s /dev/null "$R/etc/systemd/system/fail2ban.service"
ln -s /lib/systemd/system/fail2ban.service \
    "$R/etc/systemd/system/multi-user.target.wants/fail2ban.service"
diagnose "$R" --from 203.0.113.50
check "control: fail2ban masked: no address-banned" no_ban
rm "$R/etc/systemd/system/fail2ban.service"
diagnose "$R" --from 203.0.113.50
check "unmasked again: address-banned" has_id address-banned

# dbfile as fail2ban's configparser reads it (each checked against
# fail2ban's own Fail2banReader): option names fold to lower case, an
# inline comment after " ;", text after a section's "]", an indented
# option right after its section, [Definition] over [DEFAULT] whatever the
# order of the files.
R="$T/conf2"; f2broot "$R"
mkdir -p "$R/srv"
f2b "$R/srv/f2b.db" write sshd,203.0.113.50,100,600
for conf in '[Definition]\nDBFILE = /srv/f2b.db\n' \
    '[Definition]\ndbfile = /srv/f2b.db ; moved\n' \
    '[Definition] ; the database\ndbfile = /srv/f2b.db\n' \
    '[Definition]\n  dbfile = /srv/f2b.db\n' \
    '[Definition]\ndbfile: /srv/f2b.db\n'; do
	printf '%b' "$conf" >"$R/etc/fail2ban/fail2ban.local"
	diagnose "$R" --from 203.0.113.50
	check "dbfile read as fail2ban's reader reads it: $(printf '%b' "$conf" | tail -1)" \
	    sh -c '[ "$1" = /srv/f2b.db ] && printf "%s" "$2" | grep -qF "fail2ban'"'"'s database (/srv/f2b.db) holds a ban"' \
	    _ "$(f2bconf "$R")" "$OUT"
done
printf '[Definition]\ndbfile = /srv/f2b.db\n' >"$R/etc/fail2ban/fail2ban.d/a.conf"
printf '[DEFAULT]\ndbfile = /srv/none.db\n' >"$R/etc/fail2ban/fail2ban.local"
diagnose "$R" --from 203.0.113.50
check "dbfile: [Definition] in fail2ban.d/a.conf wins over [DEFAULT] in fail2ban.local" \
    sh -c '[ "$1" = /srv/f2b.db ] && printf "%s" "$2" | grep -qF "fail2ban'"'"'s database (/srv/f2b.db) holds a ban"' \
    _ "$(f2bconf "$R")" "$OUT"
rm "$R/etc/fail2ban/fail2ban.d/a.conf"
printf '[Definition]\ndbfile = NONE\n' >"$R/etc/fail2ban/fail2ban.local"
diagnose "$R" --from 203.0.113.50
check "control: dbfile = NONE (any case): no bans kept, no address-banned" \
    sh -c '! printf "%s" "$1" | grep -q address-banned && [ "$(printf "%s" "$1" | jq -r .result)" != incomplete ]' _ "$OUT"
printf '[INCLUDES]\nafter = db.conf\n[Definition]\n' >"$R/etc/fail2ban/fail2ban.local"
diagnose "$R" --from 203.0.113.50
check "[INCLUDES] in fail2ban's configuration: cannot tell, and says why" \
    inc_has "/etc/fail2ban/fail2ban.local: includes other files ([INCLUDES]), which sshfix does not follow"
printf '[Definition]\ndbfile = /srv/\n  f2b.db\n' >"$R/etc/fail2ban/fail2ban.local"
diagnose "$R" --from 203.0.113.50
check "dbfile continued on an indented line: cannot tell" \
    inc_has "continues fail2ban's dbfile on another line"
printf '# x\0y\n[Definition]\ndbfile = /srv/f2b.db\n' >"$R/etc/fail2ban/fail2ban.local"
diagnose "$R" --from 203.0.113.50
check "a NUL byte in fail2ban's configuration: cannot tell" \
    inc_has "/etc/fail2ban/fail2ban.local: holds a NUL byte"
rm "$R/etc/fail2ban/fail2ban.local"

# The address as fail2ban reads a row's (IPAddr): brackets, a netmask, an
# IPv4-mapped or upper-case IPv6 address. fail2ban writes its canonical
# form; these are rows written by hand (or by an attacker), and fail2ban's
# own restore says each comes back.
R="$T/forms"; f2broot "$R"
for form in '203.0.113.0/255.255.255.0' '::ffff:203.0.113.50' '[203.0.113.50]' \
    '203.0.113.0/24' '2001:DB8::5' '2001:db8:0:0:0:0:0:5' '[2001:db8::5]'; do
	rm -f "$R/$DB"
	f2b "$R/$DB" write "sshd,192.0.2.1,100,600"
	sqlite3 "$R/$DB" "UPDATE bips SET ip = '$form'"
	cp "$R/$DB" "$T/forms.db"
	back=$(f2b "$T/forms.db" restore sshd,600 | wc -l)
	case $form in *203.0.113*) from=203.0.113.50 ;; *) from=2001:db8::5 ;; esac
	diagnose "$R" --from "$from"
	check "a row written $form: fail2ban restores it ($back), address-banned" \
	    sh -c '[ "$1" -eq 1 ] && printf "%s" "$2" | grep -q "\"id\":\"address-banned\""' _ "$back" "$OUT"
done
run --root "$R" --apply --from 2001:db8::5
check "the row written [2001:db8::5]: apply removes it as written" \
    sh -c '[ "$1" -eq 0 ] && [ "$(sqlite3 "$2" "SELECT count(*) FROM bips")" -eq 0 ]' _ "$RC" "$R/$DB"
f2b "$R/$DB" write sshd,192.0.2.1,100,600
sqlite3 "$R/$DB" "UPDATE bips SET ip = '203.0.113.0/255.0.255.0'"
diagnose "$R" --from 203.0.113.50
check "a row with a mask that is no prefix: cannot tell" \
    inc_has "a row sshfix cannot take of its bips table"
rm -f "$R/$DB"
f2b "$R/$DB" write sshd,203.0.113.50,100,600
sqlite3 "$R/$DB" "UPDATE bips SET bantime = 1234.567"
diagnose "$R" --from 203.0.113.50
check "a bantime that is a real number (bantime.rndtime): read" \
    has_id address-banned

# A journal beside the database: what fail2ban reads is not the file
# alone (SQLite rolls an interrupted write back first).
R="$T/journal"; f2broot "$R"
f2b "$R/$DB" write sshd,203.0.113.50,100,600
: >"$R/$DB-journal"
diagnose "$R" --from 203.0.113.50
check "a -journal beside the database: cannot tell, no repair" \
    sh -c 'printf "%s" "$1" | jq -e ".result == \"incomplete\" and ([.findings[].actions[]? | select(.type == \"unban\")] | length == 0)" >/dev/null' _ "$OUT"
check "a -journal beside the database: says why" inc_has "has a journal beside it"
rm "$R/$DB-journal"
sqlite3 "$R/$DB" 'PRAGMA journal_mode=WAL' >/dev/null
diagnose "$R" --from 203.0.113.50
check "a database in WAL mode: cannot tell" \
    sh -c 'printf "%s" "$1" | jq -e ".result == \"incomplete\"" >/dev/null' _ "$OUT"

# One network's row banning two --from addresses: one finding, one
# removal, and the apply succeeds.
R="$T/net2"; f2broot "$R"
f2b "$R/$DB" write sshd,203.0.113.0/24,100,600
run --root "$R" --apply --from 203.0.113.50 --from 203.0.113.51
check "a network's row, two --from in it: apply exits 0" [ "$RC" -eq 0 ]
check "a network's row, two --from in it: the row is gone" \
    [ "$(sqlite3 "$R/$DB" 'SELECT count(*) FROM bips')" -eq 0 ]

# Hostile databases: each a warning that says why, never a hang.
R="$T/hostile"; f2broot "$R"
mkfifo "$R/$DB"
diagnose "$R" --from 203.0.113.50
check "the database a FIFO: cannot tell, no hang" \
    inc_has "/var/lib/fail2ban/fail2ban.sqlite3: No such device or address"
check "the database a FIFO: no address-banned" no_ban
rm "$R/$DB"
ln -s /etc/shadow "$R/$DB"
chown -h 1000:1000 "$R/$DB"
diagnose "$R" --from 203.0.113.50
check "the database alice's symlink: not followed, cannot tell" \
    inc_has "/var/lib/fail2ban/fail2ban.sqlite3: Too many levels of symbolic links"
rm "$R/$DB"
head -c 5000 /dev/urandom >"$R/$DB"
diagnose "$R" --from 203.0.113.50
check "a database of garbage: cannot tell" \
    inc_has "/var/lib/fail2ban/fail2ban.sqlite3: not a database fail2ban wrote"
rm "$R/$DB"
truncate -s 2G "$R/$DB"
diagnose "$R" --from 203.0.113.50
check "a sparse 2 GB database: not read, cannot tell" \
    inc_has "/var/lib/fail2ban/fail2ban.sqlite3: is larger than sshfix reads"
rm "$R/$DB"
sqlite3 "$R/$DB" 'CREATE TABLE fail2banDb(version INTEGER); INSERT INTO fail2banDb VALUES(2);
    CREATE TABLE bans(jail TEXT, ip TEXT, timeofban INTEGER, data JSON);'
diagnose "$R" --from 203.0.113.50
check "a database of fail2ban before 0.11: cannot tell, and says why" \
    inc_has "/var/lib/fail2ban/fail2ban.sqlite3: its schema is version 2, of fail2ban before 0.11, which sshfix does not read"
rm "$R/$DB"
f2b "$R/$DB" write sshd,203.0.113.50,100,600
sqlite3 "$R/$DB" "UPDATE bips SET jail = 'ss' || char(10) || 'hd'"
diagnose "$R" --from 203.0.113.50
check "a jail name with a newline: cannot tell, not printed" \
    inc_has "/var/lib/fail2ban/fail2ban.sqlite3: a row sshfix cannot take of its bips table"
rm "$R/$DB"
f2b "$R/$DB" write sshd,203.0.113.50,100,600
sqlite3 "$R/$DB" "CREATE TRIGGER t AFTER INSERT ON jails BEGIN SELECT 1; END;
    CREATE VIEW v AS SELECT * FROM bips;"
diagnose "$R" --from 203.0.113.50
check "a database with a trigger and a view: still read" has_id address-banned

# The repair, on a disk whose fail2ban is not running: the row removed
# from the database as fail2ban-client unbanip removes it; fail2ban's own
# code still reads the database, and puts back every other ban.
last_snap() {
	find "$R/var/lib/sshfix/snapshots" -name '*.tar' -printf '%f\n' |
	    sort | tail -1 | sed 's/\.tar$//'
}
R="$T/repair"; f2broot "$R"
f2b "$R/$DB" write sshd,203.0.113.50,100,600 sshd,203.0.113.77,100,600 \
    recidive,203.0.113.50,100,-1
chmod 0600 "$R/$DB"
diagnose "$R" --from 203.0.113.50
check "repair planned: the row of each jail removed (two unban actions)" \
    [ "$(printf '%s' "$OUT" | jq '[.findings[].actions[]? | select(.type == "unban")] | length')" -eq 2 ]
check "repair planned: names the jail and the address" \
    out_has '"type":"unban","path":"/var/lib/fail2ban/fail2ban.sqlite3","jail":"sshd","address":"203.0.113.50"'
before=$(tree "$R"; state "$R/var/lib/fail2ban")
# What a run killed half way leaves in /tmp (a pid now gone): swept.
dead=$(sh -c 'echo $$')
for k in fail2ban krl; do
	mkdir -m 0700 "/tmp/sshfix-$k.$dead.left"
	: >"/tmp/sshfix-$k.$dead.left/$F2B_COPY_NAME"
done
run --root "$R" --apply --from 203.0.113.50
check "fail2ban apply: exit 0" [ "$RC" -eq 0 ]
check "apply: the directories a killed run left (fail2ban, krl) are swept" \
    sh -c '! ls -d /tmp/sshfix-fail2ban.$1.* /tmp/sshfix-krl.$1.* 2>/dev/null' _ "$dead"
# fail2ban's own code writes to a database it opens: it reads a copy.
cp "$R/$DB" "$T/applied.db"
after=$( { f2b "$T/applied.db" restore sshd,600
    f2b "$T/applied.db" restore recidive,-1; } | sort)
check "fail2ban apply: fail2ban's own restore puts back only the other address" \
    [ "$after" = 203.0.113.77 ]
check "fail2ban apply: the database passes SQLite's integrity check" \
    [ "$(sqlite3 "$R/$DB" 'PRAGMA integrity_check')" = ok ]
check "fail2ban apply: the rows of the ban history (bans) are left alone" \
    [ "$(sqlite3 "$R/$DB" "SELECT count(*) FROM bans WHERE ip = '203.0.113.50'")" -eq 2 ]
check "fail2ban apply: owner and mode kept" \
    [ "$(stat -c '%U %a' "$R/$DB")" = "root 600" ]
diagnose "$R" --from 203.0.113.50
check "fail2ban after apply: no address-banned" no_ban
snap=$(last_snap)
run --root "$R" --rollback "$snap"
check "fail2ban rollback: exit 0" [ "$RC" -eq 0 ]
check "fail2ban rollback: the tree and the database are as they were" \
    [ "$(tree "$R"; state "$R/var/lib/fail2ban")" = "$before" ]
diagnose "$R" --from 203.0.113.50
check "fail2ban rollback: the ban is back" has_id address-banned
