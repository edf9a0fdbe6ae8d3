# firewalld configurations drawn at random (seeded), each judged by a
# real root's own firewalld and by sshfix, which must agree: TCP to
# sshd's port (22, or now and then 2222: a Port line) from 192.0.2.50
# accepted by the kernel (firewalld's rules loaded, a listener on
# 198.51.100.10 at that port, a client namespace across a veth pair,
# as lib.sh's dattempt with DISTRO_FW) when, and only when, sshfix
# --from 192.0.2.50 reports no host-firewall finding; its "cannot tell"
# is allowed, and counted. A configuration the real firewalld refuses
# (it logs an ERROR, says "failed" and runs its stock configuration
# instead) is "invalid" and skipped; a firewalld that does not start at
# all fails the case.
#
# Standalone (as root; SSHFIX, SSHFIX_TOP set):
#   sh tests/distros/fwdgen.sh [SEED|DIR...]
# the seeds given, else FWDGEN_SEED (1) and the FWDGEN_CASES (40) after
# it; FWDGEN_SUITE (bookworm). A DIR is a case written by hand as
# fwdgen_conf writes one. A disagreement prints its seed, the files
# written under /etc/firewalld, firewalld's warnings, its input chains
# and sshfix's message: "sh tests/distros/fwdgen.sh SEED" replays it.
# FWDGEN_KEEP=DIR keeps each case's files, firewalld's log, the whole
# ruleset and sshfix's report in DIR/SEED.
# Sourced (FWDGEN_LIB=1, by t_distros.sh, whose harness it uses):
# fwdgen SUITE runs the cases, one check line each.

