#!/usr/bin/env bash
# What a fresh Debian machine lacks for the tests: the system Chromium that Playwright drives
# (Playwright's own browser download cannot work offline), libsecret headers so the optional
# keytar compiles during `npm ci` (so run this first; the app needs keytar only to migrate what
# it stored, the migration tests need it to create such entries), and a D-Bus session plus
# gnome-keyring for scripts/with-keyring.sh. Idempotent; quiet when all is there.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || need+=(chromium)
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in libsecret-1-dev gnome-keyring dbus dbus-x11; do
    # Status, not mere presence: a removed package keeps a dpkg entry for its config files.
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" = "install ok installed" ] || need+=("$pkg")
  done
fi

if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install: ${need[*]} (or set CHROMIUM_PATH to a Chromium binary)" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing system packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
