#!/usr/bin/env bash
# Runs banli's whole test suite on a fresh Debian machine: installs packages,
# starts PostgreSQL when none answers, vets, runs every test against the real
# database with the race detector, then the offline evaluations with floors.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
banli_install_debs
banli_find_go
# Debian's Tesseract uses OpenMP; with one client per core it oversubscribes
# the CPU (ocr/README.md: 2.6 vs 0.8 receipts/s on 2 cores).
export OMP_THREAD_LIMIT=1
banli_test_postgres
export BANLI_REQUIRE_DB=1
# The pgvector backend's tests run against PGlite (PostgreSQL in
# WebAssembly, with pgvector): Debian does not package the vector extension.
source scripts/pglite/pglite.sh
banli_start_pglite

echo "== go vet"
go vet ./...
echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "not gofmt-formatted: $unformatted" >&2; exit 1; fi

echo "== go test -race"
go test -race -count=1 -timeout 40m ./...

echo "== evals"
go build -o "${TMPDIR:-/tmp}/banli-ci" ./cmd/banli
bin="${TMPDIR:-/tmp}/banli-ci"
"$bin" eval anomaly --claims evals/testdata/anomaly/claims.jsonl --min-auc 0.95
# The agent suite clones a seeded template per case on the test server; it
# exits non-zero on any unsafe execution as well as below the floor.
export BANLI_EVAL_DATABASE_URL="${BANLI_EVAL_DATABASE_URL:-$BANLI_TEST_DATABASE_URL}"
"$bin" eval agent --fixture fixture/demo.yaml --cases evals/testdata/agent/cases.jsonl --planner builtin --min-pass 0.93
if [ -f ../shared/evals/example/cases.jsonl ]; then
  "$bin" eval agent --fixture ../shared/evals/example/org.yaml --cases ../shared/evals/example/cases.jsonl --planner builtin --min-pass 0.9
fi
"$bin" eval receipts --dir evals/testdata/receipts --min-date 0.95 --min-total 0.93 --min-merchant 0.90
# Meetings (offline, no database): the dev set, and two held-out sets as
# regression guards (meeting/README.md gives what was measured blind).
"$bin" eval meetings --dir evals/testdata/meetings --min-f1 0.85
"$bin" eval meetings --dir evals/testdata/meetings/heldout --min-f1 0.80
"$bin" eval meetings --dir evals/testdata/meetings/heldout2 --min-f1 0.60
echo "all tests and evals passed"
