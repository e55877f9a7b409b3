/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-setup"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-listener.h"
#include "pd-paymaster.h"
#include "pd-setup-entries.h"
#include "pd-sync-schedule.h"

/* Any GUID does for the sandbox: it talks to nobody but Paydesk. */
#define SANDBOX_MERCHANT_ID "00000000-0000-4000-8000-000000000001"

/* The settings the setup wizard's pages hold, as text is typed into them:
 * cleaned and checked here, so that the pages only show the verdict and
 * the same rules can be tested without a display. */

/**
 * pd_setup_clean_merchant_id:
 *
 * Returns: (transfer full): @text without the space or line break pasted
 *   identifiers often carry, in lower case
 */
char *
pd_setup_clean_merchant_id (const char *text)
{
  g_autofree char *copy = g_strdup (text);

  return g_ascii_strdown (g_strstrip (copy), -1);
}

/* Whether @text is a port number from 1 to 65535, which goes to @port. */
gboolean
pd_setup_parse_port (const char *text,
                     guint      *port)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (copy, 10, 1, 65535, &value, NULL))
    return FALSE;
  *port = (guint) value;
  return TRUE;
}

/**
 * pd_setup_clean_public_url:
 *
 * Returns: (transfer full): @text without surrounding space or trailing
 *   slashes, so that the endpoints append to it
 */
char *
pd_setup_clean_public_url (const char *text)
{
  char *url = g_strstrip (g_strdup (text));
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return url;
}

/* An http or https address with a host, and maybe a path for a reverse
 * proxy; @loopback says whether only this computer can reach it. */
gboolean
pd_setup_public_url_is_valid (const char *url,
                              gboolean   *loopback)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme;
  const char *host;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      host == NULL || *host == '\0' || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    return FALSE;

  if (loopback != NULL)
    *loopback = g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_prefix (host, "127.") ||
              g_strcmp0 (host, "::1") == 0;
  return TRUE;
}

