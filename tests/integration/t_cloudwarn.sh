# Warn before a fix is undone at a boot: cloud-init's ssh_pwauth,
# ssh_deletekeys and disable_root, whether its per-instance modules have
# run for this instance, and the Google and Azure guest agents, on fake
# roots. The plan (text), the one line and the JSON (valid against the
# schema) each say it, with what to set to keep the fix.
. "$SSHFIX_TOP/tests/integration/lib.sh"

SCHEMA="$SSHFIX_TOP/packaging/sshfix.schema.json"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# undo ID: "BY WHEN" of each undone_at_boot of the findings ID in the
# last JSON (which must be valid against the schema), one a line, then
# "keep: KEEP".
undo() {
	"$PY" - "$T/out" "$SCHEMA" "$1" <<'EOF'
import json, sys
import jsonschema
d = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(json.load(open(sys.argv[2]))).validate(d)
for f in d["findings"]:
    if f["id"] == sys.argv[3]:
        for u in f["undone_at_boot"]:
            print(u["by"], u["when"])
            print("keep:", u["keep"])
EOF
}
undo_is() {	# undo_is ID WANT: the "BY WHEN" lines are exactly WANT
	[ "$(undo "$1" | grep -v '^keep:')" = "$2" ]
}
keep_has() { undo "$1" | grep '^keep:' | grep -qF -- "$2"; }

# cloudroot DIR: cloud-init installed, a RHEL-like sshd_config without
# the Include of sshd_config.d (set_passwords rewrites sshd_config
# itself), alice locked out with a password: the plan opens password
# login for her in sshd_config.
cloudroot() {
	lockout "$1"
	rm -f "$1/etc/ssh/sshd_config.d/50-cloud-init.conf"
	sed -i '/^Include/d' "$1/etc/ssh/sshd_config"
	echo 'PasswordAuthentication no' >>"$1/etc/ssh/sshd_config"
	mkdir -p "$1/etc/cloud/cloud.cfg.d"
	cat >"$1/etc/cloud/cloud.cfg" <<'C'
# as Debian's cloud.cfg lists them
disable_root: true
cloud_init_modules:
 - users-groups
 - ssh
cloud_config_modules:
 - ssh-import-id
 - set-passwords
C
}
pwauth() { printf 'ssh_pwauth: %s   # %s\n' "$2" "$2" \
    >"$1/etc/cloud/cloud.cfg.d/50-pw.cfg"; }

R="$T/pwfalse"; cloudroot "$R"; pwauth "$R" false
diagnose "$R" --user alice
check "ssh_pwauth false: auth-lockout planned, nothing changed" \
    sh -c "[ $RC -eq 1 ] && [ $UNCHANGED -eq 0 ]"
check "ssh_pwauth false + password route: cloud-init undoes it at the next boot (JSON, schema valid)" \
    undo_is auth-lockout "cloud-init next-boot"
check "ssh_pwauth false: keep it by setting ssh_pwauth: unchanged where it is set" \
    keep_has auth-lockout "set ssh_pwauth: unchanged at /etc/cloud/cloud.cfg.d/50-pw.cfg:1"
run --root "$R" --user alice
check "ssh_pwauth false: the plan says UNDONE AT THE NEXT BOOT with the file that rewrites" \
    sh -c "printf '%s' \"\$1\" | tr '\n' ' ' | tr -s ' ' | grep -q 'UNDONE AT THE NEXT BOOT by cloud-init: ssh_pwauth: false (/etc/cloud/cloud.cfg.d/50-pw.cfg:1) makes cloud-init.s set_passwords rewrite every PasswordAuthentication line of /etc/ssh/sshd_config to \"no\"'" _ "$OUT"
run --root "$R" --user alice --oneline
check "ssh_pwauth false: the one line says it, with what to set" \
    out_has "auth-lockout on alice; AT NEXT BOOT cloud-init undoes auth-lockout on alice (keep it: set ssh_pwauth: unchanged at /etc/cloud/cloud.cfg.d/50-pw.cfg:1)"
run --root "$R" --user alice --apply --oneline
check "ssh_pwauth false: the one line after --apply says it too" \
    sh -c "[ $RC -eq 0 ] && printf '%s' \"\$1\" | grep -q '^sshfix: fixed auth-lockout on alice.*AT NEXT BOOT cloud-init undoes auth-lockout on alice'" _ "$OUT"
