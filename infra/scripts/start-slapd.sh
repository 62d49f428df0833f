#!/usr/bin/env bash
# Starts a dev OpenLDAP server with the seed directory (infra/ldap) on 127.0.0.1, for
# trying LDAP sign-in by hand. Each run starts from a fresh copy of the seed. Usage:
#   infra/scripts/start-slapd.sh [port]           (default port 3890)
set -euo pipefail

port="${1:-3890}"
ldap_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../ldap" && pwd)"
for binary in /usr/sbin/slapd /usr/sbin/slapadd; do
  if [[ ! -x "$binary" ]]; then
    echo "$binary is missing: install OpenLDAP with 'apt-get install slapd ldap-utils'" >&2
    exit 1
  fi
done

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/atrium-slapd-XXXXXX")"
mkdir "$work_dir/data"
sed "s|{{DIRECTORY}}|$work_dir|g" "$ldap_dir/slapd.conf.template" >"$work_dir/slapd.conf"
cat "$ldap_dir/base.ldif" "$ldap_dir/seed.ldif" | /usr/sbin/slapadd -q -f "$work_dir/slapd.conf"

# Without -d, slapd detaches once it listens and records its pid in the work directory.
/usr/sbin/slapd -h "ldap://127.0.0.1:$port/" -f "$work_dir/slapd.conf"

cat <<ENV
slapd is running in $work_dir
LDAP_URL=ldap://127.0.0.1:$port
LDAP_BASE_DN=dc=atrium,dc=test
LDAP_BIND_DN=cn=service,dc=atrium,dc=test
LDAP_BIND_PASSWORD=service-secret
LDAP_USER_FILTER_ATTRIBUTE=uid
LDAP_GROUP_ROLE_MAP=admins:admin;staff:staff;students:student
LDAP_ALLOWED_GROUPS=atrium-users
Users: alice/alice-pass, bob/bob-pass, carol/carol-pass, dave/dave-pass (not allowed),
       'paren(thesis)'/paren-pass
Stop it with: kill \$(cat $work_dir/slapd.pid) && rm -rf $work_dir
ENV
