#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build a libFuzzer target with clang and run it for a bounded time on a copy of
# its seed corpus. A `make check` test: exit 0 when the run ends without a finding,
# 1 on a crash, leak, sanitizer report or broken check, 77 (skip) when clang or
# its libFuzzer runtime is missing.
#
# Targets (FUZZ_TARGET): fuzz_decode (default; the TS 102 204 decoder with a
# re-encode round trip), fuzz_json (the REST binding's JSON decoder, the same round
# trip; see run-fuzz-json.sh), fuzz_uri (mss: profile URIs; see run-fuzz-uri.sh),
# fuzz_signature (CMS/raw signature decoding; see run-fuzz-signature.sh), fuzz_conf
# and fuzz_cache (run-fuzz-conf.sh, run-fuzz-cache.sh), fuzz_refmssp (refmssp's phone
# page and operations on a scratch database under WORK; run-fuzz-refmssp.sh).
# Environment: top_srcdir, top_builddir (set by make check; default: this
# checkout and the current folder), FUZZ_SECONDS (default 20), FUZZ_RUNS (a number of
# executions to run instead of a time: the run ends after that many, however long they
# take), CLANG (default clang).
# A failed run keeps its scratch folder WORK (reproducers, log), as MSS_TEST_KEEP=1 does.
# The fuzzer also runs by hand from a build folder, hence the defaults.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
. "$top_srcdir/tests/integration/test-lib.sh"
seconds=${FUZZ_SECONDS:-20}
clang=${CLANG:-clang}
target=${FUZZ_TARGET:-fuzz_decode}

runs=${FUZZ_RUNS:-}
case $seconds in ''|*[!0-9]*) die "$target: FUZZ_SECONDS must be a whole number of seconds, not '$seconds'";; esac
case $runs in *[!0-9]*) die "$target: FUZZ_RUNS must be a whole number of executions, not '$runs'";; esac
if [ -n "$runs" ]; then
    bound_args=(-runs="$runs")
else
    bound_args=(-max_total_time="$seconds")
fi

require_tools "$clang" pkg-config
deps=$(pkg-config --cflags --libs libxml-2.0 openssl 2>/dev/null) ||
    skip "$target: pkg-config knows no libxml-2.0 or openssl"

# Can this clang link a fuzzer at all? (Debian splits the runtime into libclang-rt-dev.)
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n%s\n' \
    'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
    > "$WORK/probe.c"
"$clang" -fsanitize=fuzzer,address,undefined "$WORK/probe.c" -o "$WORK/probe" >"$WORK/probe.log" 2>&1 ||
    skip "$target: $clang cannot link -fsanitize=fuzzer,address,undefined (libFuzzer runtime missing)"

# Each target's sources from mssclient/codec.inc (libmsscodec.la), built straight
# from the source tree so that the code under test is instrumented, not only the
# target; its seed folder and dictionary.
# The whole codec, both bindings (for the targets that use the codec through other code):
# every source libmsscodec.la is built from, read from codec.inc so that a file added there
# is never missing here.
whole_codec=$(grep -o 'mssclient/[a-z0-9_]*\.c' "$top_srcdir/mssclient/codec.inc" | sed 's|^mssclient/||' |
    tr '\n' ' ')
[ -n "$whole_codec" ] || die "no codec sources found in $top_srcdir/mssclient/codec.inc"
case $target in
fuzz_decode)
    codec_sources="errors.c status_codes.c detail.c mode.c message.c message_clear.c b64.c
        binding.c xml_safe.c xml_read.c xml_build.c soap_envelope.c soap_codec.c msg_header.c
        msg_status_elem.c msg_status_query.c msg_signature_value.c msg_signature.c
        msg_profile.c msg_profile_certs.c msg_fault.c msg_receipt.c msg_services.c"
    seeds="seeds"
    dict_args=(-dict="$top_srcdir/tests/fuzz/mss.dict") ;;
fuzz_json)
    codec_sources="errors.c status_codes.c detail.c mode.c message.c message_clear.c b64.c
        binding.c json_safe.c json_read.c json_build.c rest_codec.c rest_header.c
        rest_status.c rest_status_elem.c rest_signature.c rest_signature_value.c rest_services.c
        rest_profile.c rest_receipt.c
        rest_fault.c"
    deps="$deps $(pkg-config --cflags --libs jansson 2>/dev/null)" ||
        skip "$target: pkg-config knows no jansson"
    seeds="seeds-json"
    dict_args=(-dict="$top_srcdir/tests/fuzz/json.dict") ;;
fuzz_uri)
    codec_sources="errors.c detail.c mss_uri.c mss_uri_format.c mss_uri_match.c mss_uri_legacy.c"
    seeds="seeds-uri"
    dict_args=() ;;
fuzz_signature)
    codec_sources="errors.c detail.c signature_decode.c cert_key.c"
    seeds="seeds-sig"
    dict_args=() ;;
