#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100's server and web workbench, the newest that runs on Node 20) into a
# cache folder, doing by hand the steps its npm postinstall cannot do on a machine that reaches only the npm
# registry and Debian's packages. Idempotent: a marker file records a finished install.
# Needs the Debian packages: chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config.
set -euo pipefail
VERSION=4.100.3
TOOLS="${CHROMA_EXPLORER_TOOLS:-$HOME/.cache/chroma-explorer-tools}"
DIR="$TOOLS/code-server-$VERSION"
MARKER="$DIR/.installed"
if [ -f "$MARKER" ]; then
  echo "code-server $VERSION: cached in $DIR"
  exit 0
fi
export npm_config_loglevel=error npm_config_audit=false npm_config_fund=false npm_config_yes=true
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{"name":"chroma-explorer-tools","private":true}' > package.json
echo "code-server $VERSION: installing into $DIR (a few minutes the first time)"
npm install --no-save --ignore-scripts "code-server@$VERSION"
VS="$DIR/node_modules/code-server/lib/vscode"
(cd "$VS" && npm install --omit=dev --ignore-scripts)
RG=$(command -v rg || true)
if [ -z "$RG" ]; then echo "ripgrep (rg) is missing: apt-get install ripgrep" >&2; exit 1; fi
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$RG" "$VS/node_modules/@vscode/ripgrep/bin/rg"
(cd "$VS" && npm rebuild)
ln -sfn node_modules "$VS/node_modules.asar"
(cd "$VS/extensions" && npm install --omit=dev --ignore-scripts)
npm rebuild argon2
touch "$MARKER"
echo "code-server $VERSION: installed"
