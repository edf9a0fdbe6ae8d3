#!/bin/sh
# Rollback is a stack: a plain --rollback undoes the newest apply still in
# force, then the one before it, and so on (never the rollback it made
# itself); --rollback ID takes the tree back to before ID, undoing every
# newer apply first, newest first; undoing a rollback puts its apply back
# in force, so the next plain --rollback undoes it again. Each step says
# what it undid and what is still in place.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
# jget EXPR: EXPR of the last JSON output (d).
jget() {
	"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
	    "$T/out" "$1"
}
# two_applies DIR: two faults, each repaired by its own --apply; B1 and
# B2 the trees before each, A1 and A2 their snapshot ids.
two_applies() {
	mkroot "$1"
	chmod 0777 "$1/home/alice"
	tree "$1" >"$T/b1"
	run --root "$1" --apply --json
	A1=$(jget 'd["snapshot"]')
	chmod 0777 "$1/root"
	tree "$1" >"$T/b2"
	run --root "$1" --apply --json
	A2=$(jget 'd["snapshot"]')
	tree "$1" >"$T/b3"
	# Both undone: the tree before the second, /home/alice as before the
	# first (/root's 0777 was made by hand in between: no apply's).
	awk -v a="$(grep '^\./home/alice ' "$T/b1")" \
	    '/^\.\/home\/alice / { print a; next } { print }' "$T/b2" >"$T/b0"
}
# now: the tree of $R as it is, in $T/now.
now() { tree "$R" >"$T/now"; }

R="$T/stack"; two_applies "$R"
check "two applies, two snapshots" sh -c "[ -n '$A1' ] && [ -n '$A2' ] && [ '$A1' != '$A2' ]"
run --root "$R" --rollback
now
check "plain --rollback undoes the newer apply (the tree before it)" \
    sh -c "[ $RC -eq 0 ] && cmp -s '$T/now' '$T/b2'"
check "... and says the older one is still in place" \
    out_has "still in place: $A1 (--rollback again undoes $A1)"
U2=$(printf '%s\n' "$OUT" | sed -n 's/^  sshfix --rollback \([^ ]*\) .*/\1/p')
run --root "$R" --rollback
now
check "a second plain --rollback goes further back: the older apply" \
    sh -c "[ $RC -eq 0 ] && cmp -s '$T/now' '$T/b0'"
check "... and says nothing is left in place" \
    out_has "no apply of sshfix is left in place"
run --root "$R" --rollback
now
check "a third: nothing left to roll back, exit 2, tree unchanged" \
    sh -c "[ $RC -eq 2 ] && cmp -s '$T/now' '$T/b0'"

# Undoing the first rollback (by its id) puts the newer apply back in
# force, with the older one still undone: the stack's top is that apply.
run --root "$R" --rollback "$U2"
tree "$R" >"$T/redo"
check "undoing a rollback by id: its apply is back, the older one not" \
    sh -c "[ $RC -eq 0 ] && [ -n '$U2' ] &&
    grep -qxF \"\$(grep '^./root ' '$T/b3')\" '$T/redo' &&
    grep -q '^./home/alice d 777 ' '$T/redo'"
run --root "$R" --rollback --json
check "... and the next plain --rollback undoes that apply again" \
    sh -c "[ $RC -eq 0 ] && [ '$(jget 'd["snapshot"]')' = '$A2' ]"

# --rollback ID with a newer apply in force: both undone, newest first.
R="$T/byid"; two_applies "$R"
run --root "$R" --rollback "$A1" --json
now
check "--rollback OLDER: the tree before it, exit 0" \
    sh -c "[ $RC -eq 0 ] && cmp -s '$T/now' '$T/b0'"
 check "... JSON: one document, undone newest first, none left applied" \
    [ "$(jget 'd["undone"], d["applied"], d["snapshot"], d["result"]')" = \
    "(['$A2', '$A1'], [], '$A1', 'rolled-back')" ]
check "... the document is valid against the schema" sh -c \
    "'$PY' -c 'import json, sys, jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[2]))).validate(json.load(open(sys.argv[1])))' '$T/out' '$SSHFIX_TOP/packaging/sshfix.schema.json'"

# A newer apply whose paths changed since: it is not undone over them,
# and so neither is the older one (nothing changes).
R="$T/changed"; two_applies "$R"
chmod 0750 "$R/root"
tree "$R" >"$T/c0"
run --root "$R" --rollback "$A1"
now
check "--rollback OLDER over a newer apply changed since: refused, nothing changed" \
    sh -c "[ $RC -eq 3 ] && cmp -s '$T/now' '$T/c0'"
check "... it names the path and the newer snapshot, on stderr" \
    sh -c "printf '%s' \"\$0\" | grep -q '$A2' && printf '%s' \"\$0\" | grep -q 'changed since the apply: /root'" "$ERR"

echo "1..$N"
