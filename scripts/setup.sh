#!/usr/bin/env bash
# Installs everything Minjiang needs on a machine that has Node 20 and npm: pnpm (pinned),
# the workspace's dependencies, and the build. Used by the README's first command and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Minjiang needs Node >= 20.19, found " + process.version); process.exit(1) }'

PNPM_VERSION=12.4.2
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "installing pnpm@$PNPM_VERSION" >&2
  npm install --global "pnpm@$PNPM_VERSION" >&2
fi

# Native addons (better-sqlite3) build against the system's Node headers where they exist,
# because node-gyp cannot download them on machines without general network access.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

if [ -n "${CI:-}" ]; then
  pnpm install --frozen-lockfile
else
  pnpm install
fi
pnpm build
