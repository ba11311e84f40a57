#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The "confirm on your phone" prompt (mss-prompt, started by the module), with
# pkcs11-tool signing on a phone that waits for a person (refmssp's manual policy):
#   notify   a real session bus (dbus-run-session) and python3-dbusmock's notification
#            daemon: the Notify call carries the code the phone shows, it is closed when
#            the signature completes, and its Cancel action makes C_Sign fail with
#            CKR_FUNCTION_CANCELED;
#   tty      under script (a real pseudo-terminal): the line with the code appears and is
#            completed at the end;
#   command  the person's program gets the fields, is ended with the request, and its
#            exit status 1 is a Cancel;
#   and what must cost the signature nothing: no bus, no helper, a helper that never
#   shows anything and never exits.
if [ -z "${MSS_TEST_SESSION_BUS:-}" ]; then
    if ! command -v dbus-run-session >/dev/null; then
        echo "SKIP: dbus-run-session is missing (package dbus-bin)"
        exit 77
    fi
    MSS_TEST_SESSION_BUS=1 exec dbus-run-session -- bash "$0" "$@"
fi
. "$(dirname "$0")/e2e-lib.sh"
. "$(dirname "$0")/browser-lib.sh"
require_tools script dbus-send
PY=/usr/bin/python3 # Debian's, which has python3-dbusmock (not a python3 earlier in PATH)
"$PY" -c 'import dbusmock, dbus' 2>/dev/null || skip "python3-dbusmock is not installed (.ci/deps.sh installs it)"

mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"
add_phone_user
export MSS_PKCS11_LOG=$WORK/module.log MSS_PKCS11_DEBUG=2 # info: the prompt's lines
ID=$(p11_key_id "$MODULE" "Signing key" "$PHONE_LABEL")
[ -n "$ID" ] || die "no signing key on the $PHONE_LABEL token"
echo "the document" >"$WORK/doc.txt"
openssl x509 -in "$WORK/state/cache/phone/sign.pem" -pubkey -noout >"$WORK/pub.pem"