run --root "$R" --rollback
check "ssh_pwauth false: rollback" [ "$RC" -eq 0 ]

R="$T/pwtrue"; cloudroot "$R"; pwauth "$R" true
diagnose "$R" --user alice
check "ssh_pwauth true: no warning" undo_is auth-lockout ""
check "ssh_pwauth true: the finding is there" has_id auth-lockout
R="$T/pwunch"; cloudroot "$R"; pwauth "$R" unchanged
diagnose "$R" --user alice
check "ssh_pwauth unchanged: no warning" undo_is auth-lockout ""
R="$T/pwnone"; cloudroot "$R"
diagnose "$R" --user alice
check "ssh_pwauth unset: no warning" undo_is auth-lockout ""

R="$T/nocloud"; cloudroot "$R"; pwauth "$R" false; rm -f "$R/etc/cloud/cloud.cfg"
diagnose "$R" --user alice
check "no cloud.cfg (no cloud-init): no warning" undo_is auth-lockout ""
run --root "$R" --user alice --oneline
check "no cloud-init: the one line has no warning" \
    sh -c '[ -n "$1" ] && ! printf "%s" "$1" | grep -q undoes' _ "$OUT"
R="$T/disabled"; cloudroot "$R"; pwauth "$R" false
touch "$R/etc/cloud/cloud-init.disabled"
diagnose "$R" --user alice
check "cloud-init.disabled: no warning" undo_is auth-lockout ""

R="$T/nomodule"; cloudroot "$R"; pwauth "$R" false
printf 'cloud_config_modules:\n - ssh-import-id\n' >"$R/etc/cloud/cloud.cfg.d/90-mods.cfg"
diagnose "$R" --user alice
check "set-passwords not in the (replaced) module list: no warning" \
    undo_is auth-lockout ""
printf 'cloud_config_modules:\n  - [ set_passwords, always ]\n' \
    >"$R/etc/cloud/cloud.cfg.d/90-mods.cfg"
mkdir -p "$R/var/lib/cloud/data" "$R/var/lib/cloud/instances/i-0abc/sem"
echo i-0abc >"$R/var/lib/cloud/data/instance-id"
touch "$R/var/lib/cloud/instances/i-0abc/sem/config_set_passwords"
diagnose "$R" --user alice
check "[set_passwords, always]: next boot even though it ran" \
    undo_is auth-lockout "cloud-init next-boot"

R="$T/ran"; cloudroot "$R"; pwauth "$R" false
mkdir -p "$R/var/lib/cloud/data" "$R/var/lib/cloud/instances/i-0abc/sem"
echo i-0abc >"$R/var/lib/cloud/data/instance-id"
touch "$R/var/lib/cloud/instances/i-0abc/sem/config_set_passwords"
diagnose "$R" --user alice
check "set_passwords has run for this instance: only a new instance undoes it" \
    undo_is auth-lockout "cloud-init new-instance"
run --root "$R" --user alice --oneline
check "new instance: the one line says so" \
    out_has "; on a new instance cloud-init undoes auth-lockout on alice"
rm "$R/var/lib/cloud/instances/i-0abc/sem/config_set_passwords"
diagnose "$R" --user alice
check "set_passwords has not run for this instance yet: the next boot" \
    undo_is auth-lockout "cloud-init next-boot"
printf 'ssh_pwauth: false\n' >"$R/var/lib/cloud/instances/i-0abc/cloud-config.txt"
pwauth "$R" true
diagnose "$R" --user alice
check "the instance's user data wins over cloud.cfg.d" \
    undo_is auth-lockout "cloud-init next-boot"
check "user data: keep it by changing the user data" \
    keep_has auth-lockout "instance's user data"

# Debian: sshd_config includes sshd_config.d first; set_passwords writes
# 50-cloud-init.conf, and sshfix's Match User block in sshd_config wins
# over its global line: the route survives, no warning.
R="$T/debian"; lockout "$R"; mkdir -p "$R/etc/cloud/cloud.cfg.d"
printf 'ssh_pwauth: false\n' >"$R/etc/cloud/cloud.cfg"
diagnose "$R" --user alice
check "Include of sshd_config.d: the Match block outlives 50-cloud-init.conf, no warning" \
    eval 'has_id auth-lockout && undo_is auth-lockout ""'
