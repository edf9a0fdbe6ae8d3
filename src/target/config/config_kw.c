/*
 * The keywords OpenSSH 9.2's sshd accepts (servconf.c keywords[], plus
 * Debian's and RHEL's additions), so that an unknown one can be told from
 * one sshfix merely does not model. Sorted for bsearch.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/config/config.h"
#include "util.h"

#define O(n)	{ n, KW_OTHER, MERGE_FIRST }
#define A(n)	{ n, KW_OTHER, MERGE_ACCUMULATE }
#define L(n)	{ n, KW_OTHER, MERGE_FIRST_LINE }

static const struct kw_info kws[] = {
	{ "acceptenv", KW_OTHER, MERGE_ACCUMULATE },
	{ "addressfamily", KW_ADDRESSFAMILY, MERGE_FIRST },
	O("afstokenpassing"),
	O("allowagentforwarding"),
	{ "allowgroups", KW_ALLOWGROUPS, MERGE_ACCUMULATE },
	O("allowstreamlocalforwarding"),
	O("allowtcpforwarding"),
	{ "allowusers", KW_ALLOWUSERS, MERGE_ACCUMULATE },
	{ "authenticationmethods", KW_AUTHMETHODS, MERGE_FIRST_LINE },
	{ "authorizedkeyscommand", KW_AUTHKEYSCMD, MERGE_FIRST },
	O("authorizedkeyscommanduser"),
	{ "authorizedkeysfile", KW_AUTHKEYSFILE, MERGE_FIRST_LINE },
	{ "authorizedkeysfile2", KW_AUTHKEYSFILE, MERGE_FIRST_LINE },
	{ "authorizedprincipalscommand", KW_PRINCCMD, MERGE_FIRST },
	O("authorizedprincipalscommanduser"),
	{ "authorizedprincipalsfile", KW_PRINCFILE, MERGE_FIRST },
	O("banner"),
	{ "casignaturealgorithms", KW_CASIGALGS, MERGE_FIRST },
	{ "challengeresponseauthentication", KW_KBDINTERACTIVE, MERGE_FIRST },
	O("channeltimeout"),
	O("checkmail"),
	{ "chrootdirectory", KW_CHROOTDIR, MERGE_FIRST },
	{ "ciphers", KW_CIPHERS, MERGE_FIRST },
	O("clientalivecountmax"),
	O("clientaliveinterval"),
	O("compression"),
	O("debianbanner"),
	{ "denygroups", KW_DENYGROUPS, MERGE_ACCUMULATE },
	{ "denyusers", KW_DENYUSERS, MERGE_ACCUMULATE },
	O("disableforwarding"),
	O("dsaauthentication"),
	O("exposeauthinfo"),
	O("fingerprinthash"),
	O("forcecommand"),
	O("gatewayports"),
	{ "gssapiauthentication", KW_GSSAPIAUTH, MERGE_FIRST },
	O("gssapicleanupcredentials"),
	O("gssapicleanupcreds"),
	O("gssapienablek5users"),
	O("gssapikexalgorithms"),
	O("gssapikeyexchange"),
	O("gssapistorecredentialsonrekey"),
	O("gssapistrictacceptorcheck"),
	O("gssapiusesessioncredcache"),
	O("gssusesessionccache"),
	O("hostbasedacceptedalgorithms"),
	O("hostbasedacceptedkeytypes"),
	O("hostbasedauthentication"),
	O("hostbasedusesnamefrompacketonly"),
	A("hostcertificate"),
	{ "hostdsakey", KW_HOSTKEY, MERGE_ACCUMULATE },
	{ "hostkey", KW_HOSTKEY, MERGE_ACCUMULATE },
	O("hostkeyagent"),
	{ "hostkeyalgorithms", KW_HOSTKEYALGS, MERGE_FIRST },
	O("ignorerhosts"),
	O("ignoreuserknownhosts"),
	{ "include", KW_INCLUDE, MERGE_ACCUMULATE },
	O("ipqos"),
	{ "kbdinteractiveauthentication", KW_KBDINTERACTIVE, MERGE_FIRST },
	O("keepalive"),
	O("kerberosauthentication"),
	O("kerberosgetafstoken"),
	O("kerberosorlocalpasswd"),
	O("kerberostgtpassing"),
	O("kerberosticketcleanup"),
	{ "kexalgorithms", KW_KEXALGS, MERGE_FIRST },
	O("keyregenerationinterval"),
	{ "listenaddress", KW_LISTENADDRESS, MERGE_ACCUMULATE },
	O("logingracetime"),
	O("loglevel"),
	O("logverbose"),
	{ "macs", KW_MACS, MERGE_FIRST },
	{ "match", KW_MATCH, MERGE_ACCUMULATE },
	{ "maxauthtries", KW_MAXAUTHTRIES, MERGE_FIRST },
	O("maxsessions"),
	O("maxstartups"),
	O("modulifile"),
	O("pamauthenticationviakbdint"),
	{ "passwordauthentication", KW_PASSWORDAUTH, MERGE_FIRST },
	O("permitblacklistedkeys"),
	{ "permitemptypasswords", KW_PERMITEMPTY, MERGE_FIRST },
	L("permitlisten"),
	L("permitopen"),
	{ "permitrootlogin", KW_PERMITROOTLOGIN, MERGE_FIRST },
	O("permittty"),
	O("permittunnel"),
	O("permituserenvironment"),
	O("permituserrc"),
	O("persourcemaxstartups"),
	O("persourcenetblocksize"),
	{ "persourcepenalties", KW_PENALTIES, MERGE_FIRST },
	{ "persourcepenaltyexemptlist", KW_PENALTYEXEMPT, MERGE_FIRST },
	{ "pidfile", KW_PIDFILE, MERGE_FIRST },
	{ "port", KW_PORT, MERGE_ACCUMULATE },
	O("printlastlog"),
	O("printmotd"),
	O("protocol"),
	{ "pubkeyacceptedalgorithms", KW_PUBKEYALGS, MERGE_FIRST },
	{ "pubkeyacceptedkeytypes", KW_PUBKEYALGS, MERGE_FIRST },
	{ "pubkeyauthentication", KW_PUBKEYAUTH, MERGE_FIRST },
	O("pubkeyauthoptions"),
	O("rdomain"),
	O("rekeylimit"),
	{ "requiredrsasize", KW_RSASIZE, MERGE_FIRST },
	O("reversemappingcheck"),
	{ "revokedkeys", KW_REVOKEDKEYS, MERGE_FIRST },
	O("rhostsauthentication"),
	O("rhostsrsaauthentication"),
	O("rsaauthentication"),
	O("securitykeyprovider"),
	O("serverkeybits"),
	L("setenv"),
	O("skeyauthentication"),
	{ "sshdauthpath", KW_AUTHPATH, MERGE_FIRST },
	{ "sshdsessionpath", KW_SESSIONPATH, MERGE_FIRST },
	O("streamlocalbindmask"),
	O("streamlocalbindunlink"),
	{ "strictmodes", KW_STRICTMODES, MERGE_FIRST },
	A("subsystem"),
	O("syslogfacility"),
	O("tcpkeepalive"),
	{ "trustedusercakeys", KW_TRUSTEDUSERCA, MERGE_FIRST },
	O("unusedconnectiontimeout"),
	O("usedns"),
	O("uselogin"),
	{ "usepam", KW_USEPAM, MERGE_FIRST },
	O("useprivilegeseparation"),
	O("verifyreversemapping"),
	O("versionaddendum"),
	O("x11displayoffset"),
	O("x11forwarding"),
	O("x11uselocalhost"),
	O("xauthlocation"),
};

static int
kw_cmp(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct kw_info *)elem)->name);
}

const struct kw_info *
kw_lookup(const char *name)
{
	return search(name, kws, ARRAY_LEN(kws), sizeof(kws[0]), kw_cmp);
}

const struct kw_info *
kw_table(size_t *n)
{
	*n = ARRAY_LEN(kws);
	return kws;
}

const char *
kw_name(enum kw kw)
{
	static const char *names[KW__COUNT] = {
		[KW_ADDRESSFAMILY] = "AddressFamily",
		[KW_LISTENADDRESS] = "ListenAddress",
		[KW_PASSWORDAUTH] = "PasswordAuthentication",
		[KW_PERMITROOTLOGIN] = "PermitRootLogin",
		[KW_PUBKEYAUTH] = "PubkeyAuthentication",
		[KW_AUTHKEYSFILE] = "AuthorizedKeysFile",
		[KW_HOSTKEY] = "HostKey",
		[KW_STRICTMODES] = "StrictModes",
		[KW_USEPAM] = "UsePAM",
		[KW_KBDINTERACTIVE] = "KbdInteractiveAuthentication",
		[KW_PERMITEMPTY] = "PermitEmptyPasswords",
		[KW_TRUSTEDUSERCA] = "TrustedUserCAKeys",
		[KW_PRINCFILE] = "AuthorizedPrincipalsFile",
		[KW_PRINCCMD] = "AuthorizedPrincipalsCommand",
		[KW_GSSAPIAUTH] = "GSSAPIAuthentication",
		[KW_AUTHKEYSCMD] = "AuthorizedKeysCommand",
		[KW_ALLOWUSERS] = "AllowUsers",
		[KW_DENYUSERS] = "DenyUsers",
		[KW_ALLOWGROUPS] = "AllowGroups",
		[KW_DENYGROUPS] = "DenyGroups",
		[KW_PUBKEYALGS] = "PubkeyAcceptedAlgorithms",
		[KW_REVOKEDKEYS] = "RevokedKeys",
		[KW_CIPHERS] = "Ciphers",
		[KW_MACS] = "MACs",
		[KW_KEXALGS] = "KexAlgorithms",
		[KW_HOSTKEYALGS] = "HostKeyAlgorithms",
		[KW_SESSIONPATH] = "SshdSessionPath",
		[KW_AUTHPATH] = "SshdAuthPath",
		[KW_CASIGALGS] = "CASignatureAlgorithms",
		[KW_RSASIZE] = "RequiredRSASize",
	};

	return (kw < KW__COUNT && names[kw]) ? names[kw] : "?";
}

enum kw_merge
kw_merge(enum kw kw)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(kws); i++)
		if (kws[i].kw == kw)
			return kws[i].merge;
	return MERGE_FIRST;
}
