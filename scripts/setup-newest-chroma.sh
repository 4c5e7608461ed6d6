#!/usr/bin/env bash
# Installs the newest Chroma server, which the plain-mocha suites also run against (CHROMA_EXPLORER_SERVER=newest):
# npm chromadb 3.5.0 with its native binding 1.3.4 (the core of Python chromadb 1.5.9), in its own folder, apart
# from the project's pinned binding 1.0.1 (server 1.0.0).
# That binding needs glibc 2.38+; Debian 12 has 2.36. So Debian 13 (trixie)'s libc6, libgcc-s1 and libstdc++6 are
# fetched with apt-get download, through a temporary sources list and apt state of their own (the system's apt is
# not touched), and unpacked beside it with dpkg-deb -x. The host's node then runs through trixie's loader:
#   $DIR/usr/lib64/ld-linux-x86-64.so.2 --library-path $DIR/usr/lib/x86_64-linux-gnu \
#     "$(command -v node)" $DIR/node_modules/chromadb/dist/cli.mjs run --path DATA --port PORT
# test/support/chromaServer.ts builds that command. Idempotent: a stamp file records the versions installed.
set -euo pipefail
CHROMADB=3.5.0
BINDING=1.3.4
SUITE=trixie
TOOLS="${CHROMA_EXPLORER_TOOLS:-$HOME/.cache/chroma-explorer-tools}"
DIR="$TOOLS/chroma-newest"
STAMP="$DIR/.installed"
WANT="chromadb $CHROMADB, binding $BINDING, libc from Debian $SUITE"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  echo "chroma newest ($WANT): cached in $DIR"
  exit 0
fi
if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
  echo "chroma newest: this setup is for Linux x86_64 (Debian); here it is $(uname -s)/$(uname -m)" >&2
  exit 1
fi
for tool in apt-get dpkg-deb node npm; do
  command -v "$tool" >/dev/null || { echo "chroma newest: $tool is missing; it is needed to install the newest server" >&2; exit 1; }
done

# The Debian archive this machine already uses (its mirror or proxy), else Debian's own.
mirror() {
  if [ -n "${CHROMA_EXPLORER_DEBIAN_MIRROR:-}" ]; then
    echo "$CHROMA_EXPLORER_DEBIAN_MIRROR"
    return
  fi
  local uri
  uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -v '^[[:space:]]*#' | grep -oE 'https?://[^[:space:]]+/debian/?([[:space:]]|$)' | head -n1 | tr -d '[:space:]' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

echo "chroma newest: installing $WANT into $DIR"
mkdir -p "$TOOLS"
WORK=$(mktemp -d "$TOOLS/.chroma-newest-work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
NEW="$WORK/out"
mkdir -p "$WORK/state/lists/partial" "$WORK/cache/archives/partial" "$WORK/debs" "$NEW"
touch "$WORK/state/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror) $SUITE main" > "$WORK/sources.list"
APT=(apt-get -qq
  -o Dir::State="$WORK/state" -o Dir::State::status="$WORK/state/status" -o Dir::Cache="$WORK/cache"
  -o Dir::Etc::SourceList="$WORK/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
  -o APT::Sandbox::User="$(id -un)")
"${APT[@]}" update >/dev/null
(cd "$WORK/debs" && "${APT[@]}" download libc6:amd64 libgcc-s1:amd64 libstdc++6:amd64 >/dev/null)
for deb in "$WORK"/debs/*.deb; do
  dpkg-deb -x "$deb" "$NEW"
done
rm -rf "$NEW/usr/share" "$NEW/etc"
LIBS="$NEW/usr/lib/x86_64-linux-gnu"
LOADER="$NEW/usr/lib64/ld-linux-x86-64.so.2"
[ -e "$LOADER" ] || { echo "chroma newest: trixie's loader is not at $LOADER after unpacking" >&2; exit 1; }

cat > "$NEW/package.json" <<EOF
{
  "name": "chroma-explorer-newest-chroma",
  "private": true,
  "dependencies": { "chromadb": "$CHROMADB", "chromadb-js-bindings-linux-x64-gnu": "$BINDING" },
  "overrides": { "chromadb-js-bindings-linux-x64-gnu": "$BINDING" }
}
EOF
(cd "$NEW" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)

# The binding must load through trixie's libraries, or every server start would fail later with a vaguer message.
"$LOADER" --library-path "$LIBS" "$(command -v node)" \
  -e "require('$NEW/node_modules/chromadb-js-bindings-linux-x64-gnu')" ||
  { echo "chroma newest: binding $BINDING does not load through trixie's libc" >&2; exit 1; }

echo "$WANT" > "$NEW/.installed"
rm -rf "$DIR"
mv "$NEW" "$DIR"
echo "chroma newest: installed"