# fwdgen_conf SEED DIR: the configuration of SEED written under DIR:
# DIR/default (firewalld.conf's DefaultZone), DIR/zones and
# DIR/policies (the files for /etc/firewalld).
fwdgen_conf() {
	python3 - "$1" "$2" <<'PY'
import os, random, sys

seed, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(seed)
ch = rnd.choice
# Every draw is from values the real firewalld takes, but for a few: a
# zone's target REJECT, which it refuses ("invalid": it runs its stock
# configuration instead), and rich rules it ignores with a WARNING (a
# source without a family; neither element nor source at priority 0).
ZONES = ["public", "drop", "block", "trusted", "internal", "fwdgen"]
PACKAGED = {
    "public": ("default", ["ssh", "dhcpv6-client"]),
    "drop": ("DROP", []), "block": ("%%REJECT%%", []),
    "trusted": ("ACCEPT", []), "internal": ("default", ["ssh", "dhcpv6-client"]),
}
SERVICES = ["ssh", "http", "dhcpv6-client"]
PORTS = [("22", "tcp"), ("2222", "tcp"), ("20-30", "tcp"), ("22", "udp")]
ADDRS = ["192.0.2.50", "192.0.2.50/32", "192.0.2.0/24", "198.51.100.0/24"]
SOURCES = ["192.0.2.50/32", "192.0.2.0/24", "198.51.100.0/24"]


def some(xs, p):
    return [x for x in xs if rnd.random() < p]


def rich():
    fam = "ipv4" if rnd.random() < 0.85 else None
    prio = ch([None, None, -5, 0, 5])
    body = []
    src = rnd.random() < 0.6
    if src:
        if fam is None and rnd.random() < 0.8:
            fam = "ipv4"
        inv = ' invert="True"' if rnd.random() < 0.25 else ""
        body.append('<source address="%s"%s/>' % (ch(ADDRS), inv))
    el = ch(["service", "port", "protocol", "none"])
    if el == "service":
        body.append('<service name="%s"/>' % ch(["ssh", "http"]))
    elif el == "port":
        body.append('<port port="%s" protocol="%s"/>' % ch(PORTS))
    elif el == "protocol":
        body.append('<protocol value="tcp"/>')
    elif not src and not prio and rnd.random() < 0.8:
        prio = ch([-5, 5])
    body.append("<%s/>" % ch(["accept", "reject", "drop"]))
    a = ' family="%s"' % fam if fam else ""
    a += ' priority="%d"' % prio if prio is not None else ""
    return "<rule%s>%s</rule>" % (a, "".join(body))


def items(svc_p):
    x = ['<service name="%s"/>' % s for s in some(SERVICES, svc_p)]
    x += ['<port port="%s" protocol="%s"/>' % p for p in some(PORTS, 0.2)]
    if rnd.random() < 0.1:
        x.append('<protocol value="tcp"/>')
    return x


default = ch(ZONES)
# The zones written to /etc/firewalld/zones: the custom one when used,
# the packaged ones now and then (a copy that replaces it).
written = {}
srcs = {}
for s in SOURCES:
    if rnd.random() < 0.3:
        srcs.setdefault(ch(ZONES), []).append(s)
# Now and then the server's eth0 put in a zone.
iface = ch(ZONES) if rnd.random() < 0.1 else None
for z in ZONES:
    if z == "fwdgen" and default != z and z not in srcs and z != iface:
        continue
    if z != "fwdgen" and z not in srcs and z != iface and \
            rnd.random() < 0.55:
        continue
    tgt = ch(["default", "default", "ACCEPT", "DROP", "%%REJECT%%",
              "%%REJECT%%", "REJECT"] if rnd.random() < 0.1 else
             ["default", "default", "ACCEPT", "DROP", "%%REJECT%%"])
    body = items(0.4)
    body += ['<source address="%s"/>' % s for s in srcs.get(z, [])]
    if z == iface:
        body.append('<interface name="eth0"/>')
    body += [rich() for _ in range(ch([0, 0, 1, 1, 2, 3]))]
    written[z] = (tgt, body)
policy = None
if rnd.random() < 0.4:
    ing = "ANY" if rnd.random() < 0.75 else ch(ZONES[:5])
    body = ['<ingress-zone name="%s"/>' % ing, '<egress-zone name="HOST"/>']
    body += items(0.3)
    if rnd.random() < 0.3:
        body.append(rich())
    policy = (ch(["CONTINUE", "ACCEPT", "DROP", "REJECT"]), ch([-10, 10]),
              body)

# sshd's port and the family of her address (drawn last: the draws
# before them are those of earlier runs of the same seed); IPv6: every
# address and family="ipv4" of the case turned into its IPv6 twin.
port = ch([22, 22, 2222])
family = ch([4, 4, 6])
V6 = [("192.0.2.50/32", "2001:db8:5::50/128"),
      ("192.0.2.0/24", "2001:db8:5::/64"),
      ("198.51.100.0/24", "2001:db8:1::/64"),
      ("192.0.2.50", "2001:db8:5::50"),
      ('family="ipv4"', 'family="ipv6"')]


def twin(b):
    for a, z in V6 if family == 6 else []:
        b = b.replace(a, z)
    return b


written = {z: (t, [twin(b) for b in body])
           for z, (t, body) in written.items()}
if policy:
    policy = (policy[0], policy[1], [twin(b) for b in policy[2]])

os.makedirs(out + "/zones")
os.makedirs(out + "/policies")
with open(out + "/default", "w") as f:
    f.write(default + "\n")
with open(out + "/port", "w") as f:
    f.write("%d\n" % port)
with open(out + "/family", "w") as f:
    f.write("%d\n" % family)
for z, (tgt, body) in sorted(written.items()):
    t = ' target="%s"' % tgt if tgt != "default" else ""
    with open("%s/zones/%s.xml" % (out, z), "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<zone%s>\n'
                "  <short>%s</short>\n" % (t, z))
        for b in body:
            f.write("  %s\n" % b)
        f.write("</zone>\n")
if policy:
    tgt, prio, body = policy
    with open(out + "/policies/fwdgen-in.xml", "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n'
                '<policy target="%s" priority="%d">\n'
                "  <short>fwdgen-in</short>\n" % (tgt, prio))
        for b in body:
            f.write("  %s\n" % b)
        f.write("</policy>\n")
PY
}

