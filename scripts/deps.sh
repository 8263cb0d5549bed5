#!/usr/bin/env bash
# Installs what banli needs on Debian: PostgreSQL, Tesseract with English and
# Chinese models, poppler (PDF rasterising), libheif's heif-convert (HEIC
# photos), CJK fonts, a C compiler for cgo.
# Sourced by dev.sh and test.sh; installs only what is missing.
set -euo pipefail

BANLI_DEBS=(postgresql postgresql-contrib gcc libc6-dev pkg-config
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-tra tesseract-ocr-chi-sim
  libtesseract-dev libleptonica-dev poppler-utils fonts-noto-cjk libheif-examples)
# Voice: ffmpeg decodes uploads; pocketsphinx with its US English model is
# the offline recogniser; espeak-ng and flite speak the tests' commands.
BANLI_DEBS+=(ffmpeg pocketsphinx pocketsphinx-en-us espeak-ng flite)

banli_install_debs() {
  local missing=()
  for p in "${BANLI_DEBS[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

banli_find_go() {
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "Go 1.26 or newer is needed (https://go.dev/dl); it was not found on PATH or in /usr/local/go" >&2
    return 1
  fi
}

# banli_test_postgres exports BANLI_TEST_DATABASE_URL: the server on
# 127.0.0.1:5432 when it answers with trust auth, else a private cluster.
banli_test_postgres() {
  if psql "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable" -tAc 'select 1' >/dev/null 2>&1; then
    export BANLI_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
    return
  fi
  # Try the machine's own cluster first.
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    for v in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true
    done
    if psql "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable" -tAc 'select 1' >/dev/null 2>&1; then
      export BANLI_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
      return
    fi
  fi
  local bin dir port=55432
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  dir="${TMPDIR:-/tmp}/banli-test-pg"
  local as=()
  if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); mkdir -p "$dir"; chown postgres "$dir"; fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    "${as[@]}" "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  fi
  if ! "${as[@]}" "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    "${as[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  fi
  export BANLI_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  echo "started a private PostgreSQL for the tests on 127.0.0.1:$port"
}
