#!/usr/bin/env bash
# Measures leave submissions over HTTP at 32 concurrent clients, beside
# pgbench -N on the same PostgreSQL server. Uses a scratch database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
banli_find_go
banli_test_postgres
admin="$BANLI_TEST_DATABASE_URL"
db=banli_bench_$$
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
url="${admin%/*}/$db?sslmode=disable"
echo "== banli: POST /v1/leave-requests, ${CLIENTS:-32} clients"
DATABASE_URL="$url" go run ./bench/leaveload -clients "${CLIENTS:-32}" -duration "${DURATION:-20s}"
echo "== pgbench -N (simple updates), ${CLIENTS:-32} clients, same server"
pgbench -q -i -s 10 "$url" >/dev/null 2>&1
pgbench -N -c "${CLIENTS:-32}" -j 2 -T "${PGBENCH_SECONDS:-20}" "$url" 2>/dev/null | grep -E "tps|latency average"
