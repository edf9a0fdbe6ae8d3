#!/bin/sh
# Every --apply and --rollback logs one line per change to the log of the
# machine it runs on (a rescue VM's too, with --root), naming the root
# and the snapshot. syslog(3) is caught by a shim (LD_PRELOAD) that
# appends each message to a file.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

cat >"$T/shim.c" <<'C'
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
static void put(int prio, const char *fmt, va_list ap) {
	FILE *f = fopen(getenv("SHIM_LOG"), "a");
	if (f == NULL) return;
	fprintf(f, "%d ", prio);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fclose(f);
}
void syslog(int prio, const char *fmt, ...) {
	va_list ap; va_start(ap, fmt); put(prio, fmt, ap); va_end(ap);
}
void __syslog_chk(int prio, int flag, const char *fmt, ...) {
	va_list ap; (void)flag; va_start(ap, fmt); put(prio, fmt, ap); va_end(ap);
}
void vsyslog(int prio, const char *fmt, va_list ap) { put(prio, fmt, ap); }
void openlog(const char *id, int opt, int fac) { (void)id; (void)opt; (void)fac; }
C
${CC:-cc} -shared -fPIC -o "$T/shim.so" "$T/shim.c" ||
    { not_ok "cannot build the syslog shim"; exit 0; }
logged() {
	SHIM_LOG="$T/syslog" LD_PRELOAD="$T/shim.so" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" run "$@"
}

R="$T/r"; mkroot "$R"; chmod 0777 "$R/root" "$R/home/alice"
: >"$T/syslog"
logged --root "$R" --apply
id=$(printf '%s\n' "$OUT" | sed -n 's/^snapshot \([^ ]*\); undo with:$/\1/p')
check "--apply --root: exit 0, a snapshot" sh -c "[ $RC -eq 0 ] && [ -n '$id' ]"
check "--apply --root: one line per change, each naming the root and the snapshot" \
    sh -c "[ \$(grep -c '^85 changed $R (snapshot $id): chmod ' '$T/syslog') -eq 2 ] &&
    [ \$(wc -l <'$T/syslog') -eq 2 ]"
: >"$T/syslog"
logged --root "$R" --rollback
check "--rollback --root: one line, the snapshot and the root" \
    sh -c "[ $RC -eq 0 ] && [ \$(wc -l <'$T/syslog') -eq 1 ] &&
    grep -q '^85 rolled back snapshot $id (undo: [^)]*) on $R\$' '$T/syslog'"
: >"$T/syslog"
logged --root "$R"
check "a dry run logs nothing" [ ! -s "$T/syslog" ]

echo "1..$N"
