/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-cli.h"
#include "pd-reconciler.h"
#include "pd-secrets.h"

typedef struct
{
  GMainLoop *loop;
  GPtrArray *changes;
  GError    *error;
} Sync;

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Sync *sync = user_data;

  sync->changes = pd_reconciler_sync_finish (result, &sync->error);
  g_main_loop_quit (sync->loop);
}

static void
print_changes (GPtrArray *changes,
               gboolean   json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < changes->len; i++)
        {
          const PdSyncChange *change = changes->pdata[i];

          json_builder_begin_object (builder);
          pd_cli_json_add_string (builder, "invoice", change->invoice_number);
          pd_cli_json_add_string (builder, "verdict", pd_verdict_to_string (change->verdict));
          pd_cli_json_add_string (builder, "reason", change->reason);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      pd_cli_print_json (builder);
      return;
    }

  if (changes->len == 0)
    g_print ("%s\n", _("Nothing new: PayMaster knows of no payment for the open invoices."));
  for (guint i = 0; i < changes->len; i++)
    {
      const PdSyncChange *change = changes->pdata[i];

      g_print ("%s\t%s\t%s\n", change->invoice_number, pd_verdict_to_string (change->verdict),
               change->reason);
    }
}

int
pd_cli_sync (PdCliGlobals  *globals,
             int            argc,
             char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *password_file = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "api-password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, N_("Read the API user's password from FILE instead of the keyring"), N_("FILE") },
    { NULL }
  };
  g_autofree char *path = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdShop) shop = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdPaymasterApi) api = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;
  g_autofree char *password = NULL;
  Sync sync = { NULL };

  if (!pd_cli_parse_options ("sync", NULL, _("Asks PayMaster's status API about every open invoice "
                                             "and records the payments it reports."),
                             entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (argc > 1)
    return pd_cli_usage_error ("sync", _("Unexpected argument “%s”."), argv[1]);

  path = pd_cli_database_path (globals);
  if ((db = pd_database_open (path, PD_DATABASE_READ_WRITE, &error)) == NULL ||
      (shop = pd_catalog_load_shop (db, &error)) == NULL)
    return pd_cli_fail (error);
  login = pd_catalog_get_setting (db, "api_login", NULL);
  g_clear_pointer (&db, pd_database_close);

  if (login == NULL || *login == '\0')
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No PayMaster API user is set: create one in the PayMaster cabinet and run "
                     "setup again with --api-login and --api-password-file."));
      return pd_cli_fail (error);
    }

  password = password_file ? pd_secrets_read_file (password_file, &error)
                           : pd_secrets_lookup (PD_SECRET_API_PASSWORD, shop->merchant_id, NULL, &error);
  if (password == NULL || (store = pd_store_open (path, &error)) == NULL)
    return pd_cli_fail (error);

  api = pd_paymaster_api_new (shop->paymaster_url);
  pd_paymaster_api_set_classic_credentials (api, login, password);

  loop = g_main_loop_new (NULL, FALSE);
  sync.loop = loop;
  pd_reconciler_sync_async (store, shop, api, NULL, synced_cb, &sync);
  g_main_loop_run (loop);
  pd_store_close (store);

  if (sync.changes == NULL)
    {
      int status = pd_cli_fail (sync.error);

      g_clear_error (&sync.error);
      return status;
    }

  print_changes (sync.changes, json);
  g_ptr_array_unref (sync.changes);
  return PD_EXIT_OK;
}
