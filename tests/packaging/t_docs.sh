# The man page, the unit, the cloud-config: checked by their own tools,
# and --help agrees with the man page.
. "$SSHFIX_TOP/tests/integration/lib.sh"
P="$SSHFIX_TOP/packaging"

if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint -Wwarning "$P/sshfix.8" >"$T/lint" 2>&1
	check "mandoc -Tlint: nothing above style level" [ $? -eq 0 ]
	sed 's/^/# /' "$T/lint"
else
	skip_line "mandoc -Tlint" "no mandoc"
fi

# Every long option of --help is in the man page, and back.
"$SSHFIX" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$T/help"
sed -n 's/.*Fl \\-\\-\([a-z][a-z\\-]*\).*/--\1/p; s/.*Fl \\-\([a-z][a-z\\-]*\).*/--\1/p' \
    "$P/sshfix.8" | sed 's/\\//g' | grep -- '^--..' | sort -u >"$T/man"
check "--help and sshfix(8) name the same long options" cmp -s "$T/help" "$T/man"
diff "$T/help" "$T/man" | sed 's/^/# /'

if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|@LIBEXECDIR@/sshfix/auto-repair|$P/systemd/sshfix-auto-repair|" \
	    "$P/systemd/sshfix-auto-repair.service" \
	    >"$T/sshfix-auto-repair.service"
	# The man page is not installed yet: the .deb test checks it too.
	systemd-analyze verify --man=no "$T/sshfix-auto-repair.service" \
	    >"$T/v" 2>&1
	check "systemd-analyze verify accepts the unit" [ $? -eq 0 ]
	sed 's/^/# /' "$T/v"
	check "the unit runs before sshd, after local filesystems" sh -c "
	    grep -q '^Before=ssh.service sshd.service' '$T/sshfix-auto-repair.service' &&
	    grep -q '^After=local-fs.target' '$T/sshfix-auto-repair.service'"
	check "the unit is opt-in (/etc/sshfix/auto-repair)" grep -q \
	    '^ConditionPathExists=/etc/sshfix/auto-repair' "$T/sshfix-auto-repair.service"
else
	skip_line "systemd-analyze verify" "no systemd-analyze"
fi

if command -v cloud-init >/dev/null 2>&1; then
	cloud-init schema --config-file "$P/cloud-init/user-data.yaml" \
	    >"$T/schema" 2>&1
	check "cloud-init schema accepts the cloud-config" [ $? -eq 0 ]
	sed 's/^/# /' "$T/schema"
else
	skip_line "cloud-init schema" "no cloud-init"
fi
