/*
 * genroot DIR N [HOMEMODE]: a fake root with N login accounts, each with
 * a home (HOMEMODE, default 0755), ~/.ssh 0700 and authorized_keys 0600,
 * owned by the account; plus root's. Host keys are taken from
 * $BENCH_KEYS (a directory of ssh_host_*_key files).
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char key[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0S"
    "dG6UOoqKLsabgH5C9okWi0dh2l9GKJl bench\n";

static void
put(const char *path, const char *text, mode_t mode, uid_t u, gid_t g)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd == -1 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err(1, "%s", path);
	if (fchown(fd, u, g) == -1 || fchmod(fd, mode) == -1 || close(fd))
		err(1, "%s", path);
}

static void
dir(const char *path, mode_t mode, uid_t u, gid_t g)
{
	if (mkdir(path, mode) == -1 || chown(path, u, g) == -1 ||
	    chmod(path, mode) == -1)
		err(1, "%s", path);
}

static void
copy_key(const char *root, const char *keys, const char *name, mode_t mode)
{
	char src[4096], dst[4096], buf[8192];
	int in, out;
	ssize_t n;

	snprintf(src, sizeof(src), "%s/%s", keys, name);
	snprintf(dst, sizeof(dst), "%s/etc/ssh/%s", root, name);
	if ((in = open(src, O_RDONLY)) == -1)
		err(1, "%s", src);
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode)) == -1)
		err(1, "%s", dst);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			err(1, "%s", dst);
	close(in);
	close(out);
}

int
main(int argc, char **argv)
{
	const char *root, *keys = getenv("BENCH_KEYS");
	char p[4096];
	FILE *pw, *gr, *sh;
	mode_t hm = 0755;
	long n, i;

	if (argc < 3 || keys == NULL)
		errx(2, "usage: BENCH_KEYS=DIR genroot DIR N [HOMEMODE]");
	root = argv[1];
	n = strtol(argv[2], NULL, 10);
	if (argc > 3)
		hm = (mode_t)strtol(argv[3], NULL, 8);
	dir(root, 0755, 0, 0);
	snprintf(p, sizeof(p), "%s/etc", root);
	dir(p, 0755, 0, 0);
	snprintf(p, sizeof(p), "%s/etc/ssh", root);
	dir(p, 0755, 0, 0);
	snprintf(p, sizeof(p), "%s/home", root);
	dir(p, 0755, 0, 0);
	snprintf(p, sizeof(p), "%s/root", root);
	dir(p, 0700, 0, 0);
	snprintf(p, sizeof(p), "%s/root/.ssh", root);
	dir(p, 0700, 0, 0);
	snprintf(p, sizeof(p), "%s/root/.ssh/authorized_keys", root);
	put(p, key, 0600, 0, 0);
	snprintf(p, sizeof(p), "%s/etc/os-release", root);
	put(p, "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian 12\"\n",
	    0644, 0, 0);
	snprintf(p, sizeof(p), "%s/etc/ssh/sshd_config", root);
	put(p, "KbdInteractiveAuthentication no\nUsePAM yes\n"
	    "AuthorizedKeysFile .ssh/authorized_keys\n"
	    "Subsystem sftp /usr/lib/openssh/sftp-server\n", 0644, 0, 0);
	copy_key(root, keys, "ssh_host_ed25519_key", 0600);
	copy_key(root, keys, "ssh_host_ed25519_key.pub", 0644);
	snprintf(p, sizeof(p), "%s/etc/passwd", root);
	pw = fopen(p, "w");
	snprintf(p, sizeof(p), "%s/etc/group", root);
	gr = fopen(p, "w");
	snprintf(p, sizeof(p), "%s/etc/shadow", root);
	sh = fopen(p, "w");
	if (!pw || !gr || !sh)
		err(1, "account files");
	fprintf(pw, "root:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
	    "sshd:x:102:65534::/run/sshd:/usr/sbin/nologin\n");
	fprintf(gr, "root:x:0:\ndaemon:x:1:\n");
	fprintf(sh, "root:*:19000:0:99999:7:::\n");
	for (i = 0; i < n; i++) {
		uid_t u = (uid_t)(10000 + i);

		fprintf(pw, "u%06ld:x:%u:%u::/home/u%06ld:/bin/bash\n", i, u, u,
		    i);
		fprintf(gr, "u%06ld:x:%u:\n", i, u);
		fprintf(sh, "u%06ld:!:19000:0:99999:7:::\n", i);
		snprintf(p, sizeof(p), "%s/home/u%06ld", root, i);
		dir(p, hm, u, u);
		snprintf(p, sizeof(p), "%s/home/u%06ld/.ssh", root, i);
		dir(p, 0700, u, u);
		snprintf(p, sizeof(p), "%s/home/u%06ld/.ssh/authorized_keys",
		    root, i);
		put(p, key, 0600, u, u);
	}
	if (fclose(pw) || fclose(gr) || fclose(sh))
		err(1, "account files");
	return 0;
}
