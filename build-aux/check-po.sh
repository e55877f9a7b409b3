#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs msgfmt --check on the .po file of every language in po/LINGUAS,
# printing TAP. Skips while LINGUAS lists no language.
# Usage: check-po.sh PO_DIR
set -uo pipefail

po_dir=${1:-$(dirname "$0")/../po}
msgfmt=${MSGFMT:-msgfmt}

languages=()
if [ -f "$po_dir/LINGUAS" ]; then
  mapfile -t languages < <(sed -e 's/#.*//' "$po_dir/LINGUAS" | tr -s '[:space:]' '\n' | grep -v '^$')
fi
if [ ${#languages[@]} -eq 0 ]; then
  echo "1..0 # SKIP po/LINGUAS lists no language yet"
  exit 0
fi

echo "1..${#languages[@]}"
status=0
n=0
for lang in "${languages[@]}"; do
  n=$((n + 1))
  po="$po_dir/$lang.po"
  if [ ! -f "$po" ]; then
    echo "not ok $n - $lang: $lang.po does not exist"
    status=1
    continue
  fi
  if output=$("$msgfmt" --check --check-accelerators=_ -o /dev/null "$po" 2>&1); then
    echo "ok $n - $lang: msgfmt --check"
  else
    echo "not ok $n - $lang: msgfmt --check"
    printf '%s\n' "$output" | sed 's/^/# /'
    status=1
  fi
done
exit $status
