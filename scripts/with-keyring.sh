#!/bin/sh
# Usage: scripts/with-keyring.sh CMD [ARGS...]
# Runs CMD where the OS keychain (a Secret Service) answers. A desktop session has one; a headless
# one (CI, ssh) gets a private D-Bus session and an unlocked throwaway gnome-keyring, whose
# files live in a temp dir so the user's real keyrings are never created, unlocked or touched.
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null 2>&1 \
  && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  # Inside sh -c, $0 is the label and "$@" is CMD with its arguments, passed through unsplit.
  exec dbus-run-session -- sh -c '
    keyrings=$(mktemp -d)
    trap '\''rm -rf "$keyrings"'\'' EXIT
    printf %s pw | XDG_DATA_HOME="$keyrings" gnome-keyring-daemon --unlock --components=secrets >/dev/null
    "$@"
  ' with-keyring "$@"
fi

exec "$@"
