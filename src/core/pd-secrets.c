/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-secrets"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "pd-secrets.h"

/* Each kind of secret has a schema of its own, keyed by the merchant
 * identifier it belongs to. The kind is an attribute too: not every
 * backend tells schemas apart (libsecret's file backend does not), and the
 * key must never be mistaken for the API user's password. */
static const SecretSchema *
schema_for (PdSecretKind kind)
{
  static const SecretSchema schemas[] = {
    [PD_SECRET_KEY] = {
      APPLICATION_ID ".SecretKey", SECRET_SCHEMA_NONE,
      {
        { "merchant-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "NULL", 0 },
      }
    },
    [PD_SECRET_API_PASSWORD] = {
      APPLICATION_ID ".ApiPassword", SECRET_SCHEMA_NONE,
      {
        { "merchant-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "NULL", 0 },
      }
    },
    [PD_SECRET_API_TOKEN] = {
      APPLICATION_ID ".ApiToken", SECRET_SCHEMA_NONE,
      {
        { "merchant-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "NULL", 0 },
      }
    },
  };

  return &schemas[kind];
}

static const char *
kind_name (PdSecretKind kind)
{
  static const char *names[] = {
    [PD_SECRET_KEY] = "secret-key",
    [PD_SECRET_API_PASSWORD] = "api-password",
    [PD_SECRET_API_TOKEN] = "api-token",
  };

  return names[kind];
}

static char *
describe (PdSecretKind  kind,
          const char   *merchant_id)
{
  switch (kind)
    {
    case PD_SECRET_API_PASSWORD:
      return g_strdup_printf (_("PayMaster API user's password for %s"), merchant_id);
    case PD_SECRET_API_TOKEN:
      return g_strdup_printf (_("PayMaster API token for %s"), merchant_id);
    case PD_SECRET_KEY:
    default:
      return g_strdup_printf (_("PayMaster secret key for %s"), merchant_id);
    }
}

static void
explain_keyring_error (GError **error)
{
  if (error == NULL || *error == NULL)
    return;
  g_prefix_error (error, "%s ", _("The keyring could not be used: unlock it or start a keyring "
                                  "service (or pass --secret-file to “serve”)."));
}

gboolean
pd_secrets_store (PdSecretKind   kind,
                  const char    *merchant_id,
                  const char    *secret,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *label = describe (kind, merchant_id);

  if (!secret_password_store_sync (schema_for (kind), SECRET_COLLECTION_DEFAULT, label,
                                   secret, cancellable, error,
                                   "merchant-id", merchant_id,
                                   "kind", kind_name (kind),
                                   NULL))
    {
      explain_keyring_error (error);
      return FALSE;
    }
  return TRUE;
}

char *
pd_secrets_lookup (PdSecretKind   kind,
                   const char    *merchant_id,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GError *local_error = NULL;
  char *secret = secret_password_lookup_sync (schema_for (kind), cancellable, &local_error,
                                              "merchant-id", merchant_id,
                                              "kind", kind_name (kind),
                                              NULL);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      explain_keyring_error (error);
      return NULL;
    }
  if (secret == NULL)
    {
      if (kind == PD_SECRET_API_PASSWORD)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The keyring has no API user's password for %s: run the setup again "
                       "with the API user's login and password."), merchant_id);
      else if (kind == PD_SECRET_API_TOKEN)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The keyring has no PayMaster API token for %s: run the setup again "
                       "with the token from the PayMaster cabinet."), merchant_id);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The keyring has no secret key for %s: run the setup again to enter it."),
                     merchant_id);
      return NULL;
    }

  /* Copy out of libsecret's non-pageable memory into ordinary memory so
   * that callers can free it with g_free(). */
  {
    char *copy = g_strdup (secret);

    secret_password_free (secret);
    return copy;
  }
}

gboolean
pd_secrets_store_key (const char    *merchant_id,
                      const char    *secret,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return pd_secrets_store (PD_SECRET_KEY, merchant_id, secret, cancellable, error);
}

char *
pd_secrets_lookup_key (const char    *merchant_id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return pd_secrets_lookup (PD_SECRET_KEY, merchant_id, cancellable, error);
}

gboolean
pd_secrets_clear_key (const char    *merchant_id,
                      GCancellable  *cancellable,
                      GError       **error)
{
  GError *local_error = NULL;

  secret_password_clear_sync (schema_for (PD_SECRET_KEY), cancellable, &local_error,
                              "merchant-id", merchant_id,
                              "kind", kind_name (PD_SECRET_KEY),
                              NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* A secret file holds the secret alone; one trailing line break (as an
 * editor or `echo` leaves it) is not part of it. */
char *
pd_secrets_read_file_for (PdSecretKind   kind,
                          const char    *path,
                          GError       **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (length > 0 && contents[length - 1] == '\n')
    contents[--length] = '\0';
  if (length > 0 && contents[length - 1] == '\r')
    contents[--length] = '\0';

  if (length == 0 || strlen (contents) != length || !g_utf8_validate (contents, -1, NULL))
    {
      switch (kind)
        {
        case PD_SECRET_API_PASSWORD:
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The password file %s is empty or not text: put the API user’s password in it."),
                       path);
          break;
        case PD_SECRET_API_TOKEN:
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The token file %s is empty or not text: put the PayMaster API token in it."),
                       path);
          break;
        case PD_SECRET_KEY:
        default:
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The secret file %s is empty or not text: put the PayMaster secret key in it."),
                       path);
          break;
        }
      return NULL;
    }

  return g_steal_pointer (&contents);
}

char *
pd_secrets_read_file (const char  *path,
                      GError     **error)
{
  return pd_secrets_read_file_for (PD_SECRET_KEY, path, error);
}
