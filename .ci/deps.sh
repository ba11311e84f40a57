#!/usr/bin/env bash
# Installs the Debian 12 packages that mss-pkcs11 needs to build, test and run its demo.
# Safe to run more than once; needs root (or sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
PACKAGES=(
  build-essential autoconf automake libtool pkg-config
  libssl-dev openssl libp11-kit-dev p11-kit
  libcurl4-openssl-dev libxml2-dev libxml2-utils libcmocka-dev
  libmicrohttpd-dev libsqlite3-dev libgnutls28-dev
  opensc gnutls-bin curl ca-certificates
  openssh-client openssh-server libnss3-tools
)
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