sign() { p11 --token-label "$PHONE_LABEL" --id "$ID" --sign -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/doc.sig"; }
verified() { openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null; }
# The code the phone showed for the last request (refmssp phone list, kept by phone_answer).
phone_code() { awk 'NR == 2 { print $3 }' "$WORK/phone.list"; }
# prompt MODE [COMMAND]: where the module shows the prompt.
prompt() {
    sed -i '/^prompt\(_command\)\? = /d' "$MSS_PKCS11_CONF"
    sed -i "/^\[mssp\]/a prompt = $1" "$MSS_PKCS11_CONF"
    [ -z "${2:-}" ] || sed -i "/^\[mssp\]/a prompt_command = $2" "$MSS_PKCS11_CONF"
}

# ---------------------------------------------------------------- notify
"$PY" -m dbusmock --template notification_daemon -l "$WORK/notify.log" >"$WORK/dbusmock.out" 2>&1 &
MOCK_PID=$!
at_exit 'kill $MOCK_PID 2>/dev/null'
wait_for "$SETTLE_S" "the mock notification daemon" bus_name_owned org.freedesktop.Notifications ||
    die "the mock notification daemon did not start: $(cat "$WORK/dbusmock.out")"
notifications() { grep -c ' Notify ' "$WORK/notify.log" || true; }

prompt notify
with_phone approve sign 2>"$WORK/sign.err" || die "signing with a notification failed: $(cat "$WORK/sign.err")"
verified || die "the signature made with a notification does not verify"
code=$(phone_code)
[ -n "$code" ] && [ "$code" != - ] || die "the phone showed no code: $(cat "$WORK/phone.list")"
grep ' Notify ' "$WORK/notify.log" | grep -q "code $code" ||
    die "no notification carried the phone's code $code: $(cat "$WORK/notify.log")"
grep -q '"cancel", "Cancel"' "$WORK/notify.log" || die "the notification offers no Cancel: $(cat "$WORK/notify.log")"
grep -q ' CloseNotification ' "$WORK/notify.log" || die "the notification was not closed at the end"
ok "notify: the notification shows the code the phone shows ($code), offers Cancel, and is closed when the signature completes"

# Cancel on the notification: the daemon emits ActionInvoked for the notification.
new_notification() { [ "$(grep -c ' Notify "mss-pkcs11" 0 ' "$WORK/notify.log")" -gt "$1" ]; }
shown_before=$(grep -c ' Notify "mss-pkcs11" 0 ' "$WORK/notify.log")
rm -f "$WORK/doc.sig"
sign 2>"$WORK/sign.err" &
SIGN_PID=$!
wait_for "$SETTLE_S" "a new notification" new_notification "$shown_before" || die "no notification for the second signature"
wait_for "$SETTLE_S" "the request on the phone" phone_has_request "$WORK/state" "$PHONE_MSISDN" ||
    die "the request did not reach the phone"
# The mock numbers notifications from 1: this one is the (shown_before + 1)th.
pressed=${EPOCHREALTIME/./}
"$PY" - "$((shown_before + 1))" <<'PY' || die "could not press Cancel on the mock notification"
import sys, dbus
mock = dbus.Interface(dbus.SessionBus().get_object('org.freedesktop.Notifications',
                      '/org/freedesktop/Notifications'), 'org.freedesktop.DBus.Mock')
mock.EmitSignal('org.freedesktop.Notifications', 'ActionInvoked', 'us',
                [dbus.UInt32(int(sys.argv[1])), 'cancel'])
PY
status=0
wait "$SIGN_PID" || status=$?
ms=$(( (${EPOCHREALTIME/./} - pressed) / 1000 ))
[ "$status" -ne 0 ] || die "the signature went through although Cancel was pressed"
grep -q CKR_FUNCTION_CANCELED "$WORK/sign.err" || die "expected CKR_FUNCTION_CANCELED: $(cat "$WORK/sign.err")"
[ ! -s "$WORK/doc.sig" ] || die "a signature was written although Cancel was pressed"
grep -q "cancelled on the desktop prompt" "$WORK/module.log" || die "the module did not log the prompt's cancel"
# The phone still shows the request: the desktop's Cancel ended the wait, not the phone.
phone_has_request "$WORK/state" "$PHONE_MSISDN" || die "the request left the phone although only the desktop cancelled"
"$REFMSSP" phone cancel "$WORK/state" "$PHONE_MSISDN" >/dev/null || die "could not clear the phone"
ok "notify: Cancel on the notification ends C_Sign with CKR_FUNCTION_CANCELED, ${ms} ms after the action"

# No notification daemon reachable: the signature goes on (no prompt, or the terminal).
rm -f "$WORK/doc.sig"
DBUS_SESSION_BUS_ADDRESS=unix:path=$WORK/no-bus with_phone approve sign 2>"$WORK/sign.err" ||
    die "signing without a bus failed: $(cat "$WORK/sign.err")"
verified || die "the signature made without a bus does not verify"
ok "notify without a session bus: the signature goes through"

# ---------------------------------------------------------------- a browser
# Headless Firefox's TLS client authentication on the same session bus: the notification
# shows while Firefox waits for the phone.
if [ -n "$FIREFOX" ]; then
    prompt notify
    phone_only_conf
    tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
    lines_before=$(wc -l <"$WORK/notify.log")
    MSS_PKCS11_CONF=$PHONE_CONF with_phone approve firefox_visit prompt ||
        die "Firefox produced no page after the phone's approval: $(tail -5 "$WORK/browser.log")"
    tls_server_saw "$PHONE_LABEL" || die "the server did not verify the $PHONE_LABEL certificate from Firefox"
    code=$(phone_code)
    tail -n +"$((lines_before + 1))" "$WORK/notify.log" >"$WORK/notify-firefox.log"
    grep -q "Notify \"mss-pkcs11\" 0 .*code $code" "$WORK/notify-firefox.log" ||
        die "no notification with the code $code while Firefox waited: $(cat "$WORK/notify-firefox.log")"
    grep -q "firefox.* asks for authentication with $PHONE_LABEL" "$WORK/notify-firefox.log" ||
        die "the notification does not name Firefox and the token: $(cat "$WORK/notify-firefox.log")"
    grep -q ' CloseNotification ' "$WORK/notify-firefox.log" || die "the notification stayed after Firefox's login"
    ok "headless Firefox: while it waited for the phone the notification showed code $code, and it was closed after the login"
fi

# ---------------------------------------------------------------- tty
prompt tty
rm -f "$WORK/doc.sig"
cmd="pkcs11-tool --module '$MODULE' --token-label '$PHONE_LABEL' --id $ID --sign -m SHA256-RSA-PKCS -i '$WORK/doc.txt' -o '$WORK/doc.sig'"
with_phone approve script -qec "$cmd" "$WORK/tty.out" >/dev/null 2>&1 || die "signing on a terminal failed: $(cat "$WORK/tty.out")"
verified || die "the signature made on a terminal does not verify"
code=$(phone_code)
grep -q "check it shows code $code" "$WORK/tty.out" || die "the terminal did not show the code $code: $(cat "$WORK/tty.out")"
grep -q "code $code ([0-9]* s) \.\.\. confirmed\." "$WORK/tty.out" || die "the terminal line was not completed: $(cat "$WORK/tty.out")"
ok "tty: the line on the terminal shows the code the phone shows ($code) and ends with 'confirmed.'"

# ---------------------------------------------------------------- command
cat >"$WORK/prompt-cmd" <<SH
#!/bin/sh
env | grep '^MSS_PROMPT_' >"$WORK/prompt-cmd.env"
echo \$\$ >"$WORK/prompt-cmd.pid"
exec sleep 600
SH
chmod 755 "$WORK/prompt-cmd"
prompt command "$WORK/prompt-cmd"
rm -f "$WORK/doc.sig"
with_phone approve sign 2>"$WORK/sign.err" || die "signing with a prompt command failed: $(cat "$WORK/sign.err")"
verified || die "the signature made with a prompt command does not verify"
code=$(phone_code)
grep -qx "MSS_PROMPT_CODE=$code" "$WORK/prompt-cmd.env" || die "the command did not get the code: $(cat "$WORK/prompt-cmd.env")"
grep -qx "MSS_PROMPT_TOKEN=$PHONE_LABEL" "$WORK/prompt-cmd.env" || die "the command did not get the token label"
grep -qx "MSS_PROMPT_PURPOSE=signature" "$WORK/prompt-cmd.env" || die "the command did not get the purpose"
process_gone "$(cat "$WORK/prompt-cmd.pid")" || die "the prompt command outlived the request"
ok "command: the program gets the code, token and purpose, and ends with the request"

# ---------------------------------------------------------------- broken helpers
prompt notify
rm -f "$WORK/doc.sig"
MSS_PKCS11_PROMPT_HELPER=$WORK/no-such-helper with_phone approve sign 2>"$WORK/sign.err" ||
    die "signing without the helper failed: $(cat "$WORK/sign.err")"
verified || die "the signature made without the helper does not verify"
grep -q "prompt: cannot start $WORK/no-such-helper" "$WORK/module.log" || die "a missing helper was not logged"
ok "a missing helper: one log line, the signature goes through"

# A helper that says nothing, ignores SIGTERM and never exits.
cat >"$WORK/stuck-helper" <<SH
#!/bin/sh
trap '' TERM HUP
echo \$\$ >"$WORK/stuck.pid"
exec sleep 600
SH
chmod 755 "$WORK/stuck-helper"
rm -f "$WORK/doc.sig"
MSS_PKCS11_PROMPT_HELPER=$WORK/stuck-helper with_phone approve sign 2>"$WORK/sign.err" ||
    die "signing with a stuck helper failed: $(cat "$WORK/sign.err")"
verified || die "the signature made with a stuck helper does not verify"
process_gone "$(cat "$WORK/stuck.pid")" || die "the stuck helper outlived the request"
grep -q "did not show within" "$WORK/module.log" || die "the helper that showed nothing was not logged"
grep -q "did not end within .*killed" "$WORK/module.log" || die "the helper that did not end was not logged as killed"
ok "a helper that never shows and never exits: waited for at most 1 s, killed at the end, the signature goes through"

# Last, as it may leave a request on the phone (the Cancel can come before or after the
# request has left).
# The command's exit status 1 is the person's Cancel.
printf '#!/bin/sh\nexit 1\n' >"$WORK/prompt-cancel"
chmod 755 "$WORK/prompt-cancel"
prompt command "$WORK/prompt-cancel"
rm -f "$WORK/doc.sig"
sign 2>"$WORK/sign.err" && die "the signature went through although the prompt command said Cancel"
grep -q CKR_FUNCTION_CANCELED "$WORK/sign.err" || die "expected CKR_FUNCTION_CANCELED: $(cat "$WORK/sign.err")"
ok "command: exit status 1 cancels the signature (CKR_FUNCTION_CANCELED)"

echo "$PASSED passed, 0 failed"
