#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks po/POTFILES.in against the tree, printing TAP:
#  1. every listed file exists;
#  2. every file under src/ and data/ with translatable strings is listed:
#     C with _() N_() C_() NC_() Q_() or ngettext (), GtkBuilder with
#     translatable="yes", and every desktop, metainfo and schema file (gettext
#     extracts those whole, they need no marker).
# Files listed in po/POTFILES.skip, if it exists, are exempt from 2.
# Usage: check-potfiles.sh SOURCE_ROOT
set -euo pipefail

root=${1:-$(dirname "$0")/..}
cd "$root"

potfiles=po/POTFILES.in
if [ ! -f "$potfiles" ]; then
  echo "1..0 # SKIP no $potfiles"
  exit 0
fi

# Entries, without comments, blank lines or a leading [type: ...] tag.
listed() {
  sed -e 's/#.*//' -e 's/^\[[^]]*\][[:space:]]*//' -e 's/[[:space:]]*$//' "$1" | grep -v '^$' || true
}

mapfile -t entries < <(listed "$potfiles")
skipped=()
if [ -f po/POTFILES.skip ]; then
  mapfile -t skipped < <(listed po/POTFILES.skip)
fi

echo "1..2"

missing_files=()
for entry in "${entries[@]}"; do
  [ -f "$entry" ] || missing_files+=("$entry")
done
if [ ${#missing_files[@]} -eq 0 ]; then
  echo "ok 1 - the ${#entries[@]} files in $potfiles exist"
else
  echo "not ok 1 - $potfiles lists files that do not exist"
  printf '# missing: %s\n' "${missing_files[@]}"
fi

marker='(^|[^[:alnum:]_])((N|C|NC|Q)?_|g_dn?gettext|g_dc?gettext|g_dpgettext2?|n?gettext)[[:space:]]*\(|translatable=["'"'"']yes["'"'"']'

mapfile -t with_strings < <(
  {
    grep -rlE --include='*.c' --include='*.h' --include='*.ui' --include='*.ui.in' \
      --include='*.xml' --include='*.xml.in' "$marker" src data 2>/dev/null || true
    find src data -type f \( -name '*.desktop.in' -o -name '*.desktop.in.in' \
      -o -name '*.metainfo.xml.in' -o -name '*.metainfo.xml.in.in' \
      -o -name '*.appdata.xml.in' -o -name '*.gschema.xml' -o -name '*.gschema.xml.in' \) 2>/dev/null || true
  } | LC_ALL=C sort -u
)

unlisted=()
for file in "${with_strings[@]}"; do
  found=0
  for entry in "${entries[@]}" "${skipped[@]}"; do
    if [ "$entry" = "$file" ]; then
      found=1
      break
    fi
  done
  [ $found -eq 1 ] || unlisted+=("$file")
done
if [ ${#unlisted[@]} -eq 0 ]; then
  echo "ok 2 - the ${#with_strings[@]} files with translatable strings are listed"
else
  echo "not ok 2 - files with translatable strings are missing from $potfiles"
  printf '# not listed: %s\n' "${unlisted[@]}"
fi

[ ${#missing_files[@]} -eq 0 ] && [ ${#unlisted[@]} -eq 0 ]
