/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pd-cli.h"

static const struct {
  const char   *name;
  PdCliCommand  run;
  const char   *summary;
} commands[] = {
  { "setup", pd_cli_setup, N_("Connect Paydesk to a PayMaster site") },
  { "product", pd_cli_product, N_("Add and list products, and set their receipt defaults") },
  { "invoice", pd_cli_invoice, N_("Create, show and list invoices") },
  { "events", pd_cli_events, N_("Show the requests the listener received") },
  { "serve", pd_cli_serve, N_("Run the listener PayMaster calls") },
  { "sync", pd_cli_sync, N_("Ask PayMaster about the open invoices") },
  { "sandbox", pd_cli_sandbox, N_("Run a local PayMaster for tests and demos") },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: paydesk-cli [--db PATH] COMMAND [OPTIONS]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("The database is PATH, else $PAYDESK_DB, else "
                            "$XDG_DATA_HOME/paydesk/paydesk.db. "
                            "“paydesk-cli COMMAND --help” shows a command's options."));
}

int
pd_cli_usage_error (const char *command,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (command != NULL)
    g_printerr ("paydesk-cli %s: %s\n", command, message);
  else
    g_printerr ("paydesk-cli: %s\n", message);
  return PD_EXIT_USAGE;
}

int
pd_cli_fail (const GError *error)
{
  g_autofree char *one_line = g_strdelimit (g_strdup (error->message), "\n", ' ');

  g_printerr ("paydesk-cli: %s\n", one_line);
  return PD_EXIT_FAILURE;
}

/* Parses a command's options (and the global --db, which may also come
 * after the command). Prints the reason and returns FALSE on a usage error. */
gboolean
pd_cli_parse_options (const char     *command,
                      const char     *parameters,
                      const char     *summary,
                      GOptionEntry   *entries,
                      PdCliGlobals   *globals,
                      int            *argc,
                      char         ***argv)
{
  GOptionEntry global_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &globals->db_path, N_("The Paydesk database"), N_("PATH") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;
  g_autofree char *db_before = globals->db_path;

  globals->db_path = NULL;
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      pd_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  if (globals->db_path == NULL)
    globals->db_path = g_steal_pointer (&db_before);
  return TRUE;
}

char *
pd_cli_database_path (PdCliGlobals *globals)
{
  if (globals->db_path != NULL)
    return g_strdup (globals->db_path);
  return pd_database_default_path ();
}

PdDatabase *
pd_cli_open_database (PdCliGlobals  *globals,
                      GError       **error)
{
  g_autofree char *path = pd_cli_database_path (globals);

  return pd_database_open (path, PD_DATABASE_READ_WRITE, error);
}

/* Adds a string member, or null when @value is NULL. */
void
pd_cli_json_add_string (JsonBuilder *builder,
                        const char  *name,
                        const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
pd_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

int
main (int    argc,
      char **argv)
{
  PdCliGlobals globals = { NULL };
  int first = 1;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  while (first < argc && g_str_has_prefix (argv[first], "--db"))
    {
      if (g_str_has_prefix (argv[first], "--db="))
        globals.db_path = g_strdup (argv[first] + strlen ("--db="));
      else if (g_str_equal (argv[first], "--db") && first + 1 < argc)
        globals.db_path = g_strdup (argv[++first]);
      else
        return pd_cli_usage_error (NULL, _("--db needs a PATH."));
      first++;
    }

  if (first >= argc)
    return pd_cli_usage_error (NULL, _("Give a command; “paydesk-cli --help” lists them."));

  if (g_str_equal (argv[first], "--help") || g_str_equal (argv[first], "-h") ||
      g_str_equal (argv[first], "help"))
    {
      print_help (stdout);
      return PD_EXIT_OK;
    }

  if (g_str_equal (argv[first], "--version"))
    {
      g_print ("paydesk-cli %s\n", PACKAGE_VERSION);
      return PD_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[first], commands[i].name))
        {
          status = commands[i].run (&globals, argc - first, argv + first);
          g_free (globals.db_path);
          return status;
        }
    }

  return pd_cli_usage_error (NULL, _("There is no command “%s”; “paydesk-cli --help” lists them."),
                             argv[first]);
}
