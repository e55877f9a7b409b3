/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-cli.h"
#include "pd-secrets.h"

/* What the commands that talk to PayMaster's API share: the client with
 * the shop's credentials, and a main loop to wait for one answer in. */

/**
 * pd_cli_open_api:
 * @credential_file: (nullable): holds the token (REST v2) or the API
 *   user's password (classic); %NULL reads the keyring
 */
PdPaymasterApi *
pd_cli_open_api (PdDatabase    *db,
                 const PdShop  *shop,
                 const char    *credential_file,
                 GError       **error)
{
  g_autoptr(PdPaymasterApi) api = pd_paymaster_api_new (shop->paymaster_url);
  g_autofree char *login = NULL;
  g_autofree char *credential = NULL;

  if (shop->protocol != PD_PROTOCOL_V2)
    {
      login = pd_catalog_get_setting (db, "api_login", NULL);
      if (login == NULL || *login == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("No PayMaster API user is set: create one in the PayMaster cabinet and "
                         "run setup again with --api-login and --api-password-file."));
          return NULL;
        }
    }

  credential = credential_file
    ? pd_secrets_read_file (credential_file, error)
    : pd_secrets_lookup (shop->protocol == PD_PROTOCOL_V2 ? PD_SECRET_API_TOKEN : PD_SECRET_API_PASSWORD,
                         shop->merchant_id, NULL, error);
  if (credential == NULL)
    return NULL;

  if (shop->protocol == PD_PROTOCOL_V2)
    pd_paymaster_api_set_token (api, credential);
  else
    pd_paymaster_api_set_classic_credentials (api, login, credential);
  return g_steal_pointer (&api);
}

/* Opens the shop, the client with its credentials, and the store: what
 * a command that asks PayMaster something and records the answer needs. */
gboolean
pd_cli_api_session_open (PdCliApiSession  *session,
                         PdCliGlobals     *globals,
                         const char       *credential_file,
                         GError          **error)
{
  g_autofree char *path = pd_cli_database_path (globals);
  g_autoptr(PdDatabase) db = pd_database_open (path, PD_DATABASE_READ_WRITE, error);

  if (db == NULL ||
      (session->shop = pd_catalog_load_shop (db, error)) == NULL ||
      (session->api = pd_cli_open_api (db, session->shop, credential_file, error)) == NULL)
    return FALSE;
  g_clear_pointer (&db, pd_database_close);
  session->store = pd_store_open (path, error);
  if (session->store == NULL)
    return FALSE;
  pd_cli_wait_init (&session->wait);
  return TRUE;
}

void
pd_cli_api_session_clear (PdCliApiSession *session)
{
  if (session->store != NULL)
    pd_store_close (session->store);
  g_clear_object (&session->store);
  g_clear_object (&session->api);
  g_clear_pointer (&session->shop, pd_shop_free);
  pd_cli_wait_clear (&session->wait);
}

/* Pass as the callback of an async call, with the PdCliWait as its data,
 * then call pd_cli_wait_run(). */
void
pd_cli_waited (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PdCliWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* Runs a main loop until the answer comes; returns it. */
GAsyncResult *
pd_cli_wait_run (PdCliWait *wait)
{
  if (wait->result == NULL)
    g_main_loop_run (wait->loop);
  return wait->result;
}

void
pd_cli_wait_init (PdCliWait *wait)
{
  wait->loop = g_main_loop_new (NULL, FALSE);
  wait->result = NULL;
}

void
pd_cli_wait_clear (PdCliWait *wait)
{
  g_clear_pointer (&wait->loop, g_main_loop_unref);
  g_clear_object (&wait->result);
}