/* This computer's address for a listener on @port. */
char *
pd_setup_local_url (guint port)
{
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* The port @shop listens on and whether other computers may connect;
 * Paydesk's defaults without a @shop, or with a listen address it cannot read. */
void
pd_setup_read_listen (const PdShop *shop,
                      guint        *port,
                      gboolean     *all_interfaces)
{
  g_autoptr(GSocketAddress) address = NULL;
  GInetSocketAddress *inet;

  *port = PD_SETUP_DEFAULT_PORT;
  *all_interfaces = TRUE;
  if (shop != NULL)
    address = pd_parse_listen_address (shop->listen, NULL);
  if (address == NULL)
    return;
  inet = G_INET_SOCKET_ADDRESS (address);
  *port = g_inet_socket_address_get_port (inet);
  *all_interfaces = !g_inet_address_get_is_loopback (g_inet_socket_address_get_address (inet));
}

/* Whether PayMaster has to find Paydesk at a public address: not when
 * Paydesk only checks by itself and the links send no address of their
 * own to PayMaster. A REST v2 invoice always carries its callback URL. */
gboolean
pd_setup_public_url_needed (const PdSetupEntries *entries)
{
  return entries->mode == PD_SHOP_MODE_SANDBOX || entries->protocol == PD_PROTOCOL_V2 ||
         g_strcmp0 (entries->sync_mode, PD_SYNC_MODE_POLLING) != 0;
}

/* Whether Paydesk asks PayMaster by itself in @sync_mode, which then
 * needs an API user. */
gboolean
pd_setup_sync_mode_checks (const char *sync_mode)
{
  return sync_mode != NULL && g_strcmp0 (sync_mode, PD_SYNC_MODE_NOTIFICATIONS) != 0;
}

/**
 * pd_setup_clean_api_login:
 *
 * Returns: (transfer full): @text without surrounding space
 */
char *
pd_setup_clean_api_login (const char *text)
{
  return g_strstrip (g_strdup (text ? text : ""));
}

/**
 * pd_setup_api_user_problem:
 * @password_stored: whether the keyring has this site's API password,
 *   which an empty password then keeps
 *
 * Returns: (nullable): what to enter for checking with PayMaster, or
 *   %NULL when nothing is missing
 */
const char *
pd_setup_api_user_problem (const PdSetupEntries *entries,
                           gboolean              password_stored)
{
  g_autofree char *login = NULL;

  /* REST API v2 asks PayMaster with the site's token. */
  if (!pd_setup_sync_mode_checks (entries->sync_mode) || entries->protocol == PD_PROTOCOL_V2)
    return NULL;
  login = pd_setup_clean_api_login (entries->api_login);
  if (*login == '\0')
    return _("Enter the login of the API user you created in the PayMaster cabinet: Checking needs it.");
  if ((entries->api_password == NULL || *entries->api_password == '\0') && !password_stored)
    return _("Enter the password of the API user: Checking needs it.");
  return NULL;
}

/* A few words on what @protocol is, short enough to sit beside the
 * choice at 360 pixels. */
const char *
pd_setup_describe_protocol (PdProtocol protocol)
{
  if (protocol == PD_PROTOCOL_V2)
    return _("REST API v2: invoices made with a token");
  return _("Payment form and signed notifications");
}

/**
 * pd_setup_clean_api_token:
 *
 * Returns: (transfer full): @text without the surrounding space or line
 *   break a pasted token often carries
 */
char *
pd_setup_clean_api_token (const char *text)
{
  return g_strstrip (g_strdup (text ? text : ""));
}

/* A bearer token is one word of visible ASCII (RFC 6750); anything else
 * was copied by mistake, and would not even fit in an HTTP header. */
gboolean
pd_setup_api_token_is_valid (const char *token)
{
  if (token == NULL || *token == '\0')
    return FALSE;
  for (const char *p = token; *p != '\0'; p++)
    if (*p <= ' ' || *p > '~')
      return FALSE;
  return TRUE;
}

/**
 * pd_setup_api_token_problem:
 * @token_stored: whether the keyring has this site's API token, which an
 *   empty token then keeps
 *
 * Returns: (nullable): what to enter for REST API v2, or %NULL when
 *   nothing is missing (the sandbox has a token of its own)
 */
const char *
pd_setup_api_token_problem (const PdSetupEntries *entries,
                            gboolean              token_stored)
{
  g_autofree char *token = NULL;

  if (entries->protocol != PD_PROTOCOL_V2)
    return NULL;
  token = pd_setup_clean_api_token (entries->api_token);
  if (*token == '\0')
    return token_stored || entries->mode == PD_SHOP_MODE_SANDBOX
           ? NULL : _("Enter the API token from the PayMaster cabinet: REST API v2 needs it.");
  if (!pd_setup_api_token_is_valid (token))
    return _("The API token has a space or a character that PayMaster’s tokens do not have: copy it "
             "again from the PayMaster cabinet.");
  return NULL;
}

/**
 * pd_setup_build_shop:
 * @entries: the settings as entered
 * @current: (nullable): the settings Paydesk has, if any
 *
 * Returns: (transfer full): the settings to save
 */
PdShop *
pd_setup_build_shop (const PdSetupEntries *entries,
                     const PdShop         *current)
{
  PdShop *shop = pd_shop_new ();

  g_free (shop->listen);
  shop->listen = g_strdup_printf ("%s:%u", entries->all_interfaces ? "0.0.0.0" : "127.0.0.1",
                                  entries->port);
  shop->public_url = pd_setup_clean_public_url (entries->public_url);
  shop->mode = entries->mode;
  shop->protocol = entries->protocol;

  if (entries->mode == PD_SHOP_MODE_SANDBOX)
    {
      shop->hash_alg = PD_HASH_SHA256;
      shop->merchant_id = g_strdup (current && current->mode == PD_SHOP_MODE_SANDBOX
                                      ? current->merchant_id : SANDBOX_MERCHANT_ID);
      /* The built-in sandbox answers at the listener's own address. */
      g_free (shop->paymaster_url);
      shop->paymaster_url = pd_shop_endpoint_url (shop, PD_PATH_SANDBOX);
    }
  else
    {
      shop->hash_alg = entries->hash_alg;
      shop->merchant_id = pd_setup_clean_merchant_id (entries->merchant_id);
      /* Keep a PayMaster address set up from the command line. */
      if (current != NULL && current->mode != PD_SHOP_MODE_SANDBOX)
        {
          g_free (shop->paymaster_url);
          shop->paymaster_url = g_strdup (current->paymaster_url);
        }
    }

  return shop;
}