# fwdgen_show DIR: the case's configuration as written (the default
# zone, each file), for a report.
fwdgen_show() {
	printf 'DefaultZone=%s\n' "$(cat "$1/default")"
	[ ! -f "$1/port" ] || printf 'sshd Port %s\n' "$(cat "$1/port")"
	[ ! -f "$1/family" ] || printf 'IPv%s\n' "$(cat "$1/family")"
	for _f in "$1"/zones/*.xml "$1"/policies/*.xml; do
		[ -f "$_f" ] || continue
		printf -- '--- /etc/firewalld/%s\n' "${_f#"$1"/}"
		cat "$_f"
	done
}

# fwdgen_connect NETNS PORT ADDR: one TCP connection from NETNS to
# ADDR:PORT: accepted, timeout (2 s), refused, unreachable.
fwdgen_connect() {
	ip netns exec "$1" python3 -c 'import errno, socket, sys
a = sys.argv[2]
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
s.settimeout(2)
try:
    s.connect((a, int(sys.argv[1])))
    print("accepted")
except socket.timeout:
    print("timeout")
except OSError as e:
    # an ICMPv6 "administratively prohibited" is EACCES
    print({errno.ECONNREFUSED: "refused", errno.EHOSTUNREACH:
        "unreachable", errno.EACCES: "unreachable"}.get(e.errno,
        e.strerror))' "$2" "$3"
}

# fwdgen_fire M PORT FAMILY: in new mount, pid and net namespaces, M's
# own firewalld (tests/distros/fw.sh's fwd_up), a listener on
# 198.51.100.10:PORT (IPv6: [2001:db8:1::10]:PORT) and one TCP
# connection to it from 192.0.2.50 (2001:db8:5::50) in a client
# namespace over a veth pair. Writes
# $T/fwdgen.res: accepted, timeout, refused, unreachable, "invalid (...)"
# (firewalld refused the files; what its stock configuration does
# instead) or nofw (it did not start); $T/fwdgen.nft: the ruleset;
# $T/fwd.out: what firewalld said.
fwdgen_fire() {
	rm -f "$T/fwdgen.res" "$T/fwdgen.nft"
	unshare -m -n -p -f sh -c '
		M=$1 T=$2 P=$5 FWDGEN_LIB=1 A=198.51.100.10 V6=
		[ "$6" != 6 ] || { A=2001:db8:1::10; V6=2001:db8:5::50; }
		. "$3"
		. "${3%/*}/fw.sh"
		mount --make-rprivate / || exit 90
		mount -t proc proc "$M/proc" || exit 92
		mount --rbind /dev "$M/dev" || exit 93
		mount -t tmpfs -o mode=0755 tmpfs "$M/run" || exit 94
		ip link set lo up || exit 95
		# The client namespace is named in /run/netns, which other
		# runs share: the pid outside, not 1.
		C=fwdg$4
		trap "ip netns del $C 2>/dev/null" EXIT
		fw_veth $C 192.0.2.50 $V6 || exit 97
		python3 -c "import socket, time
s = socket.socket(socket.AF_INET6 if \":\" in \"$A\" else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"$A\", $P))
s.listen(8)
time.sleep(60)" & ls=$!
		fwd_up "$M"
		up=$?
		if [ $up -eq 0 ]; then
			nft list ruleset >"$T/fwdgen.nft" 2>&1
			fwdgen_connect $C "$P" $A >"$T/fwdgen.res"
		elif [ $up -eq 2 ]; then
			# what it does instead, for the record
			i=0
			while [ $i -lt 25 ] &&
			    ! nft list table inet firewalld >/dev/null 2>&1; do
				sleep 0.2; i=$((i + 1))
			done
			echo "invalid (its stock configuration: $(fwdgen_connect $C "$P" $A))" \
			    >"$T/fwdgen.res"
		else
			echo nofw >"$T/fwdgen.res"
		fi
		kill $ls $fwd $fwd_bus 2>/dev/null
		wait 2>/dev/null
	' _ "$1" "$T" "$SSHFIX_TOP/tests/distros/fwdgen.sh" $$ "$2" "$3" \
	    >"$T/fire.out" 2>&1
	_rc=$?
	[ -s "$T/fwdgen.res" ] || echo "nofw (namespaces: status $_rc)" \
	    >"$T/fwdgen.res"
}

# fwdgen_sshfix M FROM: sshfix's verdict on M for FROM in SAYS
# (reaches, refused, cannot tell, or what else it said) and its
# host-firewall messages in MSG.
fwdgen_sshfix() {
	"$SSHFIX" --root "$1" --dry-run --json --from "$2" \
	    >"$T/fwdgen.json" 2>"$T/fwdgen.err"
	MSG=$(jq -r '.findings[] | select(.id == "host-firewall") |
	    "\(.severity): \(.message)"' "$T/fwdgen.json" 2>/dev/null)
	if ! jq -e .findings "$T/fwdgen.json" >/dev/null 2>&1; then
		SAYS="no report: $(head -c 300 "$T/fwdgen.err")"
	elif [ -z "$MSG" ]; then
		SAYS=reaches
	elif printf '%s\n' "$MSG" | grep -q '^warning: .*cannot tell'; then
		SAYS="cannot tell"
	elif printf '%s\n' "$MSG" | grep -q '^error: '; then
		SAYS=refused
	else
		SAYS="a warning without \"cannot tell\""
	fi
}

# fwdgen_case BASE SEED: SEED's configuration on an overlay of BASE,
# judged by both; counts in fg_agree, fg_unsure, fg_invalid, fg_bad;
# one check line. Its files (and ruleset) are kept in $T/fwdgen.case,
# and in $FWDGEN_KEEP/SEED if set.
fwdgen_case() {
	_c=$T/fwdgen.case _s=$2
	rm -rf "$_c" && mkdir -p "$_c/up" "$_c/work" "$_c/m" || return 1
	# a directory: a configuration written by hand, as fwdgen_conf's
	if [ -d "$_s" ]; then
		cp -r "$_s" "$_c/gen"
	else
		fwdgen_conf "$_s" "$_c/gen" >/dev/null
	fi || {
		not_ok "fwdgen seed $_s: the generator failed"
		fg_bad=$((fg_bad + 1))
		return
	}
	mount -t overlay overlay -o \
	    "lowerdir=$1,upperdir=$_c/up,workdir=$_c/work" "$_c/m" || {
		not_ok "fwdgen seed $_s: overlay"
		fg_bad=$((fg_bad + 1))
		return
	}
	_e=$_c/m/etc/firewalld
	sed -i "s/^DefaultZone=.*/DefaultZone=$(cat "$_c/gen/default")/" \
	    "$_e/firewalld.conf"
	cp "$_c/gen/zones/"*.xml "$_e/zones/" 2>/dev/null
	cp "$_c/gen/policies/"*.xml "$_e/policies/" 2>/dev/null
	# sshd's port: 22, or now and then 2222 (its only Port line)
	_p=$(cat "$_c/gen/port" 2>/dev/null) || _p=22
	[ "$_p" = 22 ] || printf 'Port %s\n' "$_p" >>"$_c/m/etc/ssh/sshd_config"
	# her address: 192.0.2.50, or now and then 2001:db8:5::50
	_f=$(cat "$_c/gen/family" 2>/dev/null) || _f=4
	_from=192.0.2.50
	[ "$_f" != 6 ] || _from=2001:db8:5::50
	fwdgen_sshfix "$_c/m" $_from
	rm -f "$T/fwd.out"
	fwdgen_fire "$_c/m" "$_p" "$_f"
	FIRE=$(cat "$T/fwdgen.res")
	# firewalld's own complaints about the files (its first: the
	# reason; it logs to its output as well as to /var/log/firewalld).
	_err=$(grep 'ERROR' "$_c/m/var/log/firewalld" 2>/dev/null |
	    grep -v 'Falling back' | head -1 | sed 's/^.*ERROR: //')
	umount "$_c/m"
	if [ -n "${FWDGEN_KEEP:-}" ]; then
		_k=$FWDGEN_KEEP/$(basename "$_s")
		mkdir -p "$_k"
		cp -r "$_c/gen/." "$_k/"
		cp "$T/fwdgen.nft" "$T/fwdgen.json" "$T/fwd.out" \
		    "$_c/up/var/log/firewalld" "$_k/" 2>/dev/null
		printf '%s\n%s\n' "$FIRE" "$SAYS" >"$_k/verdicts"
	fi
	_what="fwdgen seed $_s (IPv$_f, port $_p): firewalld: $FIRE, sshfix: $SAYS"
	if [ "${FIRE%% *}" = invalid ] || [ -n "$_err" ]; then
		fg_invalid=$((fg_invalid + 1))
		ok "$_what # SKIP invalid: firewalld says ${_err:-it failed}"
		return
	fi
	case $FIRE:$SAYS in
	accepted:reaches|timeout:refused|refused:refused|unreachable:refused)
		fg_agree=$((fg_agree + 1))
		ok "$_what" ;;
	*:"cannot tell")
		fg_unsure=$((fg_unsure + 1))
		ok "$_what" ;;
	*)
		fg_bad=$((fg_bad + 1))
		not_ok "$_what"
		{
			printf 'seed %s: the real firewalld: %s; sshfix: %s\n' \
			    "$_s" "$FIRE" "$SAYS"
			fwdgen_show "$_c/gen"
			printf -- '--- firewalld warns\n'
			grep WARNING "$_c/up/var/log/firewalld" 2>/dev/null |
			    grep -v 'are missing\|not usable' |
			    sed 's/^.*WARNING: //'
			printf -- '--- sshfix says\n%s\n' "$MSG"
			# the chains a packet to the host goes through
			printf -- '--- firewalld'"'"'s ruleset (input)\n'
			awk '/^\tchain filter_IN/ { p = 1 } p; /^\t}/ { p = 0 }' \
			    "$T/fwdgen.nft" 2>/dev/null
		} | sed 's/^/# /'
		;;
	esac
}

