#!/usr/bin/env bash
# Seconds from `make run` in a fresh clone to the chat's first answer over HTTP (README figure).
#   git clone <repo> /tmp/fresh && bench/first_answer.sh /tmp/fresh
set -u
cd "$1"
PORT=${PORT:-7871}
start=$(date +%s.%N)
NEWSDESK_PORT=$PORT setsid make run > make-run.log 2>&1 &
pid=$!
deadline=$(( $(date +%s) + ${TIMEOUT:-1800} ))  # a server that answers only errors ends too
until curl -sf -m 30 "http://127.0.0.1:$PORT/api/ask" -H 'content-type: application/json' \
    -d '{"question": "Which groups reject the withdrawal?"}' > answer.json 2>/dev/null; do
  kill -0 $pid 2>/dev/null || { echo "make run died"; tail -20 make-run.log; exit 1; }
  [ "$(date +%s)" -lt "$deadline" ] || { echo "no answer in ${TIMEOUT:-1800} s"; kill -- -$pid; exit 1; }
  sleep 1
done
echo "seconds to first answer: $(echo "$(date +%s.%N) - $start" | bc) (load $(cut -d' ' -f1 /proc/loadavg))"
kill -- -$pid
