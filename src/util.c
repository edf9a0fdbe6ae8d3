/*
 * The base layer (the files directly in src/): helpers every stage
 * shares -- errors, buffers, allocation (util.c), vis(3) output
 * (escape.c), shell quoting (shquote.c), budgets (budget.h), path
 * resolution inside a root (safefs.c), globs inside it (incglob.c),
 * mounts (mounts.c), JSON (json.c). They use libc, libbsd and libmd,
 * nothing of sshfix above.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util.h"

static char errbuf[1024];
static int err_errno;	/* errno when err_set was called */
/* The last error is a refusal of one of sshfix's own files: which, why. */
static char refused_path[1024], refused_why[256];
static int refused;

static void
oom(void)
{
	static const char msg[] = "sshfix: out of memory\n";

	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(2);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		oom();
	p = realloc(p, n * sz != 0 ? n * sz : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xgrowarray(void *v, size_t n, size_t size)
{
	if (n >= 8 && (n & (n - 1)) != 0)
		return v;
	return xreallocarray(v, n < 8 ? 8 : 2 * n, size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	return sbuf_take(&b);
}

void
err_set(const char *fmt, ...)
{
	char buf[sizeof(errbuf)];
	va_list ap;

	err_errno = errno;
	refused = 0;
	/* Formatted aside first: an argument may be err_get() itself. */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memcpy(errbuf, buf, sizeof(errbuf));
}

int
err_refuse(const char *path, const char *why)
{
	/* errno first: err_io must not take a stale ENOSPC for this. */
	errno = EUCLEAN;
	err_set("%s: %s", path, why);
	snprintf(refused_path, sizeof(refused_path), "%s", path);
	snprintf(refused_why, sizeof(refused_why), "%s", why);
	refused = 1;
	errno = EUCLEAN;
	return -1;
}

int
err_refused(const char **path, const char **why)
{
	if (!refused)
		return 0;
	if (path != NULL)
		*path = refused_path;
	if (why != NULL)
		*why = refused_why;
	return 1;
}

int
file_refusal(const struct stat *st, unsigned long long max, char *why,
    size_t len)
{
	char hs[16];

	if (!S_ISREG(st->st_mode)) {
		snprintf(why, len, "%s, not a regular file; refused",
		    file_kind(st->st_mode));
		return -1;
	}
	if ((unsigned long long)st->st_size > max) {
		human_size(max, hs);
		snprintf(why, len, "%lld bytes, more than sshfix writes there "
		    "(at most %s); refused", (long long)st->st_size, hs);
		return -1;
	}
	return 0;
}

const char *
file_kind(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFLNK:
		return "a symbolic link";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	}
	return "a file of unknown type";
}

const char *
err_get(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}

int
err_io(void)
{
	return err_errno == ENOSPC || err_errno == EIO || err_errno == EDQUOT;
}

static void
sbuf_grow(struct sbuf *b, size_t more)
{
	size_t need;

	if (more > SIZE_MAX - b->len - 1)
		oom();
	need = b->len + more + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->s = xreallocarray(b->s, b->cap, 1);
}

void
sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	sbuf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sbuf_adds(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void
sbuf_addc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

void
sbuf_vaddf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sbuf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
sbuf_add_base64(struct sbuf *b, const void *p, size_t n, int pad)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *u = p;
	unsigned long w;
	size_t i;

	for (i = 0; i < n; i += 3) {
		w = (unsigned long)u[i] << 16 |
		    (i + 1 < n ? (unsigned long)u[i + 1] << 8 : 0) |
		    (i + 2 < n ? u[i + 2] : 0);
		sbuf_addc(b, abc[w >> 18 & 63]);
		sbuf_addc(b, abc[w >> 12 & 63]);
		if (i + 1 < n || pad)
			sbuf_addc(b, i + 1 < n ? abc[w >> 6 & 63] : '=');
		if (i + 2 < n || pad)
			sbuf_addc(b, i + 2 < n ? abc[w & 63] : '=');
	}
}

char *
sbuf_take(struct sbuf *b)
{
	char *s;

	if (b->s == NULL)
		return xstrdup("");
	s = b->s;
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
sbuf_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void
sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

void *
search(const void *key, const void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	return n == 0 ? NULL : bsearch(key, base, n, size, cmp);
}

size_t
lower_bound(const void *key, const void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp(key, (const char *)base + mid * size) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
mode_str(unsigned int mode, char out[8])
{
	snprintf(out, 8, "%04o", mode & 07777);
}

/*
 * As du -h shows a size: 1024-based units, rounded up, one decimal below
 * 10 ("512B", "4.0K", "12K", "3.1M").
 */
void
human_size(unsigned long long n, char out[16])
{
	static const char units[] = "BKMGT";	/* (n % div) * 10 fits */
	unsigned long long div = 1, q;
	size_t u = 0;

	while (u + 1 < sizeof(units) - 1 && n / div >= 1024) {
		div *= 1024;
		u++;
	}
	if (u == 0) {
		snprintf(out, 16, "%lluB", n);
		return;
	}
	/* Tenths, rounded up; past 9.9 whole units; past 1023 the next. */
	q = n / div * 10 + ((n % div) * 10 + div - 1) / div;
	if (q < 100) {
		snprintf(out, 16, "%llu.%llu%c", q / 10, q % 10, units[u]);
		return;
	}
	q = n / div + (n % div != 0);
	if (q >= 1024 && u + 1 < sizeof(units) - 1) {
		snprintf(out, 16, "1.0%c", units[u + 1]);
		return;
	}
	snprintf(out, 16, "%llu%c", q, units[u]);
}

static void
unread_add(struct unread_list *l, const char *path, int err, const char *why)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].path, path) == 0)
			return;
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].path = xstrdup(path);
	l->v[l->n].err = err;
	l->v[l->n].why = why ? xstrdup(why) : NULL;
	l->n++;
}

