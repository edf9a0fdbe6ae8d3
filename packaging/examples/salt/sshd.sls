# sshd configuration through Salt, guarded by sshfix --preflight.
#
# file.managed runs check_cmd with the new content's temp file appended as
# the last argument, before it replaces the file: hence --preflight last.
# sshfix exits 1 when sshd would not start or an account that logs in today
# would be locked out; the state fails with sshfix's line in its comment and
# the file stays as it was. --as names the file the candidate would replace;
# a drop-in that does not exist yet is judged as added.
# A system mounted elsewhere: "sshfix --root /mnt --as ..." and the state's
# name under /mnt.

/etc/ssh/sshd_config:
  file.managed:
    - source: salt://sshd/sshd_config
    - user: root
    - group: root
    - mode: "0644"
    - check_cmd: sshfix --as /etc/ssh/sshd_config --preflight

/etc/ssh/sshd_config.d/50-salt.conf:
  file.managed:
    - contents: |
        PasswordAuthentication no
    - user: root
    - group: root
    - mode: "0644"
    - check_cmd: sshfix --as /etc/ssh/sshd_config.d/50-salt.conf --preflight
