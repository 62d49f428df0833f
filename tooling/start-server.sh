#!/bin/sh
# Starts an app's compiled server with production's node flags: `sh start-server.sh SCRIPT [ARGS]`.
# The apps' `start` scripts (so the image's CMD and docker-compose) and the Kubernetes commands
# run this, and the benchmarks read their flags from it (`--print-flags` prints them for this
# environment), so there is one list. Why each flag: docs/decisions/113 and 191.
#
# `exec`: node replaces this shell, keeping its process id, so a supervisor's SIGTERM reaches
# the server's graceful shutdown directly and no shell stays alive beside it.
set -eu

# --heap-growing-percent=30: the old generation grows by 1.3x between full collections instead of
# up to 4x, so a burst of streams' garbage is collected before RSS climbs (191).
flags='--max-semi-space-size=16 --scavenger-max-new-space-capacity-mb=1 --heap-growing-percent=30 --enable-source-maps'
# The embedded database (no DATABASE_URL, as packages/db decides) runs PostgreSQL compiled to
# WebAssembly; V8's optimizing tier for it costs ~70-250 MiB that its baseline compiler does not.
if [ -z "${DATABASE_URL:-}" ]; then
  flags="$flags --liftoff-only"
fi

if [ "${1:-}" = '--print-flags' ]; then
  echo "$flags"
  exit 0
fi
# Unquoted on purpose: one word per flag (none contains a space).
# shellcheck disable=SC2086
exec node $flags "$@"
