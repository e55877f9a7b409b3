/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-json"

#include "config.h"

#include "pd-json.h"

/* Appends @text (UTF-8) as a JSON string literal. Written by hand for the
 * hot paths (every payment, every line of `invoice create --count`), where
 * building a json-glib tree costs more than the rest of the work. */
void
pd_json_append_string (GString    *out,
                       const char *text)
{
  const char *run = text;
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      /* Copy the plain run before this character in one go. */
      g_string_append_len (out, run, p - run);
      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else
        g_string_append_printf (out, "\\u%04x", c);
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}
