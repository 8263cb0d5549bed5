#!/usr/bin/env bash
# Measures leave submissions over HTTP at 32 concurrent clients, beside
# pgbench -N on the same PostgreSQL server. Uses a scratch database.
#
#   bash scripts/bench-leave.sh                 # in-process clients, 20 s
#   bash scripts/bench-leave.sh -split          # API in its own process
#   bash scripts/bench-leave.sh -commit-before-flush   # postgres.Options.CommitBeforeFlush
#   bash scripts/bench-leave.sh -split -cpuprofile /tmp/cpu.out   # then: go tool pprof -top /tmp/cpu.out
#
# Extra arguments go to bench/leaveload (see go run ./bench/leaveload -h).
# CLIENTS, DURATION and PGBENCH_SECONDS override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
banli_find_go
banli_test_postgres
admin="$BANLI_TEST_DATABASE_URL"
db=banli_bench_$$
bin=$(mktemp -d)
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; rm -rf "$bin"' EXIT
url="${admin%/*}/$db?sslmode=disable"
go build -o "$bin/leaveload" ./bench/leaveload
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(psql "$admin" -Atc 'SHOW server_version')"
echo "== banli: POST /v1/leave-requests, ${CLIENTS:-32} clients"
echo "   command: DATABASE_URL=<scratch db> leaveload -clients ${CLIENTS:-32} -duration ${DURATION:-20s} $*"
DATABASE_URL="$url" "$bin/leaveload" -clients "${CLIENTS:-32}" -duration "${DURATION:-20s}" "$@"
echo "== pgbench -N (simple updates), ${CLIENTS:-32} clients, same server"
pgbench -q -i -s 10 "$url" >/dev/null 2>&1
pgbench -N -c "${CLIENTS:-32}" -j 2 -T "${PGBENCH_SECONDS:-20}" "$url" 2>/dev/null | grep -E "tps|latency average"
