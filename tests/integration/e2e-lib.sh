# Common set-up for the end-to-end tests: paths of the built programs, a scratch folder
# removed on exit, a refmssp on a free loopback port, and small assertion helpers.
# Tests are run by automake with top_builddir and top_srcdir in the environment.
set -euo pipefail
: "${top_builddir:?run through make check}" "${top_srcdir:?run through make check}"
REFMSSP=$top_builddir/refmssp/refmssp
MSS_TOOL=$top_builddir/ui/mss-tool
MODULE=$top_builddir/pkcs11/.libs/mss-pkcs11.so
. "$top_srcdir/tests/integration/refmssp-lib.sh"

for tool in pkcs11-tool openssl; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool is not installed (.ci/deps.sh installs it)"
        exit 77
    fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mss-e2e.XXXXXX")
cleanup() { refmssp_stop; [ -n "${MSS_TEST_KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT

PASSED=0
ok() { PASSED=$((PASSED + 1)); echo "ok $PASSED - $*"; }
die() { echo "FAIL: $*" >&2; [ -n "${REFMSSP_LOG:-}" ] && tail -n 20 "$REFMSSP_LOG" >&2; exit 1; }

# Start refmssp with a fresh state and point the module at its configuration.
e2e_start() {
    refmssp_start "$WORK/state" || die "refmssp did not start"
    export MSS_PKCS11_CONF=$WORK/state/mss-pkcs11.conf
}

# Set one key of the [mssp] section of the module configuration.
conf_set() {
    sed -i "s|^$1 = .*|$1 = $2|" "$MSS_PKCS11_CONF"
    grep -q "^$1 = $2\$" "$MSS_PKCS11_CONF" || die "could not set $1 in $MSS_PKCS11_CONF"
}

p11() { pkcs11-tool --module "$MODULE" "$@"; }
