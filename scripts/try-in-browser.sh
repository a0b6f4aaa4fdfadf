#!/usr/bin/env bash
# Starts a real VS Code (code-server) in the browser with GreenLens loaded from this checkout and a copy
# of examples/ open, so you can try the extension without installing it. Stop it with Ctrl+C.
# Usage: npm run try   (env PORT=8080 to choose the port)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-tools.sh >/dev/null
# shellcheck disable=SC1091
. "${GREENLENS_TEST_TOOLS:-$HOME/.cache/greenlens-test-tools}/env.sh"
node scripts/build.mjs
PORT="${PORT:-8080}"
SCRATCH="$(mktemp -d -t greenlens-try-XXXX)"
cp -r examples "$SCRATCH/workspace"
export XDG_CONFIG_HOME="$SCRATCH/xdg-config" XDG_DATA_HOME="$SCRATCH/xdg-data" XDG_CACHE_HOME="$SCRATCH/xdg-cache"
PAYLOAD=$(node -e 'process.stdout.write(encodeURIComponent(JSON.stringify([["extensionDevelopmentPath", process.argv[1]]])))' "vscode-remote://127.0.0.1:$PORT$PWD")
echo "Open: http://127.0.0.1:$PORT/?folder=$SCRATCH/workspace&payload=$PAYLOAD"
exec "$GREENLENS_NODE24" "$GREENLENS_CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --user-data-dir "$SCRATCH/user-data" --extensions-dir "$SCRATCH/extensions" "$SCRATCH/workspace"
