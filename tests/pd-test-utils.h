/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdarg.h>
#include <glib.h>

G_BEGIN_DECLS

static inline void pd_test_fail_case (const char *format,
                                      ...) G_GNUC_PRINTF (1, 2);

/* Reports one failing row of a table and carries on, so that one run names
 * every row that fails; the test as a whole then fails. */
static inline void
pd_test_fail_case (const char *format,
                   ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_test_message ("FAIL: %s", message);
  g_test_fail ();
}

G_END_DECLS
