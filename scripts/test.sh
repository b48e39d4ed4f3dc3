#!/usr/bin/env bash
# `npm test`: installs what the browser test needs when missing, typechecks, then runs every test once.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's Chromium for the browser test (apt-get)…"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

export NEXT_TELEMETRY_DISABLED=1
npx tsc -p tsconfig.json
npx vitest run "$@"
