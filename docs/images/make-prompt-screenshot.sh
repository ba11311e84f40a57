#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Makes docs/images/prompt-notification.png: the notification mss-prompt shows while
# pkcs11-tool waits for the phone, drawn by dunst on an Xvfb screen. Not a test; run by
# hand from a built tree when the notification's text changes:
#   apt-get install xvfb dunst imagemagick
#   dbus-run-session -- docs/images/make-prompt-screenshot.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export top_builddir=$top top_srcdir=$top
. "$top/tests/integration/e2e-lib.sh"
require_tools Xvfb dunst import
mssp_start
"$MSS_TOOL" enroll >/dev/null
add_phone_user
sed -i "/^\[mssp\]/a prompt = notify" "$MSS_PKCS11_CONF"

Xvfb :77 -screen 0 900x300x24 >/dev/null 2>&1 &
at_exit "kill $!"
export DISPLAY=:77
wait_for 30 "the X server" test -S /tmp/.X11-unix/X77
cat >"$WORK/dunstrc" <<'CONF'
[global]
    width = 560
    origin = top-right
    offset = 20x20
    font = DejaVu Sans 11
    frame_width = 2
    padding = 12
    horizontal_padding = 12
    markup = none
    format = "<b>%s</b>\n%b"
[urgency_critical]
    background = "#2b2b2b"
    foreground = "#ffffff"
    frame_color = "#e0a000"
    timeout = 0
CONF
dunst -config "$WORK/dunstrc" >"$WORK/dunst.log" 2>&1 &
at_exit "kill $!"
wait_for 30 "dunst" bus_name_owned org.freedesktop.Notifications

ID=$(p11_key_id "$MODULE" "Signing key" "$PHONE_LABEL")
echo "a document" >"$WORK/doc.txt"
p11 --token-label "$PHONE_LABEL" --id "$ID" --sign -m SHA256-RSA-PKCS -i "$WORK/doc.txt" \
    -o "$WORK/doc.sig" >/dev/null 2>&1 &
signer=$!
wait_for 30 "the request on the phone" phone_has_request "$WORK/state" "$PHONE_MSISDN"
sleep 1 # dunst draws a moment after the Notify call; nothing to wait on
import -window root "$top/docs/images/prompt-notification.png"
"$REFMSSP" phone approve "$WORK/state" "$PHONE_MSISDN" --pin 1234 >/dev/null
wait "$signer"
echo "wrote docs/images/prompt-notification.png"
