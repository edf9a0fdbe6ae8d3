# The differential test's parts (t_differential.sh): build a root from a
# generated setup (gen.awk), judge it with the real sshd of one release
# and with sshfix, compare the two answers, shrink a disagreement.
# Sourced by t_differential.sh after tests/e2e/lib.sh and
# tests/versions/openssh.sh; DREL is the release ("debian": the host's
# sshd), DP its build prefix.

DIR_=$SSHFIX_TOP/tests/differential
DHASH=$(perl -e 'print crypt($ARGV[0], "\$6\$diffsalt\$")' "$PASSWORD")
# The client's second key ("key2" lines): a setup naming it has the client
# offer both, for AuthenticationMethods publickey,publickey.
CKEY2="$T/client_key2"
ssh-keygen -q -t ed25519 -N '' -C e2e2 -f "$CKEY2"

# What the release is (the generator's choice of keywords follows it).
diff_release() {
	DREL=$1
	DVER=9.2 DPAM=yes DSSHD=/usr/sbin/sshd DOPTS=
	if [ "$DREL" != debian ]; then
		DP=$(openssh_build "$DREL") || return 1
		DVER=$(echo "$DREL" | sed 's/p.*//')
		DPAM=no DSSHD="$DP/sbin/sshd" DOPTS="-f /etc/ssh/sshd_config"
	fi
	# One client tries after another from 127.0.0.1: 9.8's penalties
	# for failed logins would refuse the next client, whatever the
	# setup; with them off each attempt is a person's first.
	case $DVER in
	9.[89]|1[0-9].*) DOPTS="$DOPTS -o PerSourcePenalties=no" ;;
	esac
	return 0
}

