# A seeded generator of sshd setups for the differential test
# (t_differential.sh). awk -v seed=N -v ver=X.Y -v pam=yes|no -f gen.awk
# prints one setup: a description read by lib.sh's build_root, one
# directive a line, so that the minimiser can drop lines:
#   conf FILE TEXT     TEXT as the next line of FILE: "main" is
#                      /etc/ssh/sshd_config, anything else
#                      /etc/ssh/sshd_config.d/FILE.conf
#   key USER [PATH [OPTIONS]]  the client's public key in PATH (default
#                      ~/.ssh/authorized_keys; relative: to the home;
#                      absolute: in the root), behind key OPTIONS
#   key2 USER [PATH [OPTIONS]] the same with the client's second key (the
#                      client then offers both)
#   pass USER          USER's password is the client's
#   lock USER          USER's shadow hash behind "!" (locked)
#   chmod MODE PATH    chown OWNER PATH    (PATH under the root)
#   group USER GROUP   USER joins GROUP (created if absent)
#   line PATH TEXT     TEXT appended to PATH (a file root owns, 0644)
#   revoke PATH key|key2  the client's (second) public key appended to
#                      PATH (a file root owns, 0644)
#   krl PATH key|key2|bad  a KRL (ssh-keygen -k) at PATH revoking that
#                      key; bad: KRL magic and garbage
# Accounts: alice (1000) and bob (1001) with private groups, both in
# "users", and root. Every setup starts healthy (each account has a way
# in) and takes 0-4 changes, each of which may or may not shut a door;
# about half of all account verdicts come out "gets in".
# The generator is the same on every awk (a Park-Miller sequence in exact
# double arithmetic), so a seed names one setup everywhere.

function rnd(n) {
	S = (S * 16807) % 2147483647
	return int(S / 2147483647 * n)
}
function pick(list,    a, n) {
	n = split(list, a, "|")
	return a[rnd(n) + 1]
}
function chance(pct) { return rnd(100) < pct }
function user() { return pick("alice|bob|root") }
function home(u) { return u == "root" ? "/root" : "/home/" u }

# Where a line goes: global in the main file, global in a drop-in, or in a
# Match block of either (blocks are written after the global lines).
function place(text,    f, m) {
	f = "main"
	if (INCL && chance(50))
		f = pick("50-cloud-init|60-local|10-admin")
	if (chance(35)) {
		m = pick("User alice|User bob|User root|User a*|User !bob,*|Group users|Group alice|Address 127.0.0.1|Address 10.0.0.0/8|all|User alice Address 127.0.0.1")
		blk[f, m] = blk[f, m] "\n" text
		if (!((f, m) in seen)) {
			seen[f, m] = 1
			order[++nblk] = f SUBSEP m
		}
		return
	}
	glob[f] = glob[f] "\n" text
	if (!(f in gseen)) {
		gseen[f] = 1
		gorder[++ng] = f
	}
}

function kbd() { return ver >= 8.7 && chance(85) ? "KbdInteractiveAuthentication" : "ChallengeResponseAuthentication" }
function pkalgs() { return ver >= 8.5 ? "PubkeyAcceptedAlgorithms" : "PubkeyAcceptedKeyTypes" }
function userpat() { return pick("alice|bob|root|a*|*|!bob|al?ce|alice@127.0.0.1|bob@10.*|root@127.0.0.1|alice bob|bob root|nobody") }
function grouppat() { return pick("users|alice|bob|root|nogroup|wheel|users root|!alice,*") }

