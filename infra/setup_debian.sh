#!/usr/bin/env bash
# Install the Debian packages ProBox needs (idempotent; root on Debian 12). chromium (and
# fonts with Vietnamese glyphs) runs the web console's browser tests; zbar-tools reads its QR codes.
# tor-geoipdb: the public country database (IPFire Location) the edge's country file is made
# from (edge_node.country_db, S4: Vietnam only).
set -euo pipefail
PKGS=(
  kamailio kamailio-python3-modules kamailio-sqlite-modules kamailio-extra-modules
  kamailio-utils-modules kamailio-tls-modules
  sip-tester baresip-core linphone-cli
  swig libssl-dev libsrtp2-dev libspeex-dev libspeexdsp-dev libgsm1-dev
  build-essential patch pkg-config xz-utils python3-dev python3-venv
  sox opus-tools libopusenc0 libjemalloc2 jq curl espeak-ng tcpdump
  chromium fonts-dejavu-core zbar-tools
  tor-geoipdb
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Kamailio's package enables a system service; ProBox runs its own instances.
if command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now kamailio >/dev/null 2>&1 || true
fi
