#!/usr/bin/env python3
# A fail2ban database written by fail2ban's own classes (its Fail2BanDb,
# the jail and ticket classes of its server), and fail2ban's own answer
# to which bans it puts back when the jail starts (Jail.restoreCurrentBans).
# fail2ban is never installed: its Python package is unpacked from
# Debian's .deb by make deps (tests/deps.sh) and put on sys.path.
#
#   f2bdb.py write DB NOW JAIL,IP,AGE,BANTIME ...
#       a ban of IP in JAIL made AGE seconds before NOW, for BANTIME
#       seconds (-1: for good); the database is made when it is not there
#   f2bdb.py restore DB NOW JAIL,BANTIME
#       the addresses fail2ban puts back when JAIL starts at NOW with that
#       bantime, one a line, sorted
#   f2bdb.py dbfile CONFDIR - -
#       the dbfile fail2ban's own reader (Fail2banReader) takes from the
#       configuration in CONFDIR (fail2ban.conf, .d, .local)
import sys

sys.path.insert(0, sys.argv.pop(1))
from fail2ban.server import mytime                      # noqa: E402
from fail2ban.server.database import Fail2BanDb         # noqa: E402
from fail2ban.server.ticket import FailTicket           # noqa: E402
from fail2ban.tests.dummyjail import DummyJail          # noqa: E402


def dbfile(confdir):
    from fail2ban.client.fail2banreader import Fail2banReader
    r = Fail2banReader(basedir=confdir)
    r.read()
    r.getOptions()
    for cmd in r.convert():
        if cmd[1] == "dbfile":
            print(cmd[2])


def main():
    if sys.argv[1] == "dbfile":
        dbfile(sys.argv[2])
        return
    mode, path, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
    mytime.MyTime.setTime(now)
    db = Fail2BanDb(path)
    if mode == "write":
        jails = {}
        for spec in sys.argv[4:]:
            name, ip, age, bt = spec.split(",")
            if name not in jails:
                jails[name] = DummyJail(name=name, backend="polling")
                db.addJail(jails[name])
            t = FailTicket(ip, now - int(age))
            t.setBanTime(int(bt))
            db.addBan(jails[name], t)
        db.delAllJails()        # fail2ban stopped, as on a powered-off disk
    elif mode == "restore":
        name, bt = sys.argv[4].split(",")
        jail = DummyJail(name=name, backend="polling")
        jail.actions.setBanTime(int(bt))
        jail.database = db
        db.addJail(jail)
        jail.restoreCurrentBans()
        for ip in sorted({str(t.getID()) for t in jail.queue}):
            print(ip)
    db.close()


if __name__ == "__main__":
    main()