R="$T/nopw"; cloudroot "$R"; pwauth "$R" false
diagnose "$R" --user alice --no-password-route
check "--no-password-route opens nothing: no warning" undo_is auth-lockout ""

# Host keys: ssh_deletekeys (default true) and the guest agents.
hkroot() { mkroot "$1"; chmod 0644 "$1/etc/ssh/ssh_host_ed25519_key"; }
R="$T/hk"; hkroot "$R"; mkdir -p "$R/etc/cloud/cloud.cfg.d"
printf 'ssh_genkeytypes: [ed25519]\n' >"$R/etc/cloud/cloud.cfg"
diagnose "$R"
check "host key fix + ssh_deletekeys by default: new keys at the next boot" \
    undo_is hostkey-perms "cloud-init next-boot"
check "ssh_deletekeys: keep with ssh_deletekeys: false in a file of sshfix's" \
    keep_has hostkey-perms "set ssh_deletekeys: false in /etc/cloud/cloud.cfg.d/99-sshfix.cfg"
check "ssh_deletekeys: the types it makes are said" sh -c \
    "printf '%s' \"\$1\" | grep -q 'new ones of the types ed25519 (ssh_genkeytypes)'" _ "$OUT"
printf 'ssh_deletekeys: false\n' >"$R/etc/cloud/cloud.cfg.d/10-k.cfg"
diagnose "$R"
check "ssh_deletekeys false: no warning" undo_is hostkey-perms ""

R="$T/gce"; hkroot "$R"
printf '[InstanceSetup]\nset_boto_config = false\n' >"$R/etc/default/instance_configs.cfg"
diagnose "$R"
check "Google guest agent (set_host_keys by default): new keys on a new instance" \
    undo_is hostkey-perms "google-guest-agent new-instance"
check "Google: keep with set_host_keys = false" \
    keep_has hostkey-perms "set_host_keys = false under [InstanceSetup]"
printf '[InstanceSetup]\nset_host_keys = false\n' >"$R/etc/default/instance_configs.cfg"
diagnose "$R"
check "Google set_host_keys = false: no warning" undo_is hostkey-perms ""

R="$T/azure"; hkroot "$R"
printf 'Provisioning.Agent=waagent\nProvisioning.RegenerateSshHostKeyPair=y\n' >"$R/etc/waagent.conf"
diagnose "$R"
check "Azure agent provisioning with RegenerateSshHostKeyPair=y: new keys on a new instance" \
    undo_is hostkey-perms "walinuxagent new-instance"
printf 'Provisioning.Agent=waagent\nProvisioning.RegenerateSshHostKeyPair=n\n' >"$R/etc/waagent.conf"
diagnose "$R"
check "Azure RegenerateSshHostKeyPair=n: no warning" undo_is hostkey-perms ""
printf 'Provisioning.Agent=cloud-init\nProvisioning.RegenerateSshHostKeyPair=y\n' >"$R/etc/waagent.conf"
diagnose "$R"
check "Azure with cloud-init provisioning: the agent makes no keys" \
    undo_is hostkey-perms ""
R="$T/plain"; hkroot "$R"
diagnose "$R"
check "host key fix, no cloud-init, no agent: no warning" undo_is hostkey-perms ""

# disable_root (default true): root's metadata keys get a refusing command.
R="$T/root"; mkroot "$R"; rm -f "$R/root/.ssh/authorized_keys"
mkdir -p "$R/etc/cloud"; printf 'users: [default]\n' >"$R/etc/cloud/cloud.cfg"
diagnose "$R" --user root --authorized-key "$KEYS/user_key.pub"
check "a key installed for root + disable_root by default: warned" \
    undo_is auth-lockout "cloud-init next-boot"
check "disable_root: keep with disable_root: false" \
    keep_has auth-lockout "set disable_root: false in /etc/cloud/cloud.cfg.d/99-sshfix.cfg"
printf 'disable_root: false\n' >>"$R/etc/cloud/cloud.cfg"
diagnose "$R" --user root --authorized-key "$KEYS/user_key.pub"
check "disable_root false: no warning" undo_is auth-lockout ""
echo "1..$N"
