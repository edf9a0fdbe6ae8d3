#!/usr/bin/env python3
# The rules ufw's own code reads from a root's user.rules and user6.rules
# (ufw's UFWBackendIptables, as "ufw status" reads them), one a line:
# ACTION PROTO DPORT SRC. ufw is never installed: its Python package is
# unpacked from Debian's .deb by make deps (tests/deps.sh).
#
#   ufwrules.py UFWPYTHONPATH ROOT
import builtins
import sys

sys.path.insert(0, sys.argv[1])
builtins._ = lambda s: s        # ufw's gettext, not set up here
import ufw.backend_iptables as backend   # noqa: E402


def main():
    root = sys.argv[2]
    b = backend.UFWBackendIptables(True, rootdir=root, datadir=root)
    for r in b.get_rules():
        print(r.action, r.protocol, r.dport, r.src)


if __name__ == "__main__":
    main()
