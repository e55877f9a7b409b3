/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON that carries money. json-glib keeps a number as a gint64 or a
 * double, and writes a double with 17 significant digits: amounts are read
 * here from the digits as sent and written back as exactly the kopecks
 * meant. */

#define PD_JSON_ERROR (pd_json_error_quark ())

typedef enum
{
  PD_JSON_ERROR_INVALID_DATA,    /* not UTF-8, not JSON, or not an object */
  PD_JSON_ERROR_INVALID_AMOUNT,  /* not a whole, non-negative number of kopecks that fits */
} PdJsonError;

/* Money written with pd_json_builder_add_money() stays below this many
 * kopecks, so that it has at most 15 significant digits and survives the
 * trip through a double digit for digit. */
#define PD_JSON_MONEY_LIMIT G_GINT64_CONSTANT (1000000000000000)

GQuark       pd_json_error_quark            (void);

void         pd_json_append_string          (GString     *out,
                                             const char  *text);

JsonNode    *pd_json_parse_object           (const char  *data,
                                             gsize        length,
                                             GError     **error);
const char  *pd_json_member_text            (JsonObject  *object,
                                             const char  *name);
char        *pd_json_member_dup             (JsonObject  *object,
                                             const char  *name);
gboolean     pd_json_member_bool            (JsonObject  *object,
                                             const char  *name);
JsonObject  *pd_json_member_object          (JsonObject  *object,
                                             const char  *name);
JsonArray   *pd_json_member_array           (JsonObject  *object,
                                             const char  *name);
gboolean     pd_json_amount_parse           (const char  *text,
                                             gint64      *kopecks,
                                             GError     **error);

void         pd_json_builder_add_money      (JsonBuilder *builder,
                                             gint64       kopecks);
char        *pd_json_to_string              (JsonNode    *node);

G_END_DECLS