# fwdgen SUITE [SEED...]: the cases on SUITE's fd-flavour root
# (build.sh), unpacked once; a closing line with the counts.
fwdgen() {
	_fs=$1
	shift
	if [ $# -eq 0 ]; then
		_i=${FWDGEN_SEED:-1}
		while [ "$_i" -lt $((${FWDGEN_SEED:-1} + ${FWDGEN_CASES:-40})) ]; do
			set -- "$@" "$_i"
			_i=$((_i + 1))
		done
	fi
	DISTRO_FLAVOUR=fd
	export DISTRO_FLAVOUR
	_base=$T/fwdgen.base
	if ! distro_root "$_fs" "$_base" 2>"$T/why"; then
		skip "fwdgen $_fs" "$(head -1 "$T/why")"
		return
	fi
	# The machine-id the boot makes (fwd_up's first step), once.
	chroot "$_base" systemd-machine-id-setup >/dev/null 2>&1
	fg_agree=0 fg_unsure=0 fg_invalid=0 fg_bad=0
	for _seed in "$@"; do
		fwdgen_case "$_base" "$_seed"
	done
	printf '# fwdgen %s: %d cases: %d agree, %d cannot tell, %d invalid, %d disagree\n' \
	    "$_fs" $# "$fg_agree" "$fg_unsure" "$fg_invalid" "$fg_bad"
	rm -rf "$_base" "$T/fwdgen.case"
}

[ -n "${FWDGEN_LIB:-}" ] && return 0
# Standalone: a private mount namespace (the overlays vanish with it),
# then tests/distros/lib.sh's harness.
if [ -z "${FWDGEN_NS:-}" ]; then
	FWDGEN_NS=1
	export FWDGEN_NS
	exec unshare -m sh -c 'mount --make-rprivate / && exec sh "$0" "$@"' \
	    "$0" "$@"
fi
. "$SSHFIX_TOP/tests/distros/lib.sh"
why=$(e2e_missing)
[ -z "$why" ] || { skip "fwdgen" "$why"; exit 0; }
command -v jq >/dev/null 2>&1 || { skip "fwdgen" "no jq"; exit 0; }
fwdgen "${FWDGEN_SUITE:-bookworm}" "$@"
[ "$fg_bad" -eq 0 ]
