/*
 * floor ROOT: the system calls a diagnosis of ROOT cannot avoid, and
 * nothing else: read passwd, and per login account lstat the home and
 * ~/.ssh, open+fstat+read+close authorized_keys. sshfix's time is
 * reported as a ratio to this.
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char path[8192], *line = NULL, buf[4096];
	size_t cap = 0;
	struct stat st;
	long keys = 0;
	FILE *fp;
	int fd;

	if (argc != 2)
		errx(2, "usage: floor ROOT");
	snprintf(path, sizeof(path), "%s/etc/passwd", argv[1]);
	if ((fp = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	while (getline(&line, &cap, fp) != -1) {
		char *f[7], *p = line;
		int i;

		for (i = 0; i < 7 && p != NULL; i++)
			f[i] = strsep(&p, ":\n");
		if (i < 7 || strstr(f[6], "nologin") != NULL)
			continue;
		snprintf(path, sizeof(path), "%s%s", argv[1], f[5]);
		if (lstat(path, &st) == -1)
			continue;
		snprintf(path, sizeof(path), "%s%s/.ssh", argv[1], f[5]);
		if (lstat(path, &st) == -1)
			continue;
		snprintf(path, sizeof(path), "%s%s/.ssh/authorized_keys",
		    argv[1], f[5]);
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1)
			continue;
		if (fstat(fd, &st) == 0 && read(fd, buf, sizeof(buf)) > 0)
			keys++;
		close(fd);
	}
	fclose(fp);
	free(line);
	printf("%ld\n", keys);
	return 0;
}
