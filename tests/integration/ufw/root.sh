# ufw in a root (sourced): ufw_files DIR puts ufw 0.36's own files from
# Debian's package (unpacked into the test cache by make deps) where the
# package installs them, enabled at boot as "ufw enable" leaves them: its
# rules, /etc/default/ufw, its ufw-init, ENABLED=yes, no rule of the
# person's yet.
U=/var/cache/sshfix-test/ufw

ufw_files() {
	mkdir -p "$1/etc/systemd/system/multi-user.target.wants" \
	    "$1/etc/ufw/applications.d" "$1/lib/ufw" "$1/etc/default"
	ln -s /lib/systemd/system/ufw.service \
	    "$1/etc/systemd/system/multi-user.target.wants/ufw.service"
	cp "$U"/usr/share/ufw/iptables/*.rules "$1/etc/ufw/"
	cp "$U/etc/default/ufw" "$1/etc/default/ufw"
	cp "$U/lib/ufw/ufw-init" "$U/lib/ufw/ufw-init-functions" "$1/lib/ufw/"
	sed 's/^ENABLED=no/ENABLED=yes/' "$U/usr/share/ufw/ufw.conf" \
	    >"$1/etc/ufw/ufw.conf"
}
