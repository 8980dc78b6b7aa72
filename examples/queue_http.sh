#!/usr/bin/env bash
# End-to-end time of GET /desk/queue for a logged-in DPO against the real
# server: seeds a database with examples/queue_bench.rs (as of now, since
# `serve` uses the real clock), starts the release binary's `serve` on a
# loopback port, logs in with the form and times sequential and concurrent
# GETs (the `http` mode of queue_bench, a reqwest client). Results are
# recorded in BENCHMARKS.md.
#
#   cargo build --release --bin dsr-tracker --example queue_bench
#   examples/queue_http.sh sqlite
#   examples/queue_http.sh postgres postgres://postgres@127.0.0.1:5432/dsr_tracker_test
#   # environment: PORT (8099), REQUESTS (200), CLIENTS (4), SEED_ARGS (e.g. "--controllers 5")
set -euo pipefail
backend=${1:-sqlite}
pg_url=${2:-}
port=${PORT:-8099}
bin=target/release
dir=$(mktemp -d)
now=$(date -u +%Y-%m-%dT%H:%M:%S)
if [ "$backend" = sqlite ]; then
    # shellcheck disable=SC2086
    "$bin/examples/queue_bench" --backend sqlite --seed-only "$dir/q.sqlite" --now "$now" ${SEED_ARGS:-} | tee "$dir/seed.log"
else
    # shellcheck disable=SC2086
    "$bin/examples/queue_bench" --backend postgres --url "$pg_url" --seed-only keep --now "$now" ${SEED_ARGS:-} | tee "$dir/seed.log"
fi
url=$(sed -n 's/.*DATABASE_URL=\([^ ]*\) .*/\1/p' "$dir/seed.log")
# The purge and the digest must not run during the measurement.
DATA_DIR="$dir" DATABASE_URL="$url" BIND_ADDR="127.0.0.1:$port" PURGE_HOUR=23 DIGEST_HOUR=23 \
    "$bin/dsr-tracker" serve >"$dir/serve.log" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    if [ "$backend" != sqlite ]; then
        schema=$(printf '%s' "$url" | sed -n 's/.*search_path%3D\(.*\)$/\1/p')
        psql "$pg_url" -qc "DROP SCHEMA $schema CASCADE" || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/desk/login" && break
    sleep 0.2
done
for path in "/desk/queue" "/desk/queue?status=all"; do
    echo
    echo "### GET $path (DPO of one city)"
    "$bin/examples/queue_bench" http --base "http://127.0.0.1:$port" --email dpo7@bench.example.fr \
        --path "$path" --requests "${REQUESTS:-200}" --clients "${CLIENTS:-4}"
done
echo
echo "### GET /desk/queue (platform admin, all cities)"
"$bin/examples/queue_bench" http --base "http://127.0.0.1:$port" --email admin@bench.example.fr \
    --path "/desk/queue" --requests "${REQUESTS:-200}" --clients "${CLIENTS:-4}"
