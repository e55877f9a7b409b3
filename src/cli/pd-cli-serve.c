/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-cli"

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-cli.h"
#include "pd-listener.h"
#include "pd-paymaster.h"
#include "pd-sandbox.h"
#include "pd-secrets.h"

typedef struct
{
  GMainLoop  *loop;
  PdListener *listener;
  gboolean    stopping;
} Serve;

static void
listener_shut_down_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Serve *serve = user_data;

  pd_listener_shutdown_finish (PD_LISTENER (object), result, NULL);
  g_main_loop_quit (serve->loop);
}

static gboolean
stop_cb (gpointer user_data)
{
  Serve *serve = user_data;

  if (!serve->stopping)
    {
      serve->stopping = TRUE;
      if (serve->listener != NULL)
        pd_listener_shutdown_async (serve->listener, NULL, listener_shut_down_cb, serve);
      else
        g_main_loop_quit (serve->loop);
    }
  return G_SOURCE_CONTINUE;
}

/* Under load the writer thread frees, a commit at a time, much of what the
 * main thread allocated. glibc's default then hands those pages back to
 * the kernel after nearly every commit, and each hand-back interrupts
 * every core; keeping a few megabytes in reserve avoids that. */
static void
tune_allocator_for_serving (void)
{
#ifdef __GLIBC__
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  mallopt (M_TOP_PAD, 16 * 1024 * 1024);
#endif
}

static void
announce (SoupServer *server)
{
  g_autofree char *uri = pd_soup_server_get_uri (server);

  g_print ("listening on %s\n", uri);
  fflush (stdout);
}

/* Runs the main loop until SIGINT or SIGTERM; returns after every request
 * that was waiting for a commit has been answered. */
