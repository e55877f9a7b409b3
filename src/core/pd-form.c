/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-form"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-form.h"
#include "pd-json.h"

/* An application/x-www-form-urlencoded body, kept in order and with repeated
 * names intact so that the ledger can notice a field sent twice. */
struct _PdForm
{
  GPtrArray *names;
  GPtrArray *values;
};

G_DEFINE_QUARK (pd-form-error-quark, pd_form_error)

PdForm *
pd_form_new (void)
{
  PdForm *form = g_new0 (PdForm, 1);

  /* A PayMaster notification has about thirty fields. */
  form->names = g_ptr_array_new_full (32, g_free);
  form->values = g_ptr_array_new_full (32, g_free);
  return form;
}

void
pd_form_free (PdForm *form)
{
  if (form == NULL)
    return;
  g_ptr_array_unref (form->names);
  g_ptr_array_unref (form->values);
  g_free (form);
}

void
pd_form_add (PdForm     *form,
             const char *name,
             const char *value)
{
  g_ptr_array_add (form->names, g_strdup (name));
  g_ptr_array_add (form->values, g_strdup (value ? value : ""));
}

void
pd_form_set (PdForm     *form,
             const char *name,
             const char *value)
{
  for (guint i = 0; i < form->names->len; i++)
    {
      if (strcmp (form->names->pdata[i], name) == 0)
        {
          g_free (form->values->pdata[i]);
          form->values->pdata[i] = g_strdup (value ? value : "");
          return;
        }
    }
  pd_form_add (form, name, value);
}

void
pd_form_remove (PdForm     *form,
                const char *name)
{
  for (guint i = form->names->len; i > 0; i--)
    {
      if (strcmp (form->names->pdata[i - 1], name) == 0)
        {
          g_ptr_array_remove_index (form->names, i - 1);
          g_ptr_array_remove_index (form->values, i - 1);
        }
    }
}

const char *
pd_form_get (const PdForm *form,
             const char   *name)
{
  for (guint i = 0; i < form->names->len; i++)
    if (strcmp (form->names->pdata[i], name) == 0)
      return form->values->pdata[i];
  return NULL;
}

guint
pd_form_count (const PdForm *form,
               const char   *name)
{
  guint count = 0;

  for (guint i = 0; i < form->names->len; i++)
    if (strcmp (form->names->pdata[i], name) == 0)
      count++;
  return count;
}

guint
pd_form_get_n_fields (const PdForm *form)
{
  return form->names->len;
}

void
pd_form_get_field (const PdForm  *form,
                   guint          index,
                   const char   **name,
                   const char   **value)
{
  g_return_if_fail (index < form->names->len);
  if (name)
    *name = form->names->pdata[index];
  if (value)
    *value = form->values->pdata[index];
}

static char *
decode_component (const char  *text,
                  gsize        length,
                  GError     **error)
{
  GString *out;

  /* Most names and values need no decoding at all. */
  if (memchr (text, '%', length) == NULL && memchr (text, '+', length) == NULL)
    {
      if (memchr (text, '\0', length) != NULL || !g_utf8_validate_len (text, length, NULL))
        {
          g_set_error (error, PD_FORM_ERROR, PD_FORM_ERROR_ENCODING,
                       _("The form is not valid UTF-8 text."));
          return NULL;
        }
      return g_strndup (text, length);
    }

  out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '+')
        g_string_append_c (out, ' ');
      else if (c == '%')
        {
          if (i + 2 >= length || !g_ascii_isxdigit (text[i + 1]) || !g_ascii_isxdigit (text[i + 2]))
            goto bad_escape;
          g_string_append_c (out, (char) (g_ascii_xdigit_value (text[i + 1]) * 16 +
                                          g_ascii_xdigit_value (text[i + 2])));
          i += 2;
        }
      else
        g_string_append_c (out, c);
    }

  if (memchr (out->str, '\0', out->len) != NULL || !g_utf8_validate_len (out->str, out->len, NULL))
    {
      g_set_error (error, PD_FORM_ERROR, PD_FORM_ERROR_ENCODING,
                   _("The form is not valid UTF-8 text."));
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);

bad_escape:
  g_set_error (error, PD_FORM_ERROR, PD_FORM_ERROR_ESCAPE,
               _("The form has a broken percent escape."));
  g_string_free (out, TRUE);
  return NULL;
}

PdForm *
pd_form_parse (const char  *body,
               gsize        length,
               GError     **error)
{
  g_autoptr(PdForm) form = pd_form_new ();
  gsize start = 0;

  while (start < length)
    {
      const char *segment = body + start;
      const char *amp = memchr (segment, '&', length - start);
      gsize seg_len = amp ? (gsize) (amp - segment) : length - start;

      if (seg_len > 0)
        {
          const char *eq = memchr (segment, '=', seg_len);
          gsize name_len = eq ? (gsize) (eq - segment) : seg_len;
          g_autofree char *name = decode_component (segment, name_len, error);
          g_autofree char *value = NULL;

          if (name == NULL)
            return NULL;
          value = eq ? decode_component (eq + 1, seg_len - name_len - 1, error) : g_strdup ("");
          if (value == NULL)
            return NULL;
          if (*name != '\0')
            {
              g_ptr_array_add (form->names, g_steal_pointer (&name));
              g_ptr_array_add (form->values, g_steal_pointer (&value));
            }
        }

      start += seg_len + 1;
    }

  return g_steal_pointer (&form);
}

/* Percent-encodes everything but RFC 3986 unreserved characters, so that
 * "+", "/" and "=" of base64 survive the trip. */
void
pd_form_append_encoded (GString    *out,
                        const char *text)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
        g_string_append_c (out, (char) *p);
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
        }
    }
}

char *
pd_form_encode (const PdForm *form)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < form->names->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '&');
      pd_form_append_encoded (out, form->names->pdata[i]);
      g_string_append_c (out, '=');
      pd_form_append_encoded (out, form->values->pdata[i]);
    }

  return g_string_free (out, FALSE);
}

/* The fields as one JSON object, in order; a repeated name appears twice. */
char *
pd_form_to_json (const PdForm *form)
{
  GString *out = g_string_sized_new (1024);

  g_string_append_c (out, '{');
  for (guint i = 0; i < form->names->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      pd_json_append_string (out, form->names->pdata[i]);
      g_string_append_c (out, ':');
      pd_json_append_string (out, form->values->pdata[i]);
    }
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}
