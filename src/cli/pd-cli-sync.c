/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-cli.h"
#include "pd-reconciler.h"
#include "pd-secrets.h"

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
  g_autofree char *token_file = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "api-password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, N_("Read the API user's password from FILE instead of the keyring"), N_("FILE") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("Read the REST API v2 token from FILE instead of the keyring"), N_("FILE") },
    { NULL }
  };
  g_auto(PdCliApiSession) session = { NULL };
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;

  if (!pd_cli_parse_options ("sync", NULL, _("Asks PayMaster about every open invoice and records "
                                             "the payments it reports."),
                             entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (argc > 1)
    return pd_cli_usage_error ("sync", _("Unexpected argument “%s”."), argv[1]);

  if (!pd_cli_api_session_open (&session, globals, token_file ? token_file : password_file, &error))
    return pd_cli_fail (error);

  pd_reconciler_sync_async (session.store, session.shop, session.api, NULL,
                            pd_cli_waited, &session.wait);
  changes = pd_reconciler_sync_finish (pd_cli_wait_run (&session.wait), &error);
  if (changes == NULL)
    return pd_cli_fail (error);

  print_changes (changes, json);
  return PD_EXIT_OK;
}
