# Which file cloud-init's set_passwords rewrites (ssh_pwauth: false), for
# each shape of the Include in sshd_config, and so whether the password
# login a plan opens in sshd_config is closed again at the next boot.
# cloud-init writes 50-cloud-init.conf only for a line starting with the
# exact "Include /etc/ssh/sshd_config.d/*.conf"; for any other shape it
# rewrites sshd_config, Match blocks included, even where sshd reads the
# drop-ins. Each verdict is held against the real cloud-init too: its
# update_ssh_config run on a copy of the root with sshfix's plan applied,
# /etc/ssh bind-mounted from the copy in a private mount namespace.
. "$SSHFIX_TOP/tests/integration/lib.sh"

CI=no
[ "$NS_OK" = yes ] && /usr/bin/python3 -c 'import cloudinit.ssh_util' \
    2>/dev/null && CI=yes

# ciroot NAME INCLUDE: alice locked out by PasswordAuthentication no,
# sshd_config's Include line replaced by INCLUDE, ssh_pwauth: false.
ciroot() {
	R="$T/$1"
	lockout "$R"
	sed -i "s|^Include .*|$2|" "$R/etc/ssh/sshd_config"
	mkdir -p "$R/etc/cloud"
	printf 'ssh_pwauth: false\n' >"$R/etc/cloud/cloud.cfg"
}

# warned WANT: the plan says (1) or does not say (0) that cloud-init
# undoes the fix, and the one line agrees.
warned() {
	run --root "$R" --user alice
	t=$(printf '%s' "$OUT" | tr '\n' ' ' | tr -s ' ')
	case "$t" in
	*"UNDONE AT THE NEXT BOOT by cloud-init: ssh_pwauth: false (/etc/cloud/cloud.cfg:1) makes cloud-init's set_passwords rewrite every PasswordAuthentication line of /etc/ssh/sshd_config to"*)
		w=1 ;;
	*UNDONE*) return 1 ;;
	*) w=0 ;;
	esac
	run --root "$R" --user alice --oneline
	out_has "AT NEXT BOOT cloud-init undoes auth-lockout on alice"
	o=$((1 - $?))
	[ "$w" -eq "$1" ] && [ "$o" -eq "$1" ]
}

# ci_undoes: after --apply on a copy of R, the real cloud-init's
# set_passwords (ssh_pwauth false) leaves no PasswordAuthentication yes.
ci_undoes() {
	C="$T/ci"
	rm -rf "$C" && cp -a "$R" "$C" || return 2
	"$SSHFIX" --root "$C" --user alice --apply >/dev/null 2>&1 || return 2
	grep -rqE '^[[:space:]]*PasswordAuthentication[[:space:]]+yes' \
	    "$C/etc/ssh" || return 2
	unshare -m sh -c 'mount --bind "$1/etc/ssh" /etc/ssh &&
	    /usr/bin/python3 -c "from cloudinit import ssh_util
ssh_util.update_ssh_config({\"PasswordAuthentication\": \"no\"})"' \
	    _ "$C" >/dev/null 2>&1 || return 2
	! grep -rqE '^[[:space:]]*PasswordAuthentication[[:space:]]+yes' \
	    "$C/etc/ssh"
}

# shape NAME WANT DESCRIPTION: sshfix warns (WANT 1) or not, and the
# real cloud-init undoes the fix exactly when sshfix warns.
shape() {
	diagnose "$R" --user alice
	check "$1: auth-lockout planned, nothing changed" \
	    sh -c "[ $RC -eq 1 ] && [ $UNCHANGED -eq 0 ]"
	check "$1: $3" warned "$2"
	if [ "$CI" = no ]; then
		skip_line "$1: the real cloud-init agrees" \
		    "no cloud-init or no mount namespace"
		return
	fi
	ci_undoes
	check "$1: the real cloud-init agrees" [ $? -eq $((1 - $2)) ]
}

ciroot exact 'Include /etc/ssh/sshd_config.d/*.conf'
shape exact 0 "cloud-init writes 50-cloud-init.conf: the Match block in sshd_config outlives it"

# sshd reads the drop-ins through each of these, cloud-init does not
# recognise them and rewrites sshd_config: the Match block's line too.
ciroot relative 'Include sshd_config.d/*.conf'
shape relative 1 "a relative Include of sshd_config.d: cloud-init rewrites sshd_config, warned"
ciroot blanks '  Include /etc/ssh/sshd_config.d/*.conf'
shape blanks 1 "an indented Include: cloud-init rewrites sshd_config, warned"
ciroot lower 'include /etc/ssh/sshd_config.d/*.conf'
shape lower 1 "a lower-case include: cloud-init rewrites sshd_config, warned"

ciroot other 'Include /etc/ssh/other.d/*.conf'
mkdir "$R/etc/ssh/other.d"
mv "$R/etc/ssh/sshd_config.d/50-cloud-init.conf" "$R/etc/ssh/other.d/"
shape other 1 "an Include of another directory: cloud-init rewrites sshd_config, warned"

ciroot commented '#Include /etc/ssh/sshd_config.d/*.conf'
echo 'PasswordAuthentication no' >>"$R/etc/ssh/sshd_config"
shape commented 1 "the Include commented out: cloud-init rewrites sshd_config, warned"

# The model's bytes, not a second read bounded at 1 MiB: a long
# sshd_config still has cloud-init write 50-cloud-init.conf.
ciroot long 'Include /etc/ssh/sshd_config.d/*.conf'
awk 'BEGIN { for (i = 0; i < 24000; i++)
    printf "# padding comment line %d of a long sshd_config ......\n", i }' \
    >>"$R/etc/ssh/sshd_config"
shape long 0 "a 1.4 MiB sshd_config with the exact Include: no warning"
echo "1..$N"