function change(    c, u, v) {
	c = rnd(23)
	if (c == 0) place("PasswordAuthentication " pick("yes|no"))
	else if (c == 1) place("PubkeyAuthentication " pick("yes|no|yes|yes"))
	else if (c == 2) place(kbd() " " pick("yes|no"))
	else if (c == 3) place("PermitRootLogin " pick("yes|no|prohibit-password|without-password|forced-commands-only"))
	else if (c == 4) place(pick("AllowUsers|DenyUsers") " " userpat())
	else if (c == 5) place(pick("AllowGroups|DenyGroups") " " grouppat())
	else if (c == 6) place("AuthenticationMethods " pick("publickey|password|keyboard-interactive|any|publickey,password|publickey password|password,publickey|publickey,keyboard-interactive|keyboard-interactive:pam|password publickey|publickey,publickey|publickey,publickey password"))
	else if (c == 7) {
		v = pick(".ssh/authorized_keys|.ssh/authorized_keys .ssh/authorized_keys2|%h/.ssh/authorized_keys|/etc/ssh/keys/%u|/etc/ssh/keys/%u .ssh/authorized_keys|none|.ssh/keys_%u|/home/%u/.ssh/authorized_keys")
		place("AuthorizedKeysFile " v)
		if (chance(60)) {
			u = user()
			print "key " u " " pick(".ssh/authorized_keys2|/etc/ssh/keys/" u "|.ssh/keys_" u)
		}
	}
	else if (c == 8) place("StrictModes " pick("no|yes"))
	else if (c == 9) {
		if (PAM || chance(20))
			place("UsePAM " pick("yes|no"))
		else
			place("PermitEmptyPasswords no")
	}
	else if (c == 10) {
		u = pick("alice|bob")
		print "chmod " pick("0775|0777|0755|0750|0770|0711|0757") " /home/" u
	}
	else if (c == 11) {
		u = user()
		print "chmod " pick("0777|0755|0700|0770|0750|0707") " " home(u) "/.ssh"
	}
	else if (c == 12) {
		u = user()
		if (chance(70))
			print "chmod " pick("0666|0644|0600|0620|0640|0602|0400") " " home(u) "/.ssh/authorized_keys"
		else
			print "chown " pick("alice|bob|root") " " home(u) "/.ssh/authorized_keys"
	}
	else if (c == 13) print "chmod " pick("0777|0755|0700|0775") " /root"
	else if (c == 14) {	# a line sshd may refuse
		place(pick("PasswordAuthentication maybe|PubkeyAuth yes|PermitRootLogin sometimes|AuthenticationMethods publickey,bogus|MaxAuthTries many|UseDNS no|Protocol 2|KbdInteractiveAuthentication yes|ChallengeResponseAuthentication no|UsePrivilegeSeparation sandbox|RSAAuthentication yes|PubkeyAcceptedAlgorithms +ssh-rsa|PubkeyAcceptedKeyTypes +ssh-rsa"))
	}
	else if (c == 15) {
		u = user()
		print "lock " u
	}
	else if (c == 16) {
		u = user()
		print "pass " u
	}
	else if (c == 17) {
		u = user()
		print "key " u " .ssh/authorized_keys " pick("from=\"10.0.0.1\"|from=\"127.0.0.1\"|restrict|no-pty|from=\"!127.0.0.1,*\"|command=\"true\"|environment=\"X=1\"|bogus-option|expiry-time=\"20200101\"|expiry-time=\"29991231\"|permitlisten=\"8080\"|no-touch-required|verify-required|pty,no-pty|no-pty,|command=true|restrict,port-forwarding")
	}
	else if (c == 18) place(pkalgs() " " pick("ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256,ssh-rsa|+ssh-dss|-ssh-ed25519|rsa-sha2-512,ssh-ed25519"))
	else if (c == 19) {
		if (INCL && chance(70)) {	# Include inside a Match block
			v = pick("User alice|User bob|all|Address 127.0.0.1")
			late = late "\nconf main Match " v
			late = late "\nconf main \tInclude /etc/ssh/sshd_config.d/sub/*.conf"
			print "conf sub/" pick("m1|m2") " " pick("PasswordAuthentication no|PubkeyAuthentication no|Match all|Match User bob|AllowUsers bob|DenyUsers alice|PermitRootLogin no|UsePAM no|Port 2200")
			print "conf sub/m1 " pick("PasswordAuthentication yes|AuthenticationMethods password|PubkeyAuthentication yes")
		} else
			print "group " user() " " pick("wheel|users|nogroup")
	}
	else if (c == 20) {	# a revoked-keys list: the key, none, missing
		v = pick("/etc/ssh/revoked_keys|/etc/ssh/revoked_keys|none")
		place("RevokedKeys " v)
		if (v != "none") {
			u = rnd(3)
			if (u == 0) print pick("revoke|krl") " " v " " pick("key|key2")
			else if (u == 1) print "line " v " # nothing revoked"
		}
	}
	else if (c == 21) {	# "any" after a list (fatal before 9.7)
		place("AuthenticationMethods " pick("publickey|password|publickey password"))
		place("AuthenticationMethods any")
	}
	else if (c == 22)	# what the client and sshd must share
		place(pick("Ciphers aes128-cbc|Ciphers aes256-gcm@openssh.com|Ciphers aes128-ctr,aes128-cbc|MACs hmac-sha2-512|MACs hmac-md5|MACs hmac-sha1-etm@openssh.com,hmac-sha2-256"))
}

BEGIN {
	# nearby seeds far apart (seed below 2^22: the product stays exact)
	S = (seed % 4194304 * 2654435761 + 12345) % 2147483646 + 1
	for (i = 0; i < 8; i++)
		rnd(2)
	ver += 0
	PAM = pam == "yes"
	INCL = ver >= 8.2
	# The base every setup starts from: a distribution's defaults.
	if (INCL)
		print "conf main Include /etc/ssh/sshd_config.d/*.conf"
	print "conf main " kbd() " no"
	if (PAM)
		print "conf main UsePAM yes"
	print "conf main PrintMotd no"
	# Each account's way in; some have two.
	print "key alice"
	print "pass bob"
	print "key root"
	if (chance(25)) print "pass alice"
	if (chance(25)) print "key bob"
	if (chance(15)) print "pass root"
	if (chance(20)) print "key2 " user() pick("| .ssh/authorized_keys2")
	if (chance(30))
		place("PasswordAuthentication " pick("yes|no"))
	n = pick("0|1|1|2|2|3|4")
	for (i = 0; i < n; i++)
		change()
	for (i = 1; i <= ng; i++) {
		f = gorder[i]
		k = split(substr(glob[f], 2), a, "\n")
		for (j = 1; j <= k; j++)
			print "conf " f " " a[j]
	}
	for (i = 1; i <= nblk; i++) {
		split(order[i], fm, SUBSEP)
		print "conf " fm[1] " Match " fm[2]
		k = split(substr(blk[fm[1], fm[2]], 2), a, "\n")
		for (j = 1; j <= k; j++)
			print "conf " fm[1] " \t" a[j]
	}
	if (late != "")	# a Match block of its own, after every other
		print substr(late, 2)
}