# diff_base DIR: the root every setup starts from: mkroot's accounts with
# no key and no password ("*", not locked), bob's ~/.ssh, this release's
# sshd in the root (sshfix reads its version and runs it chrooted), the
# host's PAM stack (mounted over the host's for the real sshd), no
# sshd_config.
diff_base() {
	B_=$1
	mkroot "$B_"
	rm -f "$B_/home/alice/.ssh/authorized_keys" \
	    "$B_/root/.ssh/authorized_keys" "$B_/etc/ssh/sshd_config"
	sed -i 's/^\(alice\|bob\|root\):[^:]*:/\1:*:/' "$B_/etc/shadow"
	mkdir -m 0700 "$B_/home/bob/.ssh"
	chown 1001:1001 "$B_/home/bob/.ssh"
	copy_sshd "$B_"
	mkdir -p "$B_/tmp" "$B_/dev"
	# The host's PAM stack with pam_unix's 2 s delay after a failure
	# off (nodelay) and without pam_motd (optional, in the session: it
	# runs update-motd.d's scripts after each login): the same verdicts,
	# a tenth of the time; real.sh mounts it over the system's.
	rm -rf "$B_/etc/pam.d"
	cp -a /etc/pam.d "$B_/etc/pam.d"
	sed -i -e '/^[^#]*pam_unix\.so/{/nodelay/!s/pam_unix\.so/pam_unix.so nodelay/}' \
	    -e '/^[[:space:]]*session[[:space:]]\{1,\}optional[[:space:]]\{1,\}pam_motd\.so/d' \
	    "$B_"/etc/pam.d/*
	[ "$DREL" = debian ] && return 0
	openssh_root "$B_" "$DP"
	# 7.4p1 is built without OpenSSL: ed25519 host keys only.
	[ "$DREL" != 7.4p1 ] || rm -f "$B_"/etc/ssh/ssh_host_rsa_key* \
	    "$B_"/etc/ssh/ssh_host_ecdsa_key*
}

dhome() { [ "$1" = root ] && echo /root || echo "/home/$1"; }
duid() { case $1 in alice) echo 1000 ;; bob) echo 1001 ;; *) echo 0 ;; esac; }

# build_root DESC DIR: DIR is a copy of the base with setup DESC applied;
# modes and owners last, over the files the other lines made.
build_root() {
	D_=$1 R_=$2
	rm -rf "$R_"
	cp -a "$DBASE" "$R_" || return 1
	: >"$R_/etc/ssh/sshd_config"
	while IFS= read -r l; do
		set -f
		# shellcheck disable=SC2086
		set -- $l
		set +f
		v=$1
		case $v in
		conf)
			r=${l#conf }
			f=${r%% *}
			t=${r#* }
			[ "$f" = main ] && f="$R_/etc/ssh/sshd_config" ||
			    f="$R_/etc/ssh/sshd_config.d/$f.conf"
			mkdir -p "$(dirname "$f")"
			printf '%s\n' "$t" >>"$f"
			;;
		key|key2)
			u=$2 p=${3:-.ssh/authorized_keys} o=${4:-}
			h=$(dhome "$u")
			case $p in /*) ;; *) p="$h/$p" ;; esac
			mkdir -p "$R_$(dirname "$p")"
			k_=$CKEY
			[ "$v" = key ] || k_=$CKEY2
			printf '%s%s\n' "${o:+$o }" "$(cat "$k_.pub")" \
			    >>"$R_$p"
			case $p in
			"$h"/*) chown "$(duid "$u"):$(duid "$u")" "$R_$p"
				chmod 0600 "$R_$p" ;;
			*) chmod 0644 "$R_$p" ;;
			esac
			;;
		line)	# line PATH TEXT: TEXT appended to PATH (root's, 0644)
			r=${l#line }
			f="$R_${r%% *}"
			mkdir -p "$(dirname "$f")"
			printf '%s\n' "${r#* }" >>"$f"
			chmod 0644 "$f"
			;;
		revoke)	# revoke PATH key|key2
			f="$R_$2"
			k_=$CKEY
			[ "$3" = key ] || k_=$CKEY2
			mkdir -p "$(dirname "$f")"
			cat "$k_.pub" >>"$f"
			chmod 0644 "$f"
			;;
		krl)	# krl PATH key|key2|bad: a KRL revoking that key
			f="$R_$2"
			mkdir -p "$(dirname "$f")"
			case $3 in
			bad) printf 'SSHKRL\n\0not a KRL' >"$f" ;;
			*) k_=$CKEY
			   [ "$3" = key ] || k_=$CKEY2
			   ssh-keygen -q -k -f "$f" "$k_.pub" ;;
			esac
			chmod 0644 "$f"
			;;
		pass) sed -i "s|^$2:[^:]*:|$2:$DHASH:|" "$R_/etc/shadow" ;;
		lock) sed -i "s|^$2:|$2:!|" "$R_/etc/shadow" ;;
		group)
			grep -q "^$3:" "$R_/etc/group" ||
			    echo "$3:x:$((2000 + $(wc -l <"$R_/etc/group"))):" \
			    >>"$R_/etc/group"
			sed -i "/^$3:/{s/:\$/:$2/;t;s/\$/,$2/}" "$R_/etc/group"
			;;
		chmod|chown) ;;
		*) echo "build_root: unknown directive: $l" >&2; return 1 ;;
		esac
	done <<EOF
$D_
EOF
	printf '%s\n' "$D_" | while read -r v a p; do
		case $v in
		chmod) [ ! -e "$R_$p" ] || chmod "$a" "$R_$p" ;;
		chown) [ ! -e "$R_$p" ] || chown "$(duid "$a")" "$R_$p" ;;
		esac
	done
}

# judge_real DIR DESC: REAL is the real sshd's answer for root DIR (real.sh).
# DESC: the setup (which attempts can succeed).
judge_real() {
	tries=
	for u in alice bob root; do
		k= p=
		printf '%s\n' "$2" | grep -q "^key2\{0,1\} $u\( \|\$\)" && k=k
		printf '%s\n' "$2" | grep -q "^pass $u\$" && p=pi
		[ -z "$k$p" ] || tries="$tries $u:$k${p}a"
	done
	rm -f "$DW/client_key2"
	if printf '%s\n' "$2" | grep -q "^key2 "; then
		cp "$CKEY2" "$DW/client_key2"
	fi
	# shellcheck disable=SC2086
	REAL=$(unshare -m -n sh "$DIR_/real.sh" "$1" "$DW" "$DSSHD" \
	    "$SSHFIX_TOP/tests/e2e/mounts.sh" "$tries" $DOPTS \
	    2>"$DW/real.err" | tail -1)
	[ -n "$REAL" ] || REAL="error: $(head -1 "$DW/real.err")"
}

# judge_sshfix DIR: SF is sshfix's answer in the same form: per account
# the methods the access table says let it in, "a" for verdict ok, "?"
# for cannot tell; nobody in while an error about no one account stands
# (accounts_once_fixed: sshd does not start, or lets no one in).
judge_sshfix() {
	"$SSHFIX" --root "$1" --dry-run --json --user alice --from 127.0.0.1 \
	    >"$DW/sf.json" 2>"$DW/sf.err"
	# Per account: the methods of a verdict ok whose chain is one method
	# ("publickey+publickey": two keys) are that method to the client
	# that holds what it needs.
	SF=$(jq -r '
	def way($a): [$a.methods | split(",")[] | split("+") | unique |
	    select(length == 1) | .[0]] as $m |
	    (if ($m | index("publickey")) then "k" else "." end) +
	    (if ($m | index("password")) then "p" else "." end) +
	    (if ($m | index("keyboard-interactive")) then "i" else "." end);
	. as $d | ([.accounts // [] | .[] | {key: .name, value: .}] |
	    from_entries) as $acc |
	[("alice", "bob", "root") as $u | $acc[$u] as $a | $u + "=" +
	    if $a == null or ($d.accounts_once_fixed // false) then "...."
	    elif $a.verdict == "cannot-tell" then "????"
	    elif $a.verdict == "ok" then way($a) + "a"
	    else "...." end] | join(" ")' "$DW/sf.json" 2>/dev/null) ||
	    SF="error: no JSON ($(head -1 "$DW/sf.err"))"
}

# judge DESC: build the root, both answers; AGREE=yes when they are the
# same for every account and way in.
judge() {
	build_root "$1" "$DW/root" || { REAL="error: build" SF=; AGREE=no; return; }
	judge_real "$DW/root" "$1"
	judge_sshfix "$DW/root"
	AGREE=no
	[ "${REAL#* }" = "$SF" ] && AGREE=yes
}

# sig: where the two answers differ and how (alice:k:k. : sshd let alice
# in with her key, sshfix did not); empty when they agree.
sig() {
	printf '%s\n%s\n' "${REAL#* }" "$SF" | awk '
	NR == 1 { n = split($0, r, " ") }
	NR == 2 { split($0, f, " ")
		for (i = 1; i <= n; i++) {
			split(r[i], a, "="); split(f[i], b, "=")
			for (j = 1; j <= 4; j++)
				if (substr(a[2], j, 1) != substr(b[2], j, 1))
					printf "%s:%d:%s%s ", a[1], j,
					    substr(a[2], j, 1), substr(b[2], j, 1)
		} }'
}

# minimise DESC: the smallest setup (no line can go) on which the two
# still disagree the same way (sig); printed.
minimise() {
	cur=$1
	judge "$cur"
	want=$(sig)
	changed=1
	while [ "$changed" = 1 ]; do
		changed=0
		n=$(printf '%s\n' "$cur" | wc -l)
		i=$n
		while [ "$i" -ge 1 ]; do
			try_=$(printf '%s\n' "$cur" | sed "${i}d")
			judge "$try_"
			if [ "$AGREE" = no ] && [ "$(sig)" = "$want" ]; then
				cur=$try_
				changed=1
			fi
			i=$((i - 1))
		done
	done
	printf '%s\n' "$cur"
}
