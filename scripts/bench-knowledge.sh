#!/usr/bin/env bash
# Measures knowledge search on synthetic passages (bench/knowledgebench):
# the exact-scan backend on the machine's PostgreSQL (a scratch database)
# and the pgvector backend (HNSW) on PGlite (scripts/pglite). Prints recall@10
# of HNSW against exact search and p50/p99 latency of vector-only and hybrid
# searches. N (default 100000) and QUERIES (default 200) override the sizes;
# BACKENDS="exact" or "pgvector" runs one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
banli_find_go
banli_test_postgres
source scripts/pglite/pglite.sh
n="${N:-100000}"
queries="${QUERIES:-200}"
bin=$(mktemp -d)
go build -o "$bin/knowledgebench" ./bench/knowledgebench
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in ${BACKENDS:-exact pgvector}; do
  case "$backend" in
  exact)
    admin="$BANLI_TEST_DATABASE_URL"
    db=banli_kbench_$$
    psql "$admin" -qc "CREATE DATABASE $db"
    echo "== exact scan, PostgreSQL $(psql "$admin" -Atc 'SHOW server_version'): knowledgebench -n $n -queries $queries"
    "$bin/knowledgebench" -url "${admin%/*}/$db?sslmode=disable" -n "$n" -queries "$queries" || status=$?
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    [ "${status:-0}" -eq 0 ] || exit "$status"
    ;;
  pgvector)
    banli_start_pglite
    echo "== pgvector on PGlite: knowledgebench -single -n $n -queries $queries"
    "$bin/knowledgebench" -url "$BANLI_TEST_PGVECTOR_URL" -single -n "$n" -queries "$queries"
    kill "$BANLI_PGLITE_PID"
    ;;
  esac
done
rm -rf "$bin"
