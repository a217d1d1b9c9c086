#!/bin/bash
# The compose file's topology without Docker: `milvus-lite server`, the indexer, two replicas and nginx
# (deploy/nginx.conf with loopback addresses), all on this machine, then a few requests through the proxy.
# Needs nginx (apt-get install nginx-light) and `make install`.  Everything lives in a temporary folder.
#
#   bash deploy/try-locally.sh
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$REPO/.venv/bin}
export PYTHONPATH=$REPO  # this checkout, wherever the replicas run from
QA=("$BIN/python" -m qa)
WORK=$(mktemp -d /tmp/clause-qa-deploy.XXXXXX)
free() { "$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
MILVUS_PORT=$(free) A=$(free) B=$(free) PROXY=$(free)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null || true; }
trap cleanup EXIT

"$BIN/milvus-lite" server --data-dir "$WORK/milvus" --host 127.0.0.1 --port "$MILVUS_PORT" > "$WORK/milvus.log" 2>&1 &
PIDS+=($!)
sleep 3
export CLAUSE_QA_INDEX_BACKEND=milvus CLAUSE_QA_MILVUS_URI=http://127.0.0.1:$MILVUS_PORT CLAUSE_QA_REBUILD_STALE_INDEX=false
(cd "$REPO" && "${QA[@]}" index build --if-stale)                            # the indexer
for replica in a:$A b:$B; do
    name=${replica%%:*} port=${replica##*:}
    mkdir -p "$WORK/$name"
    (cd "$WORK/$name" && FORWARDED_ALLOW_IPS='*' CLAUSE_QA_RATE_LIMIT_PER_MINUTE=5 CLAUSE_QA_INDEX_REFRESH_S=1 \
        exec "${QA[@]}" serve --port "$port" > server.log 2>&1) &
    PIDS+=($!)
done
mkdir -p "$WORK/nginx/logs"
sed -e "s/replica-a:8000/127.0.0.1:$A/; s/replica-b:8000/127.0.0.1:$B/; s/listen 8080/listen 127.0.0.1:$PROXY/" \
    -e "s|/dev/stdout|$WORK/nginx/logs/access.log|; s|/dev/stderr|$WORK/nginx/logs/error.log|" \
    -e "s|^events|pid $WORK/nginx/nginx.pid;\nevents|" "$REPO/deploy/nginx.conf" > "$WORK/nginx/nginx.conf"
for port in "$A" "$B"; do
    for _ in $(seq 180); do
        curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && continue 2
        sleep 1
    done
    echo "a replica did not start:" >&2; tail -5 "$WORK"/*/server.log >&2; exit 1
done
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
sleep 1
ask() { curl -s -o /dev/null -w "%{http_code} " --interface "$1" -X POST -H 'Content-Type: application/json' \
        -d '{"question": "机场改扩建由谁负责？"}' "http://127.0.0.1:$PROXY/api/ask"; }
echo "healthz: $(curl -s "http://127.0.0.1:$PROXY/healthz")"
echo "7 questions from 127.0.0.2 (limit 5 a minute): $(for _ in 1 2 3 4 5 6 7; do ask 127.0.0.2; done)"
echo "3 questions from 127.0.0.3:                    $(for _ in 1 2 3; do ask 127.0.0.3; done)"
echo "the proxy's log (which replica answered whom):"
grep api/ask "$WORK/nginx/logs/access.log"
echo "the replicas' logs (the client each one saw):"
grep -h '"/api/ask"' "$WORK"/a/server.log "$WORK"/b/server.log | grep -o '"status": [0-9]*, .*"client": "[0-9.]*"' | sort | uniq -c
echo "files in $WORK"
