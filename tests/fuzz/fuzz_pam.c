/*
 * PAM stack reader: the input is a temp root's /etc/pam.d/sshd, then
 * (after a "%%%" line) /etc/pam.d/common-auth, which it may @include or
 * include, loaded by pamstack_load as a diagnosis does.
 */
#include "fuzz.h"

#include "target/binary/pamstack.h"
#include "util.h"

static const char *const dirs[] = { "etc", "etc/pam.d", NULL };
static const char *const files[] = { "etc/pam.d/sshd",
    "etc/pam.d/common-auth" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *part[2];
	size_t len[2], n, i;
	struct unread_list unread = { NULL, 0 };
	struct pam_stack st;

	if (fz_rootfd == -1)
		fz_root_init(dirs);
	n = fz_split(data, size, part, len, 2);
	for (i = 0; i < 2; i++)
		fz_put(files[i], i < n ? part[i] : NULL, i < n ? len[i] : 0,
		    0644);
	pamstack_load(fz_rootfd, "sshd", &st, &unread);
	for (i = 0; i < st.n; i++)
		if (st.m[i].module == NULL || st.m[i].line == 0)
			abort();
	pamstack_free(&st);
	unread_free(&unread);
	fz_fd_check();
	return 0;
}
