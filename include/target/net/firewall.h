/*
 * The host firewall a target loads at boot, as its units would load it:
 * nftables.service (the file its ExecStart gives nft -f, includes
 * followed inside the root), iptables-persistent's netfilter-persistent
 * (rules.v4, rules.v6), the iptables services of Red Hat's family, and
 * ufw (what its ufw-init loads, in its order: its chains and policies
 * from /etc/default/ufw, before.rules, after.rules, user.rules).
 * Each ruleset is the text the loader would read, its includes in
 * place, with a map from its lines back to the target's files.
 */
#ifndef SSHFIX_FIREWALL_H
#define SSHFIX_FIREWALL_H

#include <stddef.h>

#include "os/fwjudge.h"
#include "target/target.h"

struct fw_ruleset {
	const char	*unit;		/* "nftables.service" */
	enum fwj_loader	 loader;
	char		*file;		/* the file the unit loads */
	char		*text;		/* NULL: cannot tell (why) */
	size_t		 len;
	char		*why;
	char		**files;	/* every file read, includes too */
	size_t		 nfiles;
	size_t		*lfile, *lline;	/* per line of text: file, line (0:
					   made by the loading script) */
	size_t		 nlines;
	/* ufw: files[0] and [1] are /etc/default/ufw and ufw.conf, which
	   the lines its ufw-init makes up map to */
	size_t		 user_end;	/* ufw: the text line (1-based) of
					   user.rules' "### END RULES ###",
					   where ufw's own rules end; 0: none */
};

/*
 * The rulesets T loads at boot (enabled units whose files exist), into
 * *OUT; returns the count. A firewall the target enables that sshfix
 * does not judge (fail2ban's, sshguard's live bans) is a ruleset with
 * text NULL too. firewalld is target/net/firewalld.h's.
 */
size_t	fw_rulesets(struct target *t, struct fw_ruleset **out);
/* "FILE:LINE" of line LINE (1-based) of R's text, allocated. */
char	*fw_where(const struct fw_ruleset *r, size_t line);
/* A loader's complaint with its "/dev/stdin:N:" (or "line N:") turned
   into the file and line it names, allocated. */
char	*fw_complaint(const struct fw_ruleset *r, const char *msg);
/* Is UNIT enabled at boot on T: a wants link to it in /etc/systemd/system
   (sysinit, basic, network-pre, network, multi-user), and not masked? */
int	fw_unit_enabled(struct target *t, const char *unit);
void	fw_rulesets_free(struct fw_ruleset *, size_t);

#endif
