# SPDX-License-Identifier: BSD-3-Clause
# Shell helpers to run a refmssp on loopback for the demo and the end-to-end tests.
# Source this file; it needs REFMSSP (the refmssp program) set by the caller.
#
#   refmssp_start STATE_DIR [PORT]   init STATE_DIR (if new) and start the server;
#                                    PORT empty: pick a free loopback port
#   refmssp_stop                     stop the server started last (SIGTERM, then wait)

REFMSSP_PID=""
REFMSSP_LOG=""

# A loopback port that nothing answers on right now.
refmssp_free_port() {
    local port tries=0
    while [ $tries -lt 50 ]; do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
        tries=$((tries + 1))
    done
    echo "refmssp-lib: no free port found" >&2
    return 1
}

refmssp_start() {
    local dir=$1 port=${2:-} i
    [ -n "$port" ] || port=$(refmssp_free_port) || return 1
    if [ ! -f "$dir/refmssp.db" ]; then
        "$REFMSSP" init "$dir" --port "$port" >"$dir.init.log" 2>&1 || {
            cat "$dir.init.log" >&2
            return 1
        }
    fi
    REFMSSP_LOG="$dir/refmssp.log"
    "$REFMSSP" run "$dir" >"$REFMSSP_LOG" 2>&1 &
    REFMSSP_PID=$!
    # Ready when it says so; a server that exits early has failed.
    for i in $(seq 1 100); do
        if grep -q "listening on" "$REFMSSP_LOG" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$REFMSSP_PID" 2>/dev/null; then
            echo "refmssp-lib: refmssp exited during start:" >&2
            cat "$REFMSSP_LOG" >&2
            REFMSSP_PID=""
            return 1
        fi
        sleep 0.1
    done
    echo "refmssp-lib: refmssp did not start within 10 s:" >&2
    cat "$REFMSSP_LOG" >&2
    refmssp_stop
    return 1
}

refmssp_stop() {
    [ -n "$REFMSSP_PID" ] || return 0
    kill -TERM "$REFMSSP_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 50); do
        kill -0 "$REFMSSP_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$REFMSSP_PID" 2>/dev/null; then
        echo "refmssp-lib: refmssp did not stop on SIGTERM within 5 s; killing it" >&2
        kill -KILL "$REFMSSP_PID" 2>/dev/null || true
    fi
    wait "$REFMSSP_PID" 2>/dev/null || true
    REFMSSP_PID=""
}

# The CKA_ID (hex) of the private key labelled $2, as listed by pkcs11-tool with module $1,
# on the token labelled $3 (default: the first token).
# (pkcs11-tool 0.23 selects the signing key by --id only; --label is ignored for --sign.)
p11_key_id() {
    local token=()
    [ -z "${3:-}" ] || token=(--token-label "$3")
    pkcs11-tool --module "$1" "${token[@]}" -O --type privkey 2>/dev/null | awk -v want="$2" '
        /^Private Key Object/ { label = "" }
        /^ *label:/ { sub(/^ *label: */, ""); label = $0 }
        /^ *ID:/ { if (label == want) { print $2; exit } }'
}
