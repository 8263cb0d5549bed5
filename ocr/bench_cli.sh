#!/usr/bin/env bash
# Throughput of the tesseract command line on the dev set's images, two at a time
# (one per core), with the languages and page segmentation mode the Engine uses.
# Compare with: go test -run '^$' -bench RecognizePool -benchtime 36x ./ocr/
# Usage: bash ocr/bench_cli.sh [DIR]   (default evals/testdata/receipts)
set -euo pipefail
dir=${1:-evals/testdata/receipts}
files=$(ls "$dir"/*.jpg "$dir"/*.png | sort)
n=$(echo "$files" | wc -l)
start=$(date +%s.%N)
echo "$files" | OMP_THREAD_LIMIT=1 xargs -P "$(nproc)" -I{} \
  tesseract {} - -l eng+chi_tra+chi_sim --psm 4 --dpi 300 >/dev/null 2>&1
end=$(date +%s.%N)
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN { printf "tesseract CLI: %d images in %.1fs = %.2f receipts/s\n", n, e-s, n/(e-s) }'
