#!/usr/bin/env bash
# Configures (once) and builds Paydesk in _build. Extra arguments go to
# `meson setup`, e.g. -Dwerror=true.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f _build/build.ninja ]; then
  meson setup _build "$@" >/dev/null
elif [ $# -gt 0 ]; then
  meson configure _build "$@" >/dev/null
fi
ninja -C _build >/dev/null
