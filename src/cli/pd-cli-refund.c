/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-cli.h"
#include "pd-money.h"
#include "pd-refunder.h"

static void
print_refund (const PdInvoice *invoice,
              gint64           refunded_now,
              gboolean         json)
{
  g_autofree char *now_text = pd_money_format (refunded_now);
  g_autofree char *total_text = pd_money_format (invoice->refunded);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      pd_cli_json_add_string (builder, "number", invoice->number);
      pd_cli_json_add_string (builder, "refunded_now", now_text);
      pd_cli_json_add_string (builder, "refunded", total_text);
      pd_cli_json_add_string (builder, "currency", invoice->currency);
      pd_cli_json_add_string (builder, "status", pd_invoice_status_to_string (invoice->status));
      json_builder_end_object (builder);
      pd_cli_print_json (builder);
      return;
    }

  if (invoice->status == PD_INVOICE_REFUNDED)
    g_print (_("Refunded %s %s: invoice %s is refunded in full.\n"),
             now_text, invoice->currency, invoice->number);
  else
    g_print (_("Refunded %s %s: %s %s of invoice %s is refunded so far.\n"),
             now_text, invoice->currency, total_text, invoice->currency, invoice->number);
}

int
pd_cli_invoice_refund (PdCliGlobals  *globals,
                       int            argc,
                       char         **argv)
{
  g_autofree char *amount_text = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *token_file = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text, N_("Refund only AMOUNT roubles (default: all that is left)"), N_("AMOUNT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "api-password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, N_("Read the API user's password from FILE instead of the keyring"), N_("FILE") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("Read the REST API v2 token from FILE instead of the keyring"), N_("FILE") },
    { NULL }
  };
  g_auto(PdCliApiSession) session = { NULL };
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;
  gint64 refunded_now = 0;

  if (!pd_cli_parse_options ("invoice refund", N_("NUMBER"),
                             _("Refunds a paid invoice through PayMaster, in full or in part."),
                             entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (argc != 2)
    return pd_cli_usage_error ("invoice refund", _("Give one invoice NUMBER."));
  if (amount_text != NULL && (!pd_money_parse (amount_text, &amount, &error) || amount <= 0))
    return pd_cli_usage_error ("invoice refund", "%s",
                               error ? error->message : _("The amount must be more than zero."));

  if (!pd_cli_api_session_open (&session, globals, token_file ? token_file : password_file, &error))
    return pd_cli_fail (error);

  pd_refunder_refund_async (session.store, session.shop, session.api, argv[1], amount, NULL,
                            pd_cli_waited, &session.wait);
  invoice = pd_refunder_refund_finish (pd_cli_wait_run (&session.wait), &refunded_now, &error);
  if (invoice == NULL)
    return pd_cli_fail (error);

  print_refund (invoice, refunded_now, json);
  return PD_EXIT_OK;
}
