/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PD_MONEY_ERROR (pd_money_error_quark ())

typedef enum
{
  PD_MONEY_ERROR_INVALID,
  PD_MONEY_ERROR_OVERFLOW,
  PD_MONEY_ERROR_CURRENCY,
} PdMoneyError;

GQuark      pd_money_error_quark       (void);

gboolean    pd_money_parse             (const char  *text,
                                        gint64      *kopecks,
                                        GError     **error);
gboolean    pd_money_parse_input       (const char  *text,
                                        gint64      *kopecks,
                                        GError     **error);
char       *pd_money_format            (gint64       kopecks);
char       *pd_money_format_input      (gint64       kopecks);
char       *pd_money_format_display    (gint64       kopecks,
                                        const char  *currency);
gboolean    pd_money_multiply          (gint64       kopecks,
                                        gint64       quantity,
                                        gint64      *result);

const char *pd_currency_normalize      (const char  *code);
gboolean    pd_currency_equal          (const char  *a,
                                        const char  *b);

G_END_DECLS
