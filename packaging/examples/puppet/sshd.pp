# sshd configuration through Puppet, guarded by sshfix --preflight.
#
# validate_cmd runs on the new content (its temp file replaces %) before it
# replaces the file. sshfix exits 1 when sshd would not start or an account
# that logs in today would be locked out: the resource fails with sshfix's
# line and the file stays as it was. --as names the file the candidate
# would replace; a drop-in that does not exist yet is judged as added.
#
#   class { 'sshd_guarded': }                  # the machine itself
#   class { 'sshd_guarded': root => '/mnt' }   # a system mounted at /mnt
class sshd_guarded (
  String $sshfix = '/usr/sbin/sshfix',
  String $root = '',
  String $sshd_config_source = 'puppet:///modules/sshd_guarded/sshd_config',
  String $dropin = "PasswordAuthentication no\n",
) {
  $preflight = $root ? {
    ''      => "${sshfix} --preflight %",
    default => "${sshfix} --root ${root} --preflight %",
  }

  file { "${root}/etc/ssh/sshd_config":
    ensure       => file,
    owner        => 'root',
    group        => 'root',
    mode         => '0644',
    source       => $sshd_config_source,
    validate_cmd => "${preflight} --as /etc/ssh/sshd_config",
  }

  file { "${root}/etc/ssh/sshd_config.d/50-puppet.conf":
    ensure       => file,
    owner        => 'root',
    group        => 'root',
    mode         => '0644',
    content      => $dropin,
    validate_cmd => "${preflight} --as /etc/ssh/sshd_config.d/50-puppet.conf",
  }
}
