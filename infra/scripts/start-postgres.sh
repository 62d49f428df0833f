#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1 for machines where none runs, using Debian's
# server binaries directly (no pg_ctlcluster, no system service). Usage:
#   infra/scripts/start-postgres.sh [port]        (default port 55432)
set -euo pipefail

port="${1:-55432}"
bin_dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [[ -z "$bin_dir" || ! -x "$bin_dir/initdb" ]]; then
  echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2
  exit 1
fi

data_dir="$(mktemp -d "${TMPDIR:-/tmp}/atrium-postgres-XXXXXX")"

# PostgreSQL refuses to run as root.
as_owner=()
if [[ "$(id -u)" == 0 ]]; then
  chown postgres: "$data_dir"
  as_owner=(runuser -u postgres --)
fi

"${as_owner[@]}" "$bin_dir/initdb" --pgdata="$data_dir" --username=postgres --auth=trust \
  --encoding=UTF8 --no-instructions >/dev/null
"${as_owner[@]}" "$bin_dir/pg_ctl" --pgdata="$data_dir" --log="$data_dir/server.log" --wait \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $data_dir" start >/dev/null
"${as_owner[@]}" "$bin_dir/createdb" --host=127.0.0.1 --port="$port" --username=postgres atrium

echo "PostgreSQL is running in $data_dir (log: $data_dir/server.log)"
echo "DATABASE_URL=postgres://postgres@127.0.0.1:$port/atrium"
echo "Stop it with: ${as_owner[*]:+${as_owner[*]} }$bin_dir/pg_ctl --pgdata=$data_dir stop && rm -rf $data_dir"
