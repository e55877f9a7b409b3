#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks that every language in po/LINGUAS translates every message of the
# current sources, with nothing fuzzy, printing TAP. The template is made
# afresh from po/POTFILES.in (the .pot is not kept in git) and each .po is
# merged with it in a temporary directory, so a string added to the code but
# not to the translation fails here. Skips while LINGUAS lists no language.
# Usage: check-po-complete.sh SOURCE_ROOT GETTEXT_PACKAGE
set -uo pipefail

root=${1:-$(dirname "$0")/..}
package=${2:-paydesk}
cd "$root"

languages=()
if [ -f po/LINGUAS ]; then
  mapfile -t languages < <(sed -e 's/#.*//' po/LINGUAS | tr -s '[:space:]' '\n' | grep -v '^$')
fi
if [ ${#languages[@]} -eq 0 ]; then
  echo "1..0 # SKIP po/LINGUAS lists no language yet"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The keywords and flags of meson's i18n.gettext(preset: 'glib').
if ! xgettext --package-name="$package" --from-code=UTF-8 --add-comments \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
    --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
    --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
    --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
    --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
    -D . -f po/POTFILES.in -o "$tmp/$package.pot" 2>"$tmp/xgettext.log"; then
  echo "1..0 # SKIP"
  echo "Bail out! xgettext failed: $(tr '\n' ' ' < "$tmp/xgettext.log")"
  exit 1
fi

# The msgids of a .po on stdin, one a line, continuation lines joined and
# the header left out.
msgids() {
  awk '
    /^msgid / { if (id != "") print id; id = substr($0, 7); next }
    /^"/ && id != "" { id = substr(id, 1, length(id) - 1) substr($0, 2); next }
    { if (id != "" && id != "\"\"") print id; id = "" }
    END { if (id != "" && id != "\"\"") print id }
  '
}

echo "1..${#languages[@]}"
status=0
n=0
for lang in "${languages[@]}"; do
  n=$((n + 1))
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    echo "not ok $n - $lang: $po does not exist"
    status=1
    continue
  fi
  merged="$tmp/$lang.po"
  if ! msgmerge --quiet --lang="$lang" -o "$merged" "$po" "$tmp/$package.pot" 2>"$tmp/msgmerge.log"; then
    echo "not ok $n - $lang: msgmerge failed"
    sed 's/^/# /' "$tmp/msgmerge.log"
    status=1
    continue
  fi
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$merged" 2>&1 | tail -n 1)
  untranslated=$(msgattrib --untranslated --no-obsolete --no-wrap "$merged" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged" | grep -c '^msgid ' || true)
  if [ "$untranslated" -eq 0 ] && [ "$fuzzy" -eq 0 ]; then
    echo "ok $n - $lang: $stats"
  else
    echo "not ok $n - $lang: $stats"
    msgattrib --untranslated --no-obsolete --no-wrap "$merged" | msgids | head -n 50 | sed 's/^/# untranslated: /'
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged" | msgids | head -n 50 | sed 's/^/# fuzzy: /'
    status=1
  fi
done
exit $status
