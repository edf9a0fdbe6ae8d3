/*
 * The rescue machine's side of t_disk_judge.sh: things an attacker's
 * judge must not reach, and a way to look at them afterwards.
 *
 *   hostside keyring SECRET CMD...  run CMD in a new session keyring
 *       holding a user key "sshfix-secret"; then exit 1 and print what
 *       a "sshfix-leaked" key in it holds, if one appeared, else 0.
 *   hostside shm-make              a 0666 System V segment; prints its id
 *   hostside shm-read ID           prints what the segment holds
 *   hostside shm-rm ID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEY_SPEC_SESSION_KEYRING	-3
#define KEYCTL_JOIN_SESSION_KEYRING	1
#define KEYCTL_SEARCH			10
#define KEYCTL_READ			11

static int
keyring(char *secret, char **cmd)
{
	char buf[256];
	long id, n;
	int status;
	pid_t pid;

	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING,
	    "sshfix-test") == -1 ||
	    syscall(SYS_add_key, "user", "sshfix-secret", secret,
	    strlen(secret), KEY_SPEC_SESSION_KEYRING) == -1) {
		perror("keyring");
		return 2;
	}
	if ((pid = fork()) == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &status, 0) == -1)
		return 2;
	id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING,
	    "user", "sshfix-leaked", 0);
	if (id == -1)
		return 0;
	n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1);
	buf[n > 0 && n < (long)sizeof(buf) ? n : 0] = '\0';
	printf("LEAKED: %s\n", buf);
	return 1;
}

int
main(int argc, char *argv[])
{
	char *p;
	int id;

	if (argc >= 4 && strcmp(argv[1], "keyring") == 0)
		return keyring(argv[2], argv + 3);
	if (argc == 2 && strcmp(argv[1], "shm-make") == 0) {
		if ((id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0666)) == -1 ||
		    (p = shmat(id, NULL, 0)) == (void *)-1)
			return 2;
		strcpy(p, "clean");
		printf("%d\n", id);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "shm-read") == 0) {
		if ((p = shmat(atoi(argv[2]), NULL, SHM_RDONLY)) == (void *)-1)
			return 2;
		printf("%.16s\n", p);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "shm-rm") == 0)
		return shmctl(atoi(argv[2]), IPC_RMID, NULL) == -1 ? 2 : 0;
	fprintf(stderr, "usage: hostside keyring|shm-make|shm-read|shm-rm\n");
	return 2;
}
