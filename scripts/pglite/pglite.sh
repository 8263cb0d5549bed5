#!/usr/bin/env bash
# PGlite (PostgreSQL 17 compiled to WebAssembly) with the vector extension,
# served on a local port by @electric-sql/pglite-socket: the PostgreSQL with
# pgvector that the pgvector tests and the knowledge benchmark use, since
# Debian does not package the extension. It serves one connection at a time
# and keeps its database in memory.
#
# Source this file and call banli_start_pglite [PORT]: it installs the npm
# packages pinned by package-lock.json into scripts/pglite/node_modules
# (once), starts the server, waits until it answers, exports
# BANLI_TEST_PGVECTOR_URL and BANLI_PGLITE_PID, and stops the server when
# the calling shell exits. Run directly, it serves in the foreground.
set -euo pipefail

BANLI_PGLITE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

banli_pglite_install() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    # shellcheck source=../deps.sh
    source "$BANLI_PGLITE_DIR/../deps.sh"
    banli_install_debs nodejs npm
  fi
  if [ ! -f "$BANLI_PGLITE_DIR/node_modules/@electric-sql/pglite-socket/package.json" ]; then
    echo "installing PGlite (npm ci in scripts/pglite)"
    (cd "$BANLI_PGLITE_DIR" && npm ci --loglevel=error >/dev/null)
  fi
}

banli_pglite_server() {
  echo "$BANLI_PGLITE_DIR/node_modules/@electric-sql/pglite-socket/dist/scripts/server.js"
}

# banli_free_port prints the first port from $1 on that nothing listens on.
banli_free_port() {
  local p="$1"
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

banli_start_pglite() {
  local port="${1:-${BANLI_PGLITE_PORT:-$(banli_free_port 54329)}}"
  banli_pglite_install
  local log="${TMPDIR:-/tmp}/banli-pglite-$port.log"
  # btree_gist: the core migration's exclusion constraints; vector: pgvector.
  node "$(banli_pglite_server)" --port "$port" --extensions vector,btree_gist >"$log" 2>&1 &
  BANLI_PGLITE_PID=$!
  export BANLI_PGLITE_PID
  trap 'kill "$BANLI_PGLITE_PID" 2>/dev/null || true' EXIT
  local i
  for i in $(seq 1 150); do
    if grep -q "listening" "$log" 2>/dev/null; then
      export BANLI_TEST_PGVECTOR_URL="postgres://postgres:postgres@127.0.0.1:$port/postgres?sslmode=disable"
      echo "PGlite with pgvector on 127.0.0.1:$port (pid $BANLI_PGLITE_PID, log $log)"
      return 0
    fi
    if ! kill -0 "$BANLI_PGLITE_PID" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "PGlite did not start; its log ($log):" >&2
  cat "$log" >&2 || true
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  port="${1:-${BANLI_PGLITE_PORT:-54329}}"
  banli_pglite_install
  echo "serving PGlite on postgres://postgres:postgres@127.0.0.1:$port/postgres?sslmode=disable (Ctrl-C stops it)"
  exec node "$(banli_pglite_server)" --port "$port" --extensions vector,btree_gist
fi
