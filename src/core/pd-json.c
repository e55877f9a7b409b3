/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-json"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-json.h"

G_DEFINE_QUARK (pd-json-error-quark, pd_json_error)

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

/* Reading JSON */

/* Returns @json with every number literal turned into a string holding
 * the literal's own text. json-glib keeps numbers only as gint64 or
 * double, and a double cannot hold 0.29 or 1234567.89 exactly: this way
 * amounts are read from the digits PayMaster wrote. Malformed numbers
 * come out as strings and are refused by whoever reads them. */
static char *
quote_numbers (const char *json,
               gsize       length)
{
  GString *out = g_string_sized_new (length + 32);
  gboolean in_string = FALSE;
  gsize i = 0;

  while (i < length)
    {
      char c = json[i];

      if (in_string)
        {
          g_string_append_c (out, c);
          if (c == '\\' && i + 1 < length)
            g_string_append_c (out, json[++i]);
          else if (c == '"')
            in_string = FALSE;
          i++;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = i;

          while (i < length && (g_ascii_isdigit (json[i]) || json[i] == '-' || json[i] == '+' ||
                                json[i] == '.' || json[i] == 'e' || json[i] == 'E'))
            i++;
          g_string_append_c (out, '"');
          g_string_append_len (out, json + start, i - start);
          g_string_append_c (out, '"');
        }
      else
        {
          in_string = c == '"';
          g_string_append_c (out, c);
          i++;
        }
    }

  return g_string_free (out, FALSE);
}

/* Parses an answer from PayMaster (or a callback's body) into an object,
 * after dropping the UTF-8 byte order mark some senders put first. Every
 * number comes out as a string of its own digits (see quote_numbers()). */