static void
run_until_signalled (Serve *serve)
{
  guint sigint = g_unix_signal_add (SIGINT, stop_cb, serve);
  guint sigterm = g_unix_signal_add (SIGTERM, stop_cb, serve);

  g_main_loop_run (serve->loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
}

int
pd_cli_serve (PdCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *secret_file = NULL;
  g_autofree char *token_file = NULL;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Where to listen (default: the address given to setup)"), N_("HOST:PORT") },
    { "secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file, N_("Read the secret key from FILE instead of the keyring"), N_("FILE") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("Read the REST API v2 token from FILE instead of the keyring"), N_("FILE") },
    { NULL }
  };
  g_autofree char *path = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdShop) shop = NULL;
  g_autoptr(PdStore) store = NULL;
  g_autoptr(PdListener) listener = NULL;
  g_autoptr(PdSandbox) sandbox = NULL;
  g_autoptr(PdPaymasterApi) api = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  Serve serve = { NULL };

  if (!pd_cli_parse_options ("serve", NULL, _("Runs the listener PayMaster calls, until SIGINT or SIGTERM."),
                             entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (argc > 1)
    return pd_cli_usage_error ("serve", _("Unexpected argument “%s”."), argv[1]);

  path = pd_cli_database_path (globals);
  if ((db = pd_database_open (path, PD_DATABASE_READ_WRITE, &error)) == NULL ||
      (shop = pd_catalog_load_shop (db, &error)) == NULL)
    return pd_cli_fail (error);
  /* REST v2 callbacks are confirmed with the token. */
  if (shop->protocol == PD_PROTOCOL_V2 &&
      (api = pd_cli_open_api (db, shop, token_file, &error)) == NULL)
    return pd_cli_fail (error);
  g_clear_pointer (&db, pd_database_close);

  secret = secret_file ? pd_secrets_read_file (secret_file, &error)
                       : pd_secrets_lookup_key (shop->merchant_id, NULL, &error);
  if (secret == NULL)
    return pd_cli_fail (error);

  tune_allocator_for_serving ();
  if ((store = pd_store_open (path, &error)) == NULL)
    return pd_cli_fail (error);

  listener = pd_listener_new (store, shop, secret);
  pd_listener_set_api (listener, api);
  if (shop->mode == PD_SHOP_MODE_SANDBOX)
    {
      g_auto(GStrv) paths = NULL;

      sandbox = pd_sandbox_new (shop->hash_alg, secret, TRUE);
      pd_sandbox_set_api_token (sandbox, PD_SANDBOX_API_TOKEN);
      paths = pd_sandbox_attach (sandbox, pd_listener_get_server (listener), PD_PATH_SANDBOX);
      for (guint i = 0; paths[i]; i++)
        pd_listener_protect_path (listener, paths[i]);
    }

  if (!pd_listener_listen (listener, listen ? listen : shop->listen, &error))
    {
      pd_store_close (store);
      return pd_cli_fail (error);
    }

  loop = g_main_loop_new (NULL, FALSE);
  serve.loop = loop;
  serve.listener = listener;
  announce (pd_listener_get_server (listener));
  run_until_signalled (&serve);

  /* Every answered request is committed; this only waits for the events
   * of refused requests, which are recorded without holding an answer. */
  pd_store_close (store);
  return PD_EXIT_OK;
}

int
pd_cli_sandbox (PdCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *secret_file = NULL;
  g_autofree char *site_mode = NULL;
  g_autofree char *api_login = NULL;
  g_autofree char *api_password_file = NULL;
  g_autofree char *token_file = NULL;
  gboolean no_notify = FALSE;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Where to listen"), N_("HOST:PORT") },
    { "hash", 0, 0, G_OPTION_ARG_STRING, &hash, N_("The signature type: md5, sha1 or sha256"), N_("ALG") },
    { "secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file, N_("Read the secret key from FILE instead of standard input"), N_("FILE") },
    { "site-mode", 0, 0, G_OPTION_ARG_STRING, &site_mode, N_("Play a site in test (default) or working mode"), N_("MODE") },
    { "no-notify", 0, 0, G_OPTION_ARG_NONE, &no_notify, N_("Take payments without calling the shop, as when it cannot be reached"), NULL },
    { "api-login", 0, 0, G_OPTION_ARG_STRING, &api_login, N_("Serve the classic status API to this API user"), N_("LOGIN") },
    { "api-password-file", 0, 0, G_OPTION_ARG_FILENAME, &api_password_file, N_("The API user's password, in FILE"), N_("FILE") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("Serve the REST API v2 to the token in FILE (default: the sandbox token)"), N_("FILE") },
    { NULL }
  };
  g_autofree char *token = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(PdSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  PdHashAlg alg;
  gboolean test_site = TRUE;
  Serve serve = { NULL };

  if (!pd_cli_parse_options ("sandbox", NULL, _("Runs a local PayMaster: a checkout page that sends "
                                                "signed callbacks to the shop in the payment link, "
                                                "and its classic status API and REST API v2."),
                             entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (argc > 1)
    return pd_cli_usage_error ("sandbox", _("Unexpected argument “%s”."), argv[1]);
  if (listen == NULL || hash == NULL)
    return pd_cli_usage_error ("sandbox", _("--listen and --hash are required."));
  if (!pd_hash_alg_from_string (hash, &alg))
    return pd_cli_usage_error ("sandbox", _("The signature type “%s” is not md5, sha1 or sha256."), hash);
  if (site_mode != NULL && !g_str_equal (site_mode, "test") && !g_str_equal (site_mode, "working"))
    return pd_cli_usage_error ("sandbox", _("The site mode “%s” is not test or working."), site_mode);
  test_site = site_mode == NULL || g_str_equal (site_mode, "test");
  if ((address = pd_parse_listen_address (listen, &error)) == NULL)
    return pd_cli_usage_error ("sandbox", "%s", error->message);

  if ((secret = pd_cli_read_secret (secret_file, &error)) == NULL)
    return pd_cli_fail (error);
  if (*secret == '\0')
    return pd_cli_usage_error ("sandbox", _("The secret key is empty: give it on standard input or "
                                            "with --secret-file."));

  if ((api_login == NULL) != (api_password_file == NULL))
    return pd_cli_usage_error ("sandbox", _("--api-login and --api-password-file go together."));
  token = token_file ? pd_secrets_read_file (token_file, &error) : g_strdup (PD_SANDBOX_API_TOKEN);
  if (token == NULL)
    return pd_cli_fail (error);

  server = soup_server_new ("server-header", "Paydesk-Sandbox", NULL);
  sandbox = pd_sandbox_new (alg, secret, test_site);
  pd_sandbox_set_api_token (sandbox, token);
  pd_sandbox_set_delivers_notifications (sandbox, !no_notify);
  if (api_login != NULL)
    {
      g_autofree char *api_password = pd_secrets_read_file (api_password_file, &error);

      if (api_password == NULL)
        return pd_cli_fail (error);
      pd_sandbox_set_api_user (sandbox, api_login, api_password);
    }
  g_strfreev (pd_sandbox_attach (sandbox, server, ""));
  if (!soup_server_listen (server, address, 0, &error))
    {
      g_prefix_error (&error, _("Cannot listen on %s: "), listen);
      return pd_cli_fail (error);
    }

  loop = g_main_loop_new (NULL, FALSE);
  serve.loop = loop;
  announce (server);
  run_until_signalled (&serve);
  return PD_EXIT_OK;
}
