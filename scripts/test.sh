#!/usr/bin/env bash
# Runs banli's whole test suite on a fresh Debian machine: installs packages,
# starts PostgreSQL when none answers, vets, runs every test against the real
# database with the race detector, then the offline evaluations with floors.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
banli_install_debs
banli_find_go
banli_test_postgres
export BANLI_REQUIRE_DB=1

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
echo "all tests and evals passed"
