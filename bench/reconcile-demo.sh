#!/usr/bin/env bash
# The reconciliation demo, end to end on the sandbox OMS, and a screenshot of its report.
#
#   bench/reconcile-demo.sh [PORT]
#
# 1. starts the sandbox with the demo seed (jobs/demo/sandbox-seed.json: three pools, four drifted pool counts);
# 2. reconcile       -> run 1: the drifted pool counts;
# 3. sync day 1      -> the product writes the demo snapshot's counts to the OMS;
# 4. someone changes the OMS by hand (the sandbox's admin API): two counts changed, one new key;
# 5. reconcile       -> run 2: the same pool drift plus the drift since the sync, and a trend;
# 6. renders run 2's report.html to docs/reconcile-report.png with headless Chromium.
# The database is whatever Spring is configured with (default: the embedded H2 file database under ./data;
# set SPRING_DATASOURCE_URL for PostgreSQL). Reports go to ./out/reconcile-demo/reconcile-<execution>/.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18089}"
jar=target/inventory-sync.jar
[[ -f "$jar" ]] || mvn -q -DskipTests package

java -jar "$jar" sandbox --port "$port" --seed jobs/demo/sandbox-seed.json > /tmp/reconcile-demo-sandbox.log 2>&1 &
sandbox=$!
trap 'kill "$sandbox" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/admin/counters" >/dev/null 2>&1 && break
  sleep 0.2
done

export INVENTORY_SYNC_OMNI_BASE_URL="http://127.0.0.1:$port/omni"
export INVENTORY_SYNC_OMNI_SUBSCRIPTION_KEY=sandbox-omni-key   # the sandbox's demo credential, not a secret
run() { echo "\$ inventory-sync $*"; java -jar "$jar" "$@" || echo "(exit $?)"; echo; }

run reconcile --job jobs/reconcile-demo.yml
run sync --job jobs/reconcile-demo.yml --snapshot jobs/demo/snapshot-day1.csv --force
for change in '{"sku":"TEE-BLK-M","location":"WH-00","onHand":40}' \
              '{"sku":"CAP-RED-OS","location":"STORE-02","onHand":0}' \
              '{"sku":"SOCK-WHT-M","location":"WH-01","onHand":500}'; do
  curl -fs -X PUT -H 'Content-Type: application/json' -d "$change" "http://127.0.0.1:$port/admin/onhand" >/dev/null
done
echo "(three on-hand counts changed in the OMS by hand)"; echo
run reconcile --job jobs/reconcile-demo.yml

report="$(ls -1t out/reconcile-demo/reconcile-*/report.html | head -n1)"
bench/report-screenshot.sh "$report" docs/reconcile-report.png 1180,1400
