#!/usr/bin/env bash
# Runs banli on its embedded defaults: installs what it needs, builds, and
# starts `banli dev` (a private PostgreSQL cluster, the demo company, the
# built-in planner). Extra arguments go to `banli dev`, e.g. --addr :9090.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
banli_install_debs
banli_find_go
mkdir -p bin
go build -o bin/banli ./cmd/banli
exec bin/banli dev "$@"
