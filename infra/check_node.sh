#!/usr/bin/env bash
# The web console is built with Node.js >= 20.19 and npm (Vite 8's minimum). Debian 12's own
# nodejs package is 18.x, too old: the build machines carry Node.js 20 (docs/console.md).
set -euo pipefail
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "check_node: node and npm are needed to build the web console (Node.js >= 20.19)" >&2
  exit 1
fi
v=$(node -p 'process.versions.node')
IFS=. read -r major minor _ <<<"$v"
if (( major < 20 || (major == 20 && minor < 19) )); then
  echo "check_node: Node.js $v is too old for the web console's build (Vite 8): need >= 20.19" >&2
  exit 1
fi
