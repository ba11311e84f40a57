# SPDX-License-Identifier: BSD-3-Clause
# What run-bench.sh uses besides tests/integration/test-lib.sh: running the benchmark
# program, reading its "result key=value ..." line, printing aligned tables with ratios,
# a SoftHSM token of its own, and the module configuration edits. Source after test-lib.sh.

BENCH=$top_builddir/tests/bench/p11_sign_bench
SOFTHSM_MODULE=${SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
SOFTHSM_PIN=1234

# Steps that could not run; run-bench.sh exits non-zero when there is one.
BENCH_FAILED=()
step_failed() {
    BENCH_FAILED+=("$1")
    echo "bench: step failed: $1" >&2
}

# bench_result VAR STEP ARG…: run p11_sign_bench ARG… and put its result line in VAR
# (empty when it failed, which is recorded as STEP failing; the run goes on). The program runs in a
# session of its own without the desktop's bus, so that the module's prompt (auto) has
# nowhere to show: every signature still starts the helper, as in a headless host, but
# no terminal or desktop gets thousands of lines.
bench_result() {
    local -n out=$1
    local step=$2 output
    shift 2
    if output=$(setsid -w env -u DBUS_SESSION_BUS_ADDRESS "$BENCH" "$@" 2>"$WORK/bench.err" </dev/null) &&
        out=$(grep '^result ' <<<"$output"); then
        return 0
    fi
    out=""
    sed 's/^/    /' "$WORK/bench.err" >&2
    step_failed "$step"
}

# field KEY LINE: the value of KEY=value in a result line ("-" when absent).
field() {
    local word
    for word in $2; do
        case $word in "$1="*) echo "${word#*=}"; return 0 ;; esac
    done
    echo "-"
}

# ratio A B: A/B with 2 decimals ("<0.01" rather than a misleading 0.00), "-" when either
# is missing or B is 0.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"
        else if (a / b > 0 && a / b < 0.005) print "<0.01"
        else printf "%.2f\n", a / b }'
}

# num VALUE [DIGITS]: VALUE rounded (default 2 decimals), "-" stays "-".
num() {
    awk -v v="$1" -v d="${2:-2}" 'BEGIN { if (v == "-" || v == "") print "-"; else printf "%.*f\n", d, v }'
}

# The tables: a row is a test, a figure, and a value per column.
row_format='%-40s %-16s %13s %13s %13s\n'
table_head() { printf "$row_format" "$1" "Figure" "$2" "$3" "$4"; }
table_row() { printf "$row_format" "$@"; }
# section TITLE: a heading, with the seconds since the run began (how long steps take).
section() { printf '\n== %s == [+%d s]\n' "$*" "$SECONDS"; }

# rate_rows TEST SOFTHSM_RESULT MSS_RESULT [p99/p50]: signatures/s, p50 and p99 of the
# two result lines and their ratio (mss/SoftHSM); with a 4th argument also p99/p50.
rate_rows() {
    local test=$1 soft=$2 mss=$3 f
    table_row "$test" "signatures/s" "$(num "$(field rate "$soft")" 1)" \
        "$(num "$(field rate "$mss")" 1)" "$(ratio "$(field rate "$mss")" "$(field rate "$soft")")"
    for f in p50 p99; do
        table_row "" "$f ms" "$(num "$(field ${f}_ms "$soft")")" "$(num "$(field ${f}_ms "$mss")")" \
            "$(ratio "$(field ${f}_ms "$mss")" "$(field ${f}_ms "$soft")")"
    done
    if [ -n "${4:-}" ]; then
        table_row "" "p99/p50" "$(ratio "$(field p99_ms "$soft")" "$(field p50_ms "$soft")")" \
            "$(ratio "$(field p99_ms "$mss")" "$(field p50_ms "$mss")")" ""
    fi
}

# softhsm_setup DIR: a SoftHSM configuration and token folder of its own in DIR, one token
# "bench" (user PIN $SOFTHSM_PIN) with an RSA-2048 key "rsa" and an EC P-256 key "ec".
# Exports SOFTHSM2_CONF.
softhsm_setup() {
    local dir=$1 p11=(pkcs11-tool --module "$SOFTHSM_MODULE" --token-label bench --login --pin "$SOFTHSM_PIN")
    mkdir -p "$dir/tokens"
    printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
        "$dir/tokens" >"$dir/softhsm2.conf"
    export SOFTHSM2_CONF=$dir/softhsm2.conf
    softhsm2-util --init-token --free --label bench --pin "$SOFTHSM_PIN" --so-pin 12345678 \
        >"$dir/setup.log" 2>&1 &&
        "${p11[@]}" --keypairgen --key-type rsa:2048 --label rsa --id 01 >>"$dir/setup.log" 2>&1 &&
        "${p11[@]}" --keypairgen --key-type EC:prime256v1 --label ec --id 02 >>"$dir/setup.log" 2>&1 ||
        { cat "$dir/setup.log" >&2; return 1; }
}

# conf_put FILE KEY VALUE: set KEY in the [mssp] section of module configuration FILE
# (replaced when present, added at the top of the section otherwise).
conf_put() {
    if grep -q "^$2 = " "$1"; then
        sed -i "s|^$2 = .*|$2 = $3|" "$1"
    else
        sed -i "s|^\[mssp\]\$|[mssp]\n$2 = $3|" "$1"
    fi
    grep -q "^$2 = $3\$" "$1" || { echo "bench: could not set $2 in $1" >&2; return 1; }
}

# conf_mssp_only FILE OUT: FILE's [mssp] section alone (users are added to OUT later).
conf_mssp_only() { sed '/^\[user /,$d' "$1" >"$2"; }

# refmssp_lines: how many lines refmssp's log has now (its access log: one per request).
refmssp_lines() { wc -l <"$REFMSSP_LOG"; }

# Each step from the same refmssp database (refmssp today gets slower with every
# transaction in it; bench-refmssp.sh measures that on its own):
#   mssp_snapshot  stop refmssp ($WORK/state, the module's url) and keep its database as it is
#   mssp_fresh     refmssp again, on the same port, with the database kept
mssp_snapshot() {
    MSSP_PORT=$(sed -n 's|^url = https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$MSS_PKCS11_CONF")
    [ -n "$MSSP_PORT" ] || die "no refmssp url in $MSS_PKCS11_CONF"
    refmssp_stop
    cp "$WORK/state/refmssp.db" "$WORK/pristine.db"
}
mssp_fresh() {
    refmssp_stop
    rm -f "$WORK/state/refmssp.db-wal" "$WORK/state/refmssp.db-shm" "$WORK/state/refmssp.db-journal"
    cp "$WORK/pristine.db" "$WORK/state/refmssp.db"
    refmssp_start "$WORK/state" "$MSSP_PORT" || die "refmssp did not start again"
}
