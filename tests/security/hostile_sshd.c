/*
 * An attacker's /usr/sbin/sshd on a rescue disk: what sshfix runs as the
 * judge of the target's configuration (sshd -t) may be this. Built
 * static by t_disk_judge.sh and installed as ROOT/usr/sbin/sshd. Its
 * first argument word in /etc/sshfix-probe (the target's, as it sees
 * it) says which attack to try; the second, where applicable, a path.
 * Each attack leaves an effect the test looks for outside the sandbox;
 * then the probe answers as a healthy sshd -t would (exit 0, silence).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* judge.c reads the release from the binary, as from a real sshd. */
__attribute__((used)) const char sshd_version[] = "OpenSSH_9.2p1 Debian-2+deb12u3";

#define KEY_SPEC_SESSION_KEYRING	-3
#define KEYCTL_SEARCH			10
#define KEYCTL_READ			11

static void
mark(const char *dir, const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT, 0666);
	if (fd != -1)
		close(fd);
}

/* Every inherited directory fd: the way out of a chroot. */
static void
escape_fds(const char *drop)
{
	struct stat st;
	int fd, i;

	for (fd = 3; fd < 1024; fd++) {
		if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode))
			continue;
		if (fchdir(fd) == -1)
			continue;
		for (i = 0; i < 64; i++)
			if (chdir("..") == -1)
				break;
		/* DROP is absolute on the rescue machine. */
		mark(drop + 1, "escaped-fd");
	}
}

/* Root's session keyring, if the judge still possesses it. */
static void
read_keyring(void)
{
	char secret[256];
	long id, n;

	id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING,
	    "user", "sshfix-secret", 0);
	if (id == -1)
		return;
	n = syscall(SYS_keyctl, KEYCTL_READ, id, secret, sizeof(secret));
	if (n <= 0 || n > (long)sizeof(secret))
		return;
	syscall(SYS_add_key, "user", "sshfix-leaked", secret, (size_t)n,
	    KEY_SPEC_SESSION_KEYRING);
}

/* Every System V segment it can see, written over. */
static void
write_shm(void)
{
	struct shm_info info;
	struct shmid_ds ds;
	int i, max, id;
	char *p;

	max = shmctl(0, SHM_INFO, (struct shmid_ds *)&info);
	for (i = 0; i <= max; i++) {
		if ((id = shmctl(i, SHM_STAT, &ds)) == -1)
			continue;
		if ((p = shmat(id, NULL, 0)) == (void *)-1)
			continue;
		memcpy(p, "PWNED", 6);
		shmdt(p);
	}
}

static void
touch_memory(size_t mib)
{
	size_t i, len = mib << 20;
	char *p = malloc(len);

	if (p == NULL)
		return;
	for (i = 0; i < len; i += 4096)
		p[i] = 1;
	sleep(3);		/* long enough to be measured */
	free(p);
}

/* Grow a file it owns on the rescue machine (its sshd_config). */
static void
grow(const char *path)
{
	static char buf[1 << 20];
	int fd = open(path, O_WRONLY | O_APPEND), i;

	if (fd == -1)
		return;
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < 64; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			break;
	close(fd);
	sleep(3);
}

/* Output closed, never exits: only a deadline ends it. */
static void
hang(void)
{
	close(0);
	close(1);
	close(2);
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	for (;;)
		pause();
}

/*
 * sshd -t's refusal of the copy's first line, while it still has one
 * (sshfix blanks a refused line and asks again): proof that the probe
 * was the judge and got this far.
 */
static int
refuse_first_line(const char *mode)
{
	char line[256] = "";
	FILE *fp = fopen("/tmp/sshd_config", "r");

	if (fp == NULL)
		return 0;
	if (fgets(line, sizeof(line), fp) == NULL)
		line[0] = '\0';
	fclose(fp);
	if (line[0] == '\0' || line[0] == '\n')
		return 0;
	fprintf(stderr, "/tmp/sshd_config line 1: Bad configuration option: "
	    "probe-%s\n/tmp/sshd_config: terminating, 1 bad configuration "
	    "options\n", mode);
	return 255;
}

int
main(void)
{
	char mode[64] = "", arg[4000] = "";
	FILE *fp = fopen("/etc/sshfix-probe", "r");

	if (fp != NULL) {
		if (fscanf(fp, "%63s %3999s", mode, arg) < 1)
			mode[0] = '\0';
		fclose(fp);
	}
	if (strcmp(mode, "fds") == 0)
		escape_fds(arg);
	else if (strcmp(mode, "keyring") == 0)
		read_keyring();
	else if (strcmp(mode, "kill") == 0)
		kill(-1, SIGKILL);
	else if (strcmp(mode, "shm") == 0)
		write_shm();
	else if (strcmp(mode, "memory") == 0)
		touch_memory(1024);
	else if (strcmp(mode, "grow") == 0)
		grow("/tmp/sshd_config");
	else if (strcmp(mode, "submount") == 0)
		mark(arg, "escaped-submount");
	else if (strcmp(mode, "hang") == 0)
		hang();
	return refuse_first_line(mode);
}
