#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Opens a summary HTML in headless Chromium: every figure decodes, every
# PNG of the run's plots/ and every table (a TSV there that no figure
# plots) appears, and a screenshot is
# saved as an artifact. Usage: test_html.sh RESULTS_DIR ARTIFACT_DIR
set -euo pipefail
res=${1:?usage: test_html.sh RESULTS_DIR ARTIFACT_DIR}
art=${2:?usage: test_html.sh RESULTS_DIR ARTIFACT_DIR}
html="$res/summary.html"
[ -s "$html" ] || { echo "FAIL: no $html" >&2; exit 1; }
mkdir -p "$art"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking
        --disable-component-update --no-first-run --user-data-dir="$profile")
url="file://$(cd "$(dirname "$html")" && pwd)/summary.html"
timeout 120 "${chrome[@]}" --virtual-time-budget=5000 --dump-dom "$url" > "$profile/dom.html" 2> "$profile/err.txt" ||
  { cat "$profile/err.txt" >&2; echo "FAIL: chromium" >&2; exit 1; }
check=$(grep -o 'data-check="[^"]*"' "$profile/dom.html" || true)
echo "page check: $check"
nfig=$(ls "$res/plots/"*.png 2>/dev/null | wc -l)
# Tables: the TSV files that no figure plots (no PNG of the same stem).
tables=()
for t in "$res/plots/"*.tsv; do [ -e "${t%.tsv}.png" ] || tables+=("$t"); done
ntab=${#tables[@]}
[ "$check" = "data-check=\"ok figures=$nfig/$nfig tables=$ntab\"" ] ||
  { echo "FAIL: expected ok figures=$nfig/$nfig tables=$ntab" >&2; exit 1; }
for f in "$res/plots/"*.png "${tables[@]}"; do
  grep -q "data-src=\"$(basename "$f")\"" "$profile/dom.html" || { echo "FAIL: $(basename "$f") not in the page" >&2; exit 1; }
done
grep -q 'class="prov"' "$profile/dom.html" || { echo "FAIL: no provenance table" >&2; exit 1; }
timeout 120 "${chrome[@]}" --window-size=1200,2000 --screenshot="$art/summary.png" "$url" 2>> "$profile/err.txt" ||
  { cat "$profile/err.txt" >&2; echo "FAIL: screenshot" >&2; exit 1; }
[ -s "$art/summary.png" ] || { echo "FAIL: no screenshot" >&2; exit 1; }
echo "screenshot: $art/summary.png"
echo "PASS"