void
unread_note(struct unread_list *l, const char *path, int err)
{
	if (l == NULL || err == 0 || err == ENOENT || err == ENOTDIR ||
	    err == EINVAL || err == ELOOP)
		return;
	unread_add(l, path, err, NULL);
}

void
unread_note_why(struct unread_list *l, const char *what, const char *why)
{
	if (l != NULL)
		unread_add(l, what, EFBIG, why);
}

const char *
file_strerror(int err)
{
	/* safefs never opens these: a FIFO would block, a device act. */
	if (err == ENXIO)
		return "a FIFO, socket or device, not a regular file: not "
		    "opened";
	return strerror(err);
}

const char *
unread_error(const struct unread *u)
{
	return u->why ? u->why : file_strerror(u->err);
}

char *
unread_line(const struct unread *u)
{
	if (u->why != NULL)
		return xasprintf("%s: %s", u->path, u->why);
	return xasprintf("could not read %s: %s", u->path,
	    file_strerror(u->err));
}

void
unread_free(struct unread_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].why);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void
free_strv(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

int
has_word(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word);
	const char *p;

	for (p = s; (p = memmem(p, len - (size_t)(p - s), word, wl)) != NULL;
	    p += wl)
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    (p + wl == s + len || !isalnum((unsigned char)p[wl])))
			return 1;
	return 0;
}

/* The first PREFIX bits of A and N (LEN bytes) agree. */
static int
bits_agree(const unsigned char *a, const unsigned char *n, int prefix)
{
	int i;

	for (i = 0; i < prefix / 8; i++)
		if (a[i] != n[i])
			return 0;
	return prefix % 8 == 0 || ((a[i] ^ n[i]) & (0xff00 >> (prefix % 8))) == 0;
}

/* TEXT as an address: AF_INET or AF_INET6 (in that order, as fail2ban
   tries them) into BIN, or 0. */
static int
pton_any(const char *text, unsigned char bin[16])
{
	if (inet_pton(AF_INET, text, bin) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, text, bin) == 1)
		return AF_INET6;
	return 0;
}

int
addr_in_net(const char *addr, const char *net, int prefix)
{
	unsigned char a[16], n[16];
	int af = strchr(addr, ':') ? AF_INET6 : AF_INET, bits;

	if ((strchr(net, ':') != NULL) != (af == AF_INET6) ||
	    inet_pton(af, addr, a) != 1 || inet_pton(af, net, n) != 1)
		return 0;
	bits = af == AF_INET ? 32 : 128;
	if (prefix < 0 || prefix > bits)
		prefix = bits;
	return bits_agree(a, n, prefix);
}

/* A netmask (255.255.255.0, ffff::) as its prefix length, or -1 when it
   is no contiguous mask. */
static int
mask_len(const char *mask)
{
	unsigned char m[16];
	int af = pton_any(mask, m), len, i, n = 0;

	if (af == 0)
		return -1;
	len = af == AF_INET ? 4 : 16;
	for (i = 0; i < len * 8; i++) {
		if (!(m[i / 8] & (0x80 >> (i % 8))))
			break;
		n++;
	}
	for (; i < len * 8; i++)
		if (m[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return n;
}

int
ip_row_covers(const char *row, const char *addr)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };
	unsigned char r[16], a[16];
	char buf[128], *slash, *end;
	size_t len = strlen(row);
	int raf, aaf, prefix = -1, bits;
	long v;

	if (len >= sizeof(buf))
		return -1;
	/* IPAddr.__wrap_ipstr: [ADDR] loses its brackets */
	if (len > 2 && row[0] == '[' && row[len - 1] == ']') {
		row++;
		len -= 2;
	}
	memcpy(buf, row, len);
	buf[len] = '\0';
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		if (strchr(slash, '/') != NULL)
			return -1;
		if (strchr(slash, '.') != NULL || strchr(slash, ':') != NULL) {
			if ((prefix = mask_len(slash)) == -1)
				return -1;
		} else {
			if (*slash < '0' || *slash > '9')
				return -1;
			errno = 0;
			v = strtol(slash, &end, 10);
			if (errno != 0 || *end != '\0' || v > 128)
				return -1;
			prefix = (int)v;
		}
	}
	if ((raf = pton_any(buf, r)) == 0)
		return 0;
	/* an IPv4-mapped IPv6 address, with no prefix given, is IPv4 */
	if (raf == AF_INET6 && prefix == -1 && memcmp(r, mapped, 12) == 0) {
		memmove(r, r + 12, 4);
		raf = AF_INET;
	}
	if ((aaf = pton_any(addr, a)) != raf)
		return 0;
	bits = raf == AF_INET ? 32 : 128;
	if (prefix == -1 || prefix > bits)
		prefix = bits;
	return bits_agree(a, r, prefix);
}

char *
shell_var(const char *text, const char *name)
{
	const char *s, *e, *v;
	size_t nl = strlen(name), len;
	char *val = NULL;

	for (s = text; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if ((size_t)(e - s) <= nl || strncmp(s, name, nl) != 0 ||
		    s[nl] != '=')
			continue;
		v = s + nl + 1;
		len = (size_t)(e - v);
		while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
		    v[len - 1] == '\r'))
			len--;
		if (len >= 2 && (*v == '"' || *v == '\'') && v[len - 1] == *v) {
			v++;
			len -= 2;
		}
		free(val);
		val = xstrndup(v, len);
	}
	return val;
}
