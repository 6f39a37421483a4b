#!/usr/bin/env bash
# Restart-to-ready of `python server.py` on STORE, then its first and second question (README).
#   bench/server_ready.sh build/bench/scale/stores/100000
set -u
STORE=$1; PORT=${2:-7893}
ask() {
  curl -sf -o /dev/null -X POST -H 'content-type: application/json' -d "{\"question\": \"$1\"}" \
    "http://127.0.0.1:$PORT/api/ask" || { echo "the question failed"; kill $pid; exit 1; }
}
start=$(date +%s.%N)
NEWSDESK_STORE=$STORE NEWSDESK_PORT=$PORT .venv/bin/python server.py > /tmp/server-ready.log 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
  kill -0 $pid 2>/dev/null || { echo "server died"; tail -5 /tmp/server-ready.log; exit 1; }
  sleep 0.1
done
ready=$(date +%s.%N)
ask "Which highway was shut by the new blaze near Goulburn?"
first=$(date +%s.%N)
ask "How many suspected militants did Indian forces kill in southern Kashmir?"
second=$(date +%s.%N)
kill $pid
echo "ready $(echo "$ready - $start" | bc) s; first question $(echo "$first - $ready" | bc) s;" \
  "second $(echo "$second - $first" | bc) s; load $(cut -d' ' -f1 /proc/loadavg)"
