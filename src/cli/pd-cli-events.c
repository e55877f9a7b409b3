/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-cli.h"
#include "pd-journal.h"

static char *
format_time (gint64 unix_usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_usec / G_USEC_PER_SEC);

  return g_date_time_format_iso8601 (time);
}

int
pd_cli_events (PdCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  gboolean json = FALSE;
  int limit = 50;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N events, newest first (default 50)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  if (!pd_cli_parse_options ("events", NULL, NULL, entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (limit <= 0)
    return pd_cli_usage_error ("events", _("--limit must be positive."));

  if ((db = pd_cli_open_database (globals, &error)) == NULL ||
      (events = pd_journal_list_events (db, (guint) limit, &error)) == NULL)
    return pd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        {
          const PdEvent *event = events->pdata[i];
          g_autofree char *at = format_time (event->at);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, event->id);
          pd_cli_json_add_string (builder, "at", at);
          pd_cli_json_add_string (builder, "remote", event->remote);
          pd_cli_json_add_string (builder, "method", event->method);
          pd_cli_json_add_string (builder, "path", event->path);
          pd_cli_json_add_string (builder, "kind", event->kind);
          pd_cli_json_add_string (builder, "verdict", event->verdict);
          pd_cli_json_add_string (builder, "reason", event->reason);
          json_builder_set_member_name (builder, "http_status");
          json_builder_add_int_value (builder, event->http_status);
          pd_cli_json_add_string (builder, "invoice_number", event->invoice_number);
          pd_cli_json_add_string (builder, "payment_id", event->payment_id);
          pd_cli_json_add_string (builder, "body", event->body);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      pd_cli_print_json (builder);
      return PD_EXIT_OK;
    }

  for (guint i = 0; i < events->len; i++)
    {
      const PdEvent *event = events->pdata[i];
      g_autofree char *at = format_time (event->at);

      g_print ("%s\t%s\t%s\t%s\t%s\n", at, event->kind, event->verdict,
               event->remote ? event->remote : "-", event->reason);
    }
  return PD_EXIT_OK;
}