JsonNode *
pd_json_parse_object (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *quoted = NULL;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  /* Also refuses NUL bytes, so that the copy below is one C string. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, PD_JSON_ERROR, PD_JSON_ERROR_INVALID_DATA,
                           _("PayMaster sent an answer that is not UTF-8 text."));
      return NULL;
    }

  quoted = quote_numbers (data, length);
  if (!json_parser_load_from_data (parser, quoted, -1, &local_error))
    {
      g_set_error (error, PD_JSON_ERROR, PD_JSON_ERROR_INVALID_DATA,
                   _("PayMaster sent an answer Paydesk cannot read: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PD_JSON_ERROR, PD_JSON_ERROR_INVALID_DATA,
                           _("PayMaster sent an answer that is not a JSON object."));
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* The member helpers read a tree from pd_json_parse_object(): every number
 * went through quote_numbers(), so a scalar is a string (read amounts with
 * pd_json_amount_parse()). A NULL @object reads as empty. */
const char *
pd_json_member_text (JsonObject *object,
                     const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
pd_json_member_dup (JsonObject *object,
                    const char *name)
{
  return g_strdup (pd_json_member_text (object, name));
}

gboolean
pd_json_member_bool (JsonObject *object,
                     const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  const char *text;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);

  text = pd_json_member_text (object, name);
  return text != NULL && (g_ascii_strcasecmp (text, "true") == 0 || strcmp (text, "1") == 0);
}

JsonObject *
pd_json_member_object (JsonObject *object,
                       const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
pd_json_member_array (JsonObject *object,
                      const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}


/* Reads a JSON number's text (or a string holding one) as kopecks,
 * exactly: "0.29" is 29, "1234567.89" is 123456789, "5e1" is 5000. A
 * value with a fraction of a kopeck ("12.345", "0.30000000000000004") or
 * below zero is refused rather than rounded, because money is involved. */
gboolean
pd_json_amount_parse (const char  *text,
                      gint64      *kopecks,
                      GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = text;
  const char *significant;
  gint64 exponent = 0;
  gint64 shift;
  gint64 value = 0;
  gsize n_int = 0;
  gsize n_frac = 0;
  gboolean exponent_negative = FALSE;
  gboolean overflow = FALSE;
  gboolean valid = text != NULL;

  g_return_val_if_fail (kopecks != NULL, FALSE);

  for (; valid && g_ascii_isdigit (*p); p++, n_int++)
    g_string_append_c (digits, *p);
  valid = valid && n_int > 0;

  if (valid && *p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++, n_frac++)
        g_string_append_c (digits, *p);
      valid = n_frac > 0;
    }

  if (valid && (*p == 'e' || *p == 'E'))
    {
      guint n_exponent = 0;

      p++;
      if (*p == '+' || *p == '-')
        exponent_negative = *p++ == '-';
      /* Clamped: beyond this any digit is either overflow or a fraction
       * of a kopeck, and the answer is the same. */
      for (; g_ascii_isdigit (*p); p++, n_exponent++)
        exponent = MIN (exponent * 10 + (*p - '0'), 100000);
      valid = n_exponent > 0;
    }

  if (!valid || *p != '\0')
    {
      g_set_error (error, PD_JSON_ERROR, PD_JSON_ERROR_INVALID_AMOUNT,
                   _("PayMaster sent “%s”, which is not an amount of money."), text ? text : "");
      return FALSE;
    }

  /* The amount is digits × 10^(exponent − n_frac) roubles, so
   * digits × 10^shift kopecks. Trailing zeros only move the shift. */
  shift = 2 + (exponent_negative ? -exponent : exponent) - (gint64) n_frac;
  while (digits->len > 0 && digits->str[digits->len - 1] == '0')
    {
      g_string_truncate (digits, digits->len - 1);
      shift++;
    }
  significant = digits->str + strspn (digits->str, "0");

  if (*significant == '\0')
    {
      *kopecks = 0;
      return TRUE;
    }

  if (shift < 0)
    {
      g_set_error (error, PD_JSON_ERROR, PD_JSON_ERROR_INVALID_AMOUNT,
                   _("PayMaster sent the amount “%s”, which is not a whole number of kopecks."),
                   text);
      return FALSE;
    }

  for (; *significant != '\0' && !overflow; significant++)
    {
      int digit = *significant - '0';

      overflow = value > (G_MAXINT64 - digit) / 10;
      if (!overflow)
        value = value * 10 + digit;
    }
  for (; shift > 0 && !overflow; shift--)
    {
      overflow = value > G_MAXINT64 / 10;
      if (!overflow)
        value *= 10;
    }

  if (overflow)
    {
      g_set_error (error, PD_JSON_ERROR, PD_JSON_ERROR_INVALID_AMOUNT,
                   _("The amount “%s” is too large."), text);
      return FALSE;
    }

  *kopecks = value;
  return TRUE;
}

/* Writing JSON */

/* json-glib 1.6 writes doubles as "%.17g", which turns 12.34 into
 * 12.339999999999999, a different price for a server that reads decimals;
 * this writer uses the shortest text that reads back as the same double. */
typedef struct
{
  GString  *out;
  gboolean  first;         /* no comma before the next member */
} Writer;

static void write_node (Writer   *writer,
                        JsonNode *node);

static void
write_member_cb (JsonObject *object,
                 const char *name,
                 JsonNode   *node,
                 gpointer    user_data)
{
  Writer *writer = user_data;

  if (!writer->first)
    g_string_append_c (writer->out, ',');
  writer->first = FALSE;
  pd_json_append_string (writer->out, name);
  g_string_append_c (writer->out, ':');
  write_node (writer, node);
}

/* The shortest text that reads back as the same double. */
static void
write_double (GString *out,
              double   value)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* JSON has no NaN or infinities. */
  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

static void
write_value (Writer   *writer,
             JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_STRING)
    pd_json_append_string (writer->out, json_node_get_string (node));
  else if (type == G_TYPE_INT64)
    g_string_append_printf (writer->out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    write_double (writer->out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (writer->out, json_node_get_boolean (node) ? "true" : "false");
  else
    g_string_append (writer->out, "null");
}

static void
write_node (Writer   *writer,
            JsonNode *node)
{
  GString *out = writer->out;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        Writer members = { out, TRUE };

        g_string_append_c (out, '{');
        json_object_foreach_member (json_node_get_object (node), write_member_cb, &members);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (writer, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      write_value (writer, node);
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* Compact JSON text for @node, like json_to_string (node, FALSE), with
 * members in the order they were added and doubles written as their
 * shortest exact text, so that money added with
 * pd_json_builder_add_money() goes out as "1234567.89" and "50". Use it
 * for every body that carries money. */
char *
pd_json_to_string (JsonNode *node)
{
  Writer writer = { NULL, TRUE };

  g_return_val_if_fail (node != NULL, NULL);

  writer.out = g_string_new (NULL);
  write_node (&writer, node);
  return g_string_free (writer.out, FALSE);
}

/* Adds an amount of money as a JSON number of roubles, for amounts,
 * receipt lines and the like. A decimal with at most 15 significant digits
 * is the one closest to its double, so pd_json_to_string() writes exactly
 * the kopecks given; larger amounts are refused. */
void
pd_json_builder_add_money (JsonBuilder *builder,
                            gint64       kopecks)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (kopecks > -PD_JSON_MONEY_LIMIT && kopecks < PD_JSON_MONEY_LIMIT);

  json_builder_add_double_value (builder, (double) kopecks / 100);
}
