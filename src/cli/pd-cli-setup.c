/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-cli.h"
#include "pd-listener.h"
#include "pd-paymaster.h"
#include "pd-secrets.h"
#include "pd-setup-entries.h"

/* One line of standard input, without echo on a terminal. */
static char *
read_secret_from_stdin (PdSecretKind   kind,
                        GError       **error)
{
  g_autoptr(GString) secret = g_string_new (NULL);
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  int c;

  if (tty)
    {
      g_printerr ("%s", kind == PD_SECRET_API_TOKEN ? _("PayMaster API token: ")
                                                    : _("PayMaster secret key: "));
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (secret, (char) c);

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      g_printerr ("\n");
    }

  if (secret->len > 0 && secret->str[secret->len - 1] == '\r')
    g_string_truncate (secret, secret->len - 1);

  if (!g_utf8_validate (secret->str, (gssize) secret->len, NULL) || strlen (secret->str) != secret->len)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           kind == PD_SECRET_API_TOKEN
                             ? _("The API token is not text: paste it as shown in the PayMaster cabinet.")
                             : _("The secret key is not text: paste it as shown in the PayMaster cabinet."));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&secret), FALSE);
}

char *
pd_cli_read_secret (const char  *secret_file,
                    GError     **error)
{
  if (secret_file != NULL)
    return pd_secrets_read_file (secret_file, error);
  return read_secret_from_stdin (PD_SECRET_KEY, error);
}

static gboolean
check_url (const char  *option,
           const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
      (g_str_equal (g_uri_get_scheme (uri), "http") || g_str_equal (g_uri_get_scheme (uri), "https")) &&
      g_uri_get_query (uri) == NULL)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("%s “%s” is not a web address: write it as https://example.org or "
                 "http://203.0.113.5:8080."), option, url);
  return FALSE;
}

static char *
strip_trailing_slashes (const char *url)
{
  char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}

/* The protocol and signature type the database has, for what the command
 * line leaves out: classic and SHA256 for a new setup. */