fuzz_conf | fuzz_cache)
    # The whole of libmssconf, and the codec it uses (binding = names one of its bindings).
    codec_sources=$whole_codec
    deps="$deps $(pkg-config --cflags --libs jansson 2>/dev/null)" ||
        skip "$target: pkg-config knows no jansson"
    conf_sources=$(cd "$top_srcdir/conf" && ls ./*.c | sed 's|^\./||')
    seeds="seeds-${target#fuzz_}"
    dict_args=() ;;
fuzz_refmssp)
    # refmssp's request handling (phone page, operations) with what it needs: its store
    # (SQLite), the servers' PKI and file helpers (server/), SIM emulator and users, the whole codec, libmssconf (users.c
    # checks MSISDNs with it) and common/.
    refmssp_sources="phone_page.c phone_token.c mss_ops.c op_common.c op_signature.c
        op_status.c op_profile.c op_receipt.c flow.c key_cache.c scenario.c store.c store_tx.c
        users.c sim.c rm_conf.c rm_ap.c"
    server_sources="pki.c files.c fault_answer.c"
    # the operations answer in the request's binding: both codecs
    codec_sources=$whole_codec
    conf_sources=$(cd "$top_srcdir/conf" && ls ./*.c | sed 's|^\./||')
    deps="$deps $(pkg-config --cflags --libs sqlite3 jansson 2>/dev/null)" ||
        skip "$target: pkg-config knows no sqlite3 or jansson"
    seeds="seeds-refmssp"
    # the codec's names and the phone page's, in one dictionary
    cat "$top_srcdir/tests/fuzz/mss.dict" "$top_srcdir/tests/fuzz/refmssp.dict" >"$WORK/fuzz.dict" ||
        die "$target: cannot write the dictionary"
    dict_args=(-dict="$WORK/fuzz.dict") ;;
*)
    die "$target: unknown FUZZ_TARGET '$target' (fuzz_decode, fuzz_json, fuzz_uri, fuzz_signature, fuzz_conf, fuzz_cache or fuzz_refmssp)" ;;
esac
# common/ is small and below everything: all of it, whatever a target's code now uses.
common_sources=$(cd "$top_srcdir/common" && ls ./*.c | sed 's|^\./||')
srcs="$top_srcdir/tests/fuzz/$target.c"
for f in $common_sources; do
    srcs="$srcs $top_srcdir/common/$f"
done
for f in ${conf_sources:-}; do
    srcs="$srcs $top_srcdir/conf/$f"
done
for f in ${refmssp_sources:-}; do
    srcs="$srcs $top_srcdir/refmssp/$f"
done
for f in ${server_sources:-}; do
    srcs="$srcs $top_srcdir/server/$f"
done
for f in $codec_sources; do
    [ -f "$top_srcdir/mssclient/$f" ] || die "$target: codec source mssclient/$f not found under $top_srcdir"
    srcs="$srcs $top_srcdir/mssclient/$f"
done

outdir="$top_builddir/tests/fuzz"
bin="$outdir/$target"
mkdir -p "$outdir" || die "$target: cannot create $outdir"
rebuild=1
if [ -x "$bin" ]; then
    rebuild=0
    for f in $srcs "$top_srcdir"/tests/fuzz/*.h "$top_srcdir"/mssclient/*.h "$top_srcdir"/mssclient/include/mss/*.h "$top_srcdir"/common/*.h "$top_srcdir"/conf/*.h "$top_srcdir"/refmssp/*.h "$0"; do
        [ "$f" -nt "$bin" ] && rebuild=1
    done
fi
if [ "$rebuild" = 1 ]; then
    # shellcheck disable=SC2086 # word splitting of the source and flag lists is wanted
    "$clang" -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
        -I"$top_srcdir/mssclient/include" -I"$top_srcdir/mssclient" -I"$top_srcdir/common" -I"$top_srcdir/conf" -I"$top_srcdir/server" -I"$top_builddir" $srcs $deps -o "$bin.tmp" \
        >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "$target: building the fuzzer failed"; }
    mv "$bin.tmp" "$bin"
fi

if ! mkdir "$WORK/corpus" || ! cp "$top_srcdir/tests/fuzz/$seeds"/* "$WORK/corpus/"; then
    die "$target: cannot copy the seeds from $top_srcdir/tests/fuzz/$seeds"
fi

start=$(date +%s)
rc=0
TMPDIR=$WORK \
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$bin" "${bound_args[@]}" -rss_limit_mb=2048 -timeout=10 -max_len=8192 \
    -print_final_stats=1 "${dict_args[@]}" \
    -artifact_prefix="$WORK/" "$WORK/corpus" >"$WORK/fuzz.log" 2>&1 || rc=$?
elapsed=$(( $(date +%s) - start ))
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/fuzz.log" | tail -n 1)
corpus=$(find "$WORK/corpus" -type f | wc -l)

if [ "$rc" -ne 0 ] || grep -Eq 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error:' "$WORK/fuzz.log"; then
    MSS_TEST_KEEP=1
    tail -n 80 "$WORK/fuzz.log"
    for a in "$WORK"/crash-* "$WORK"/leak-* "$WORK"/timeout-* "$WORK"/oom-*; do
        [ -f "$a" ] && echo "$target: reproducer kept: $a (rerun: $bin $a)"
    done
    die "$target: libFuzzer reported a finding after ${execs:-?} executions in $elapsed s (exit $rc); log: $WORK/fuzz.log"
fi
[ -n "$execs" ] || { MSS_TEST_KEEP=1; tail -n 20 "$WORK/fuzz.log"; die "$target: no final statistics in $WORK/fuzz.log"; }
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$WORK/fuzz.log" | tail -n 1)
echo "$target: $execs executions in $elapsed s (${rate:-?} exec/s), no crash (corpus grew to $corpus inputs)"
exit 0
