# The layering of the tree (README "Layout"): each file uses only its own
# layer and those below it. Checked twice: over the #include lines of
# every source and header, and over the calls between the built objects
# (nm), where it also finds any circle among files and any detector that
# calls another.
set -u
cd "$SSHFIX_TOP" || exit 1
B=$(dirname "$SSHFIX")
N=0
ok() { N=$((N + 1)); echo "ok $N - $*"; }
not_ok() { N=$((N + 1)); echo "not ok $N - $*"; }
# verdict NAME: ok when $bad is empty, else not ok with each line of it.
verdict() {
	if [ -z "$bad" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '%s\n' "$bad" | sed 's/^/#   /'
	fi
}

# The layers, lowest first. A path (under src/ or include/, or fixes/)
# belongs to the last pattern it matches; one layer per line, its
# patterns separated by spaces. "NAME" matches the files directly in a
# folder, "NAME/" everything under it.
LAYERS='
base	.
os	os/
model	target/config/ target/accounts/ target/binary/
target	target/.
facts	target/keys/ target/net/ target/logs/
login	target/login/
load	target/load.c target/load.h
plan	plan/
detect	fixes/
prove	prove/
report	report/
snapshot	snapshot/
exec	exec/
cli	cli/ main.c
'

# layer_awk: an awk program that defines rank(path) from $LAYERS.
layer_awk='
function rank(p,	best, blen, i, pat, dir) {
	sub(/^\.\//, "", p)
	sub(/^(src|include)\//, "", p)
	best = 0; blen = -1
	for (i = 1; i <= npat; i++) {
		pat = pats[i]
		if (pat == ".") {
			if (p !~ /\//) { best = prank[i]; blen = 0 }
		} else if (pat ~ /\/\.$/) {
			dir = substr(pat, 1, length(pat) - 1)
			if (index(p, dir) == 1 &&
			    substr(p, length(dir) + 1) !~ /\// &&
			    length(dir) > blen) {
				best = prank[i]; blen = length(dir)
			}
		} else if (index(p, pat) == 1 && length(pat) > blen) {
			best = prank[i]; blen = length(pat)
		}
	}
	return best
}
BEGIN {
	n = split(layers, lines, "\n")
	r = 0
	for (i = 1; i <= n; i++) {
		if (lines[i] == "")
			continue
		r++
		split(lines[i], f, "\t")
		lname[r] = f[1]
		m = split(f[2], ps, " ")
		for (j = 1; j <= m; j++) {
			npat++
			pats[npat] = ps[j]
			prank[npat] = r
		}
	}
}'

files=$(find src include fixes -name '*.[ch]' | sort)

# 1. Every file and header has a layer.
bad=$(printf '%s\n' $files | awk -v layers="$LAYERS" "$layer_awk"'
	{ if (rank($0) == 0) print "no layer: " $0 }')
verdict "every source and header belongs to a layer"

# 2. No #include of a header of a layer above.
T_HDRS=$(mktemp "${TMPDIR:-/tmp}/sshfix-layers.XXXXXX") || exit 1
trap 'rm -f "$T_HDRS"' EXIT
find include -name '*.h' >"$T_HDRS"
bad=$(for f in $files; do
	sed -n 's/^#include "\(.*\)"$/\1/p' "$f" | sed "s|^|$f |"
done | awk -v layers="$LAYERS" "$layer_awk"'
	FNR == NR { hdr[$0]; next }
	{
		if (("include/" $2) in hdr) {
			a = rank($1); b = rank("include/" $2)
			if (b > a)
				printf "%s (%s) includes %s (%s)\n", $1, \
				    lname[a], $2, lname[b]
		}
	}' "$T_HDRS" -) || bad="the check failed"
verdict "no file includes a header of a layer above its own"

# 3-5. The calls between the built objects: SOURCE DEFINER per symbol.
objs=
for f in $files; do
	case $f in *.c) [ -f "$B/${f%.c}.o" ] && objs="$objs $f" ;; esac
done
if [ -z "$objs" ]; then
	not_ok "the objects of $B to read (make first)"
	exit 0
fi
edges=$(for f in $objs; do
	nm "$B/${f%.c}.o" | awk -v f="$f" '
		NF == 3 && $2 ~ /^[TDBRC]$/ { print "D", $3, f }
		NF == 2 && $1 == "U" { print "U", $2, f }'
done | awk '
	$1 == "D" { def[$2] = $3; next }
	{ use[++n] = $3 " " $2 }
	END {
		for (i = 1; i <= n; i++) {
			split(use[i], u, " ")
			if ((u[2] in def) && def[u[2]] != u[1] &&
			    !seen[use[i]]++)
				print u[1], def[u[2]], u[2]
		}
	}') || edges="the edges could not be read"

bad=$(printf '%s\n' "$edges" | awk -v layers="$LAYERS" "$layer_awk"'
	NF == 3 {
		a = rank($1); b = rank($2)
		if (b > a)
			printf "%s (%s) calls %s of %s (%s)\n", $1, lname[a], \
			    $3, $2, lname[b]
	}') || bad="the check failed"
verdict "no file calls into a layer above its own (nm)"

# A detector uses the model and the plan, never another detector: only
# the registry names them all.
bad=$(printf '%s\n' "$edges" | awk '
	$1 ~ /^fixes\// && $2 ~ /^fixes\// && $1 != "fixes/registry.c" {
		printf "%s uses %s of %s\n", $1, $3, $2 }') || bad="the check failed"
verdict "no detector uses another detector"

# No circle: take away, again and again, every file that calls no file
# left or that no file left calls; what remains is in a circle or
# between two.
bad=$(printf '%s\n' "$edges" | awk '
	NF == 3 && !seen[$1 " " $2]++ {
		from[++n] = $1; to[n] = $2; node[$1]; node[$2]
	}
	END {
		do {
			changed = 0
			for (v in node) { out[v] = 0; inc[v] = 0 }
			for (i = 1; i <= n; i++)
				if ((from[i] in node) && (to[i] in node)) {
					out[from[i]]++; inc[to[i]]++
				}
			for (v in node)
				if (out[v] == 0 || inc[v] == 0) {
					delete node[v]; changed = 1
				}
		} while (changed)
		for (i = 1; i <= n; i++)
			if ((from[i] in node) && (to[i] in node))
				print from[i], "->", to[i]
	}') || bad="the check failed"
verdict "no circle among the files (nm)"
