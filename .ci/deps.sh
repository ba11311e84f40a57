#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs the Debian 12 packages that mss-pkcs11 needs to build, test and run its demo,
# and the real PKCS#11 consumers its interop tests drive. Safe to run more than once;
# needs root (or sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
PACKAGES=(
  build-essential autoconf automake libtool pkg-config
  libssl-dev openssl libp11-kit-dev p11-kit p11-kit-modules
  libcurl4-openssl-dev libxml2-dev libxml2-utils libjansson-dev libcmocka-dev
  libmicrohttpd-dev libsqlite3-dev libgnutls28-dev libsystemd-dev
  opensc gnutls-bin curl ca-certificates clang
  openssh-client openssh-server libnss3-tools
  libengine-pkcs11-openssl libpam-p11 pamtester openjdk-17-jdk-headless
  firefox-esr chromium python3 python3-jsonschema valgrind faketime
  dbus-bin dbus-daemon python3-dbusmock bsdutils softhsm2 sqlite3
)
# pkcs11-provider (OpenSSL 3 provider) is only in bookworm-backports. The backports entry
# is derived from the machine's own Debian source, so no mirror is named here.
add_backports() {
    local src=/etc/apt/sources.list.d/debian.sources
    local dst=/etc/apt/sources.list.d/mss-pkcs11-backports.sources
    [ -f "$dst" ] && return 0
    [ -f "$src" ] || return 1
    local uri
    uri=$(awk '/^URIs:/ { print $2; exit }' "$src")
    [ -n "$uri" ] || return 1
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$uri" | $SUDO tee "$dst" >/dev/null
}
BACKPORTS=0
if grep -q bookworm /etc/os-release 2>/dev/null && add_backports; then BACKPORTS=1; fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
if [ "$BACKPORTS" = 1 ]; then
    $SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports pkcs11-provider
fi
