#!/usr/bin/env bash
# Renders a reconciliation HTML report to a PNG with headless Chromium (Debian: apt-get install -y chromium).
#
# usage: bench/report-screenshot.sh [REPORT_HTML] [OUT_PNG] [WIDTH,HEIGHT]
#   REPORT_HTML  default: the newest out/reconcile-demo/reconcile-*/report.html
#   OUT_PNG      default: docs/reconcile-report.png
#   WIDTH,HEIGHT default: 1180,1500
#
# The report needs no network (its Content-Security-Policy forbids remote resources); Chromium runs
# with a throwaway profile and without background networking, sync or component updates.
set -euo pipefail
cd "$(dirname "$0")/.."

report="${1:-}"
if [[ -z "$report" ]]; then
  report="$(ls -1t out/reconcile-demo/reconcile-*/report.html 2>/dev/null | head -n1 || true)"
fi
if [[ -z "$report" || ! -f "$report" ]]; then
  echo "no report found: run the demo first (see README, Reconciliation) or name a report.html" >&2
  exit 2
fi
out="${2:-docs/reconcile-report.png}"
size="${3:-1180,1500}"

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
  echo "chromium is not installed: apt-get update && apt-get install -y chromium" >&2
  exit 2
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$out")"
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars \
  --window-size="$size" --screenshot="$(realpath -m "$out")" "file://$(realpath "$report")" >/dev/null 2>&1
test -s "$out"
echo "rendered $report -> $out ($size)"
