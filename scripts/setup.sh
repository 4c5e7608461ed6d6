#!/usr/bin/env bash
# Installs everything the tests and the demo need on a fresh Debian 12 machine, and skips what is already there:
# Debian packages (chromium for the headless workbench, ripgrep and build headers for code-server, nginx as the
# token-checking proxy in front of Chroma in the auth tests, python3 with venv for the .venv lookup test), the npm
# dependencies (npm ci), code-server 4.100.3 in a cache folder (scripts/install-code-server.sh), and the newest
# Chroma server beside it, run on Debian 13's libc (scripts/setup-newest-chroma.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config nginx python3 python3-venv)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "setup: missing Debian packages: ${missing[*]}. Install them: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

bash scripts/install-code-server.sh
bash scripts/setup-newest-chroma.sh
