#!/bin/sh
# Install (when missing) and start Debian's Redis on loopback, on a private port, without systemd, for the
# multi-host test. Idempotent. Prints REDIS_URL=... on its last line. Installing needs root.
set -eu
REDIS_PORT=${REDIS_PORT:-6399}
REDIS_DIR=${REDIS_DIR:-/tmp/academy-redis-$REDIS_PORT}
export DEBIAN_FRONTEND=noninteractive
if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then echo "redis-server is missing: apt-get install redis-server" >&2; exit 1; fi
    apt-get update -q
    apt-get install -y -q --no-install-recommends redis-server redis-tools
fi
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    mkdir -p "$REDIS_DIR"
    # Memory only (no snapshots): a cache. Evicts the least recently used keys when full, as production should.
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --daemonize yes \
        --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
        --save '' --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru
    tries=0
    until redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do
        tries=$((tries + 1))
        if [ "$tries" -gt 50 ]; then echo "Redis did not start; see $REDIS_DIR/redis.log" >&2; exit 1; fi
        sleep 0.1
    done
fi
echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
