#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (initdb, pg_ctl) exist for the tests that start their own
# server (tests/support/postgres.py). The robot itself needs none: its default store is SQLite.
# With none found and running as root, installs Debian's postgresql with apt; otherwise only says so
# (those tests are then skipped).
set -euo pipefail
found=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  found="$(pg_config --bindir)"
fi
for dir in /usr/lib/postgresql/*/bin; do
  [ -z "$found" ] && [ -x "$dir/initdb" ] && found="$dir"
done
if [ -n "$found" ]; then
  echo "postgresql: $found"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing with apt: postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  echo "postgresql: $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
else
  echo "PostgreSQL not found: the tests marked postgres will be skipped (Debian: apt-get install postgresql)." >&2
fi
