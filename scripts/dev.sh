#!/usr/bin/env bash
# Runs banli on its embedded defaults: installs what it needs, builds, and
# starts `banli dev` (a private PostgreSQL cluster, the demo company, the
# built-in planner). Extra arguments go to `banli dev`, e.g. --addr :9090.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
banli_install_debs
banli_find_go
# Debian's Tesseract uses OpenMP; with one client per core it oversubscribes
# the CPU (ocr/README.md: 2.6 vs 0.8 receipts/s on 2 cores).
export OMP_THREAD_LIMIT=1
mkdir -p bin
go build -o bin/banli ./cmd/banli
exec bin/banli dev "$@"