static gboolean
read_current (PdDatabase  *db,
              PdProtocol  *protocol,
              PdHashAlg   *hash_alg,
              GError     **error)
{
  GError *local_error = NULL;
  g_autofree char *current_protocol = pd_catalog_get_setting (db, "protocol", &local_error);
  g_autofree char *current_hash = NULL;

  if (local_error == NULL)
    current_hash = pd_catalog_get_setting (db, "hash_alg", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (current_protocol == NULL || !pd_protocol_from_string (current_protocol, protocol))
    *protocol = PD_PROTOCOL_CLASSIC;
  if (current_hash == NULL || !pd_hash_alg_from_string (current_hash, hash_alg))
    *hash_alg = PD_HASH_SHA256;
  return TRUE;
}

/* The REST API v2 token, or NULL after printing why there is none. The
 * sandbox has one of its own. */
static char *
read_api_token (const PdShop  *shop,
                const char    *token_file,
                int           *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *token = NULL;
  PdSetupEntries entries = { .mode = shop->mode, .protocol = PD_PROTOCOL_V2 };
  const char *problem;

  if (token_file != NULL)
    text = pd_secrets_read_file_for (PD_SECRET_API_TOKEN, token_file, &error);
  else if (shop->mode == PD_SHOP_MODE_SANDBOX)
    text = g_strdup (PD_SANDBOX_API_TOKEN);
  else
    text = read_secret_from_stdin (PD_SECRET_API_TOKEN, &error);
  if (text == NULL)
    {
      *status = pd_cli_fail (error);
      return NULL;
    }

  token = pd_setup_clean_api_token (text);
  if (*token == '\0')
    {
      *status = pd_cli_usage_error ("setup", _("The API token is empty: give the token from the PayMaster "
                                               "cabinet on standard input or with --token-file."));
      return NULL;
    }
  entries.api_token = token;
  if ((problem = pd_setup_api_token_problem (&entries, FALSE)) != NULL)
    {
      *status = pd_cli_usage_error ("setup", "%s", problem);
      return NULL;
    }
  return g_steal_pointer (&token);
}

/* Stores the secret key for a shop on REST API v2, which signs nothing
 * with it: the key from @secret_file, else the one the keyring has, else
 * one made up, which nobody can sign a classic notification with. */
static gboolean
store_v2_secret (const PdShop  *shop,
                 const char    *secret_file,
                 GError       **error)
{
  g_autofree char *secret = NULL;
  GError *local_error = NULL;

  if (secret_file != NULL)
    {
      if ((secret = pd_secrets_read_file (secret_file, error)) == NULL)
        return FALSE;
    }
  else
    {
      g_autofree char *stored = pd_secrets_lookup_key (shop->merchant_id, NULL, &local_error);

      if (stored != NULL)
        return TRUE;
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      g_clear_error (&local_error);
      secret = g_uuid_string_random ();
    }
  return pd_secrets_store_key (shop->merchant_id, secret, NULL, error);
}

/* The classic secret key, from @secret_file or standard input, or NULL
 * after printing why there is none. */
static char *
read_classic_secret (const PdShop  *shop,
                     const char    *secret_file,
                     int           *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = pd_cli_read_secret (secret_file, &error);

  if (secret == NULL)
    {
      *status = pd_cli_fail (error);
      return NULL;
    }
  if (*secret == '\0')
    {
      if (shop->mode != PD_SHOP_MODE_SANDBOX)
        {
          *status = pd_cli_usage_error ("setup", _("The secret key is empty: give it on standard input "
                                                   "or with --secret-file."));
          return NULL;
        }
      /* The sandbox signs with whatever key it is given; make one up. */
      g_free (secret);
      secret = g_uuid_string_random ();
    }
  return g_steal_pointer (&secret);
}

static void
print_urls (const PdShop *shop)
{
  if (shop->protocol == PD_PROTOCOL_V2)
    {
      g_autofree char *callback = pd_shop_endpoint_url (shop, PD_PATH_CALLBACK);
      g_autofree char *success = pd_shop_endpoint_url (shop, PD_PATH_SUCCESS);

      g_print (_("Paydesk is set up for %s (REST API v2, %s mode).\n"), shop->merchant_id,
               pd_shop_mode_to_string (shop->mode));
      g_print (_("Callback URL: %s\n"), callback);
      g_print (_("Return URL: %s\n"), success);
    }
  else
    {
      g_autofree char *notify = pd_shop_endpoint_url (shop, PD_PATH_NOTIFY);
      g_autofree char *success = pd_shop_endpoint_url (shop, PD_PATH_SUCCESS);
      g_autofree char *failure = pd_shop_endpoint_url (shop, PD_PATH_FAILURE);

      g_print (_("Paydesk is set up for %s (classic protocol, %s, %s mode).\n"), shop->merchant_id,
               pd_hash_alg_to_string (shop->hash_alg), pd_shop_mode_to_string (shop->mode));
      g_print (_("Invoice Confirmation URL: %s\n"), notify);
      g_print (_("Payment Notification URL: %s\n"), notify);
      g_print (_("Success URL: %s\n"), success);
      g_print (_("Failure URL: %s\n"), failure);
    }
}

int
pd_cli_setup (PdCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  g_autofree char *merchant_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *secret_file = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *paymaster_url = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *api_login = NULL;
  g_autofree char *api_password_file = NULL;
  GOptionEntry entries[] = {
    { "merchant-id", 0, 0, G_OPTION_ARG_STRING, &merchant_id, N_("The site's Identifier from the PayMaster cabinet"), N_("ID") },
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol, N_("classic (payment form, signed notifications) or v2 (REST API v2 with a token); default: as set up before, else classic"), N_("PROTOCOL") },
    { "hash", 0, 0, G_OPTION_ARG_STRING, &hash, N_("The signature type of the classic protocol: md5, sha1 or sha256"), N_("ALG") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, N_("live (working mode), test (test mode) or sandbox (no PayMaster at all)"), N_("MODE") },
    { "secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file, N_("Read the secret key from FILE instead of standard input (v2 needs none)"), N_("FILE") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("v2: read the API token from FILE instead of standard input"), N_("FILE") },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url, N_("The address PayMaster calls (default: http://LISTEN)"), N_("URL") },
    { "paymaster-url", 0, 0, G_OPTION_ARG_STRING, &paymaster_url, N_("PayMaster's address (default: https://paymaster.ru, or the built-in sandbox)"), N_("URL") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Where the listener binds (default: 127.0.0.1:8080)"), N_("HOST:PORT") },
    { "api-login", 0, 0, G_OPTION_ARG_STRING, &api_login, N_("The login of the API user that “sync” asks PayMaster's status API with"), N_("LOGIN") },
    { "api-password-file", 0, 0, G_OPTION_ARG_FILENAME, &api_password_file, N_("Read the API user's password from FILE"), N_("FILE") },
    { NULL }
  };
  g_autoptr(PdShop) shop = pd_shop_new ();
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *api_token = NULL;
  g_autofree char *api_password = NULL;
  PdProtocol current_protocol;
  PdHashAlg current_hash;
  int status = PD_EXIT_OK;

  if (!pd_cli_parse_options ("setup", NULL, _("Connects Paydesk to a PayMaster site. The secret key and "
                                              "the API token go to the keyring, never to the database."),
                             entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;

  if (argc > 1)
    return pd_cli_usage_error ("setup", _("Unexpected argument “%s”."), argv[1]);
  if (merchant_id == NULL || mode == NULL)
    return pd_cli_usage_error ("setup", _("--merchant-id and --mode are required."));
  if ((api_login == NULL) != (api_password_file == NULL))
    return pd_cli_usage_error ("setup", _("--api-login and --api-password-file go together."));
  if (!pd_shop_merchant_id_is_valid (merchant_id))
    return pd_cli_usage_error ("setup", _("The identifier “%s” is not valid: copy it from the PayMaster "
                                          "cabinet; it looks like ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6."),
                               merchant_id);
  if (hash != NULL && !pd_hash_alg_from_string (hash, &shop->hash_alg))
    return pd_cli_usage_error ("setup", _("The signature type “%s” is not md5, sha1 or sha256."), hash);
  if (!pd_shop_mode_from_string (mode, &shop->mode))
    return pd_cli_usage_error ("setup", _("The mode “%s” is not live, test or sandbox."), mode);
  if (protocol != NULL && !pd_protocol_from_string (protocol, &shop->protocol))
    return pd_cli_usage_error ("setup", _("The protocol “%s” is not classic or v2."), protocol);

  if (listen != NULL)
    {
      g_free (shop->listen);
      shop->listen = g_strdup (listen);
    }
  if ((address = pd_parse_listen_address (shop->listen, &error)) == NULL)
    return pd_cli_usage_error ("setup", "%s", error->message);

  shop->merchant_id = g_ascii_strdown (merchant_id, -1);
  shop->public_url = public_url ? strip_trailing_slashes (public_url)
                                : g_strdup_printf ("http://%s", shop->listen);
  if (paymaster_url != NULL)
    {
      g_free (shop->paymaster_url);
      shop->paymaster_url = strip_trailing_slashes (paymaster_url);
    }
  else if (shop->mode == PD_SHOP_MODE_SANDBOX)
    {
      g_free (shop->paymaster_url);
      shop->paymaster_url = pd_shop_endpoint_url (shop, PD_PATH_SANDBOX);
    }

  if (!check_url ("--public-url", shop->public_url, &error) ||
      !check_url ("--paymaster-url", shop->paymaster_url, &error))
    return pd_cli_usage_error ("setup", "%s", error->message);

  /* Open the database first so that a broken one changes nothing, not even
   * the keyring. */
  if ((db = pd_cli_open_database (globals, &error)) == NULL ||
      !read_current (db, &current_protocol, &current_hash, &error))
    return pd_cli_fail (error);
  if (protocol == NULL)
    shop->protocol = current_protocol;

  if (shop->protocol == PD_PROTOCOL_CLASSIC)
    {
      if (hash == NULL)
        return pd_cli_usage_error ("setup", _("--hash is required for the classic protocol."));
      if (token_file != NULL)
        return pd_cli_usage_error ("setup", _("--token-file goes with --protocol v2."));
      if ((secret = read_classic_secret (shop, secret_file, &status)) == NULL)
        return status;
    }
  else
    {
      if (hash == NULL)
        shop->hash_alg = current_hash;
      if ((api_token = read_api_token (shop, token_file, &status)) == NULL)
        return status;
    }
  if (api_password_file != NULL &&
      (api_password = pd_secrets_read_file_for (PD_SECRET_API_PASSWORD, api_password_file, &error)) == NULL)
    return pd_cli_fail (error);

  /* The token first: a keyring that refuses it leaves the key and the
   * settings as they were. */
  if (api_token != NULL)
    {
      if (!pd_secrets_store (PD_SECRET_API_TOKEN, shop->merchant_id, api_token, NULL, &error) ||
          !store_v2_secret (shop, secret_file, &error))
        return pd_cli_fail (error);
    }
  else if (!pd_secrets_store_key (shop->merchant_id, secret, NULL, &error))
    {
      /* A headless server often has no keyring; the key it was given in a
       * file can stay there, for `serve --secret-file`. */
      if (secret_file == NULL)
        return pd_cli_fail (error);
      g_printerr (_("paydesk-cli: the keyring is not available, so the secret key stays only in %s: "
                    "start the listener with “paydesk-cli serve --secret-file %s”.\n"),
                  secret_file, secret_file);
      g_clear_error (&error);
    }

  if (api_password != NULL &&
      !pd_secrets_store (PD_SECRET_API_PASSWORD, shop->merchant_id, api_password, NULL, &error))
    return pd_cli_fail (error);

  if (!pd_catalog_save_shop (db, shop, &error) ||
      (api_login != NULL && !pd_catalog_set_setting (db, "api_login", api_login, &error)))
    return pd_cli_fail (error);

  print_urls (shop);
  return PD_EXIT_OK;
}
