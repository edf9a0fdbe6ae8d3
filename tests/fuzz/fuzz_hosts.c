/*
 * hosts_access(5) reader: the input is a hosts.deny, parsed for daemon
 * sshd from memory and, as a diagnosis reads it, from a temp root.
 */
#include "fuzz.h"

#include "target/net/hostsaccess.h"
#include "util.h"

static const char *const dirs[] = { "etc", NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct unread_list unread = { NULL, 0 };
	struct wrap_rules rs;
	size_t i;

	if (fz_rootfd == -1)
		fz_root_init(dirs);
	wrap_rules_parse((const char *)data, size, "sshd", &rs);
	for (i = 0; i < rs.n; i++)
		if (rs.r[i].text == NULL || rs.r[i].nlines == 0)
			abort();
	wrap_rules_free(&rs);
	fz_put("etc/hosts.deny", data, size, 0644);
	wrap_rules_load(fz_rootfd, "/etc/hosts.deny", "sshd", &rs, &unread);
	wrap_rules_free(&rs);
	unread_free(&unread);
	fz_fd_check();
	return 0;
}
