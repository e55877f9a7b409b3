/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-catalog.h"
#include "pd-form.h"
#include "pd-money.h"
#include "pd-paymaster.h"
#include "pd-sandbox.h"
#include "pd-secrets.h"
#include "pd-service.h"
#include "pd-setup-check.h"
#include "pd-sync-schedule.h"
#include "pd-test-integration.h"

/* The setup wizard's check without the wizard: a PdSetupCheck on a fresh
 * database saves a sandbox shop on a free loopback port and follows its
 * test invoice while the test plays the merchant's browser (the checkout
 * page and its Pay button), a PayMaster that signs the wrong way, one that
 * never calls, and another program sitting on the port; the same for
 * REST API v2, whose callbacks are confirmed with the token. A site whose
 * payments arrive by Checking only is checked against a sandbox of the
 * test's own that calls nobody, as PayMaster cannot call a shop with no
 * public address. */

#define MERCHANT_ID  "00000000-0000-4000-8000-000000000001"
#define API_LOGIN    "api-user"
#define API_PASSWORD "api-password"
#define API_TOKEN    "remote-sandbox-token"

/* A PayMaster site on a PayMaster of the test's own. */
typedef struct
{
  PdProtocol   protocol;
  const char  *sync_mode;      /* NULL: PayMaster calls the shop */
  const char  *api_password;   /* what the check is given */
  const char  *api_token;
  PdSetupFix   fix;            /* of a check that fails */
  const char  *reason;         /* a few words of why */
} Remote;

typedef struct
{
  char         *dir;
  char         *db_path;
  char         *secret;
  PdShop       *shop;
  PdService    *service;
  PdSetupCheck *check;
  guint16       port;
  guint         n_step_changes;

  SoupServer   *server;    /* the test's own PayMaster, if any */
  PdSandbox    *sandbox;
  char         *sandbox_url;
} Fixture;

/* A port nobody listens on right now; good enough on loopback. */
static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any_port, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Every step-changed agrees with what the getters say. */
static void
step_changed_cb (PdSetupCheck     *check,
                 PdSetupStep       step,
                 PdSetupStepState  state,
                 const char       *detail,
                 Fixture          *fixture)
{
  g_assert_cmpint (pd_setup_check_get_step_state (check, step), ==, state);
  g_assert_cmpstr (pd_setup_check_get_step_detail (check, step), ==, detail);
  fixture->n_step_changes++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("paydesk-test-setup-check-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "paydesk.db", NULL);

  /* As the wizard builds a sandbox shop. */
  fixture->port = free_port ();
  fixture->secret = g_uuid_string_random ();
  fixture->shop = pd_shop_new ();
  fixture->shop->merchant_id = g_strdup (MERCHANT_ID);
  fixture->shop->mode = PD_SHOP_MODE_SANDBOX;
  fixture->shop->hash_alg = PD_HASH_SHA256;
  g_free (fixture->shop->listen);
  fixture->shop->listen = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  fixture->shop->public_url = g_strdup_printf ("http://127.0.0.1:%u", fixture->port);
  g_free (fixture->shop->paymaster_url);
  fixture->shop->paymaster_url = pd_shop_endpoint_url (fixture->shop, PD_PATH_SANDBOX);

  fixture->service = pd_service_new (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_false (pd_service_is_set_up (fixture->service));

  fixture->check = pd_setup_check_new (fixture->service);
  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_IDLE);
  g_assert_null (pd_setup_check_get_payment_url (fixture->check));
  g_signal_connect (fixture->check, "step-changed", G_CALLBACK (step_changed_cb), fixture);
}

/* A PayMaster site in test mode on a sandbox of its own port. Paid by
 * Checking only, the site has no public address and the sandbox calls
 * nobody, as behind NAT; otherwise the sandbox calls the listener. */
static void
fixture_setup_remote (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const Remote *remote = user_data;
  PdSetupEntries entries = {
    .sync_mode = remote->sync_mode,
    .api_login = API_LOGIN,
    .api_password = remote->api_password,
    .protocol = remote->protocol,
  };

  fixture_setup (fixture, NULL);

  fixture->server = soup_server_new (NULL, NULL);
  fixture->sandbox = pd_sandbox_new (PD_HASH_SHA256, fixture->secret, TRUE);
  g_strfreev (pd_sandbox_attach (fixture->sandbox, fixture->server, ""));
  pd_sandbox_set_delivers_notifications (fixture->sandbox, remote->sync_mode == NULL);
  pd_sandbox_set_retry_delay (fixture->sandbox, 100);
  pd_sandbox_set_api_user (fixture->sandbox, API_LOGIN, API_PASSWORD);
  pd_sandbox_set_api_token (fixture->sandbox, API_TOKEN);
  fixture->sandbox_url = pd_test_server_listen (fixture->server);

  fixture->shop->mode = PD_SHOP_MODE_TEST;
  fixture->shop->protocol = remote->protocol;
  g_free (fixture->shop->paymaster_url);
  fixture->shop->paymaster_url = g_strdup (fixture->sandbox_url);
  /* REST v2 sends a callback address with every invoice, even one that
   * nobody answers at; classic links need none. */
  if (remote->sync_mode != NULL)
    {
      g_clear_pointer (&fixture->shop->public_url, g_free);
      if (remote->protocol == PD_PROTOCOL_V2)
        fixture->shop->public_url = g_strdup ("http://127.0.0.1:9");
      pd_setup_check_set_sync (fixture->check, &entries);
    }
}

static gboolean
is_gone (gconstpointer data)
{
  return *(gpointer const *) data == NULL;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  /* Whatever the check started comes back, and then it goes. */
  g_signal_handlers_disconnect_by_data (fixture->check, fixture);
  g_object_add_weak_pointer (G_OBJECT (fixture->check), (gpointer *) &fixture->check);
  g_object_unref (fixture->check);
  g_assert_true (pd_test_wait_for (is_gone, &fixture->check, PD_TEST_WAIT_SECONDS));

  pd_service_stop (fixture->service);
  g_object_add_weak_pointer (G_OBJECT (fixture->service), (gpointer *) &fixture->service);
  g_object_unref (fixture->service);
  g_assert_true (pd_test_wait_for (is_gone, &fixture->service, PD_TEST_WAIT_SECONDS));

  if (fixture->server != NULL)
    soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->sandbox);
  g_free (fixture->sandbox_url);

  g_clear_pointer (&fixture->shop, pd_shop_free);
  g_free (fixture->secret);
  pd_test_remove_tree (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static gboolean
has_payment_url (gconstpointer data)
{
  return pd_setup_check_get_payment_url ((PdSetupCheck *) data) != NULL;
}

static gboolean
is_not_running (gconstpointer data)
{
  return pd_setup_check_get_state ((PdSetupCheck *) data) != PD_SETUP_CHECK_RUNNING;
}

static gboolean
is_passed (gconstpointer data)
{
  return pd_setup_check_get_state ((PdSetupCheck *) data) == PD_SETUP_CHECK_PASSED;
}

static gboolean
is_timed_out (gconstpointer data)
{
  return pd_setup_check_get_timed_out ((PdSetupCheck *) data);
}

static gboolean
signature_failed (gconstpointer data)
{
  return pd_setup_check_get_step_state ((PdSetupCheck *) data, PD_SETUP_STEP_SIGNATURE) ==
         PD_SETUP_STEP_FAILED;
}

/* Waits until the check that just started has issued its invoice and
 * waits for the payment; returns the invoice's number. */
static const char *
wait_for_invoice (Fixture *fixture)
{
  g_autofree char *listening = NULL;

  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_RUNNING);
  g_assert_true (pd_setup_check_get_saving (fixture->check));
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_LISTENER),
                   ==, PD_SETUP_STEP_BUSY);
  g_assert_cmpstr (pd_setup_check_get_description (fixture->check), ==, "Saving the settings…");

  g_assert_true (pd_test_wait_for (has_payment_url, fixture->check, PD_TEST_WAIT_SECONDS));
  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_RUNNING);
  g_assert_false (pd_setup_check_get_saving (fixture->check));
  g_assert_true (pd_setup_check_get_configured (fixture->check));
  g_assert_true (pd_service_is_set_up (fixture->service));
  g_assert_cmpint (pd_service_get_state (fixture->service), ==, PD_SERVICE_LISTENING);

  listening = g_strdup_printf ("Listening on http://127.0.0.1:%u", fixture->port);
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_LISTENER),
                   ==, PD_SETUP_STEP_DONE);
  g_assert_cmpstr (pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_LISTENER),
                   ==, listening);
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_PREREQUEST),
                   ==, PD_SETUP_STEP_BUSY);
  g_assert_cmpstr (pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_PREREQUEST),
                   ==, "Waiting for you to press Pay on the sandbox page…");
  g_assert_true (g_str_has_prefix (pd_setup_check_get_description (fixture->check),
                                   "Paydesk saved the settings and issued a test invoice. On its "));
  g_assert_true (g_str_has_prefix (pd_setup_check_get_payment_url (fixture->check),
                                   fixture->shop->paymaster_url));
  g_assert_nonnull (pd_setup_check_get_invoice_number (fixture->check));
  return pd_setup_check_get_invoice_number (fixture->check);
}

static const char *
start_check (Fixture *fixture)
{
  pd_setup_check_start (fixture->check, fixture->shop, fixture->secret, NULL);
  return wait_for_invoice (fixture);
}

static PdInvoice *
read_invoice (Fixture    *fixture,
              const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_ONLY, &error);
  PdInvoice *invoice;

  g_assert_no_error (error);
  invoice = pd_catalog_get_invoice (db, number, &error);
  g_assert_no_error (error);
  g_assert_nonnull (invoice);
  return invoice;
}

static PdInvoiceStatus
invoice_status (Fixture    *fixture,
                const char *number)
{
  g_autoptr(PdInvoice) invoice = read_invoice (fixture, number);

  return invoice->status;
}

/* Opens the payment link and presses Pay on the page it leads to, the
 * classic checkout or a REST v2 invoice's, as the merchant's browser would,
 * in a session of its own. */
static void
pay_in_sandbox (Fixture *fixture)
{
  const char *url = pd_setup_check_get_payment_url (fixture->check);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *origin = NULL;
  g_autoptr(SoupSession) session = pd_test_session_new ();
  g_autoptr(SoupMessage) get = soup_message_new (SOUP_METHOD_GET, url);
  g_autofree char *page = NULL;
  g_autofree char *result = NULL;

  g_assert_nonnull (uri);
  origin = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri));
  page = pd_test_send (session, get);
  g_assert_cmpuint (soup_message_get_status (get), ==, SOUP_STATUS_OK);
  if (strstr (url, "/cpay/") != NULL)
    result = pd_test_sandbox_press_cpay (session, origin, page, "pay");
  else
    result = pd_test_sandbox_press (session, origin, page, "pay");
  g_assert_nonnull (strstr (result, "Payment complete"));
}

/* Sends the listener the notification PayMaster would send for the check's
 * invoice, signed with @hash_alg; returns the HTTP status. */
static guint
post_notification (Fixture    *fixture,
                   PdHashAlg   hash_alg)
{
  g_autoptr(SoupSession) session = pd_test_session_new ();
  g_autoptr(PdForm) form = pd_form_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = pd_shop_endpoint_url (fixture->shop, PD_PATH_NOTIFY);
  g_autofree char *hash = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;

  pd_form_add (form, "LMI_MERCHANT_ID", fixture->shop->merchant_id);
  pd_form_add (form, "LMI_PAYMENT_NO", pd_setup_check_get_invoice_number (fixture->check));
  pd_form_add (form, "LMI_SYS_PAYMENT_ID", "7001");
  pd_form_add (form, "LMI_SYS_PAYMENT_DATE", "2026-11-28T10:00:00");
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", "50.00");
  pd_form_add (form, "LMI_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAID_AMOUNT", "50.00");
  pd_form_add (form, "LMI_PAID_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
  pd_form_add (form, "LMI_PAYMENT_METHOD", "Test");
  pd_form_add (form, "LMI_SIM_MODE", "0");
  hash = pd_paymaster_sign (form, hash_alg, fixture->secret);
  pd_form_add (form, "LMI_HASH", hash);

  body = pd_form_encode (form);
  msg = pd_test_post_message (url, "application/x-www-form-urlencoded", body);
  answer = pd_test_send (session, msg);
  return soup_message_get_status (msg);
}

static void
test_sandbox_paid (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *number = g_strdup (start_check (fixture));
  g_autofree char *amount = pd_money_format_display (PD_SETUP_CHECK_PRICE, "RUB");
  g_autofree char *paid = g_strdup_printf ("Invoice %s is paid: %s.", number, amount);
  g_autoptr(PdInvoice) invoice = NULL;

  invoice = read_invoice (fixture, number);
  g_assert_cmpint (invoice->status, ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (invoice->amount, ==, PD_SETUP_CHECK_PRICE);
  g_assert_cmpstr (invoice->description, ==, "Setup check");

  pay_in_sandbox (fixture);

  g_assert_true (pd_test_wait_for (is_passed, fixture->check, PD_TEST_WAIT_SECONDS));
  for (guint i = 0; i < PD_SETUP_N_STEPS; i++)
    g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, i), ==, PD_SETUP_STEP_DONE);
  g_assert_cmpstr (pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_SIGNATURE),
                   ==, "Signed with SHA256 and your secret key.");
  g_assert_cmpstr (pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_PAID), ==, paid);
  g_assert_true (g_str_has_prefix (pd_setup_check_get_description (fixture->check),
                                   "The test payment went through from start to finish."));
  g_assert_cmpint (pd_setup_check_get_fix (fixture->check), ==, PD_SETUP_FIX_NONE);
  g_assert_false (pd_setup_check_get_timed_out (fixture->check));
  g_assert_cmpint (invoice_status (fixture, number), ==, PD_INVOICE_PAID);
  g_assert_cmpuint (fixture->n_step_changes, >=, PD_SETUP_N_STEPS * 2);
}

/* The shop says SHA256, PayMaster signs with SHA1: the signature step says
 * which is which, and checking again cancels the unpaid invoice. */
static void
test_wrong_signature (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *first = g_strdup (start_check (fixture));
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GPtrArray) products = NULL;
  guint n_check_products = 0;

  g_assert_cmpuint (post_notification (fixture, PD_HASH_SHA1), ==, 403);

  g_assert_true (pd_test_wait_for (signature_failed, fixture->check, PD_TEST_WAIT_SECONDS));
  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_FAILED);
  g_assert_cmpint (pd_setup_check_get_fix (fixture->check), ==, PD_SETUP_FIX_SITE);
  reason = g_ascii_strdown (pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_SIGNATURE), -1);
  g_assert_nonnull (strstr (reason, "signed with sha1"));
  g_assert_nonnull (strstr (reason, "sha256"));
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_NOTIFICATION),
                   ==, PD_SETUP_STEP_DONE);
  /* Nobody pressed Pay, so PayMaster did not ask first. */
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_PREREQUEST),
                   ==, PD_SETUP_STEP_WARNING);
  g_assert_true (g_str_has_prefix (pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_PREREQUEST),
                                   "PayMaster did not ask first."));
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_PAID),
                   ==, PD_SETUP_STEP_PENDING);
  g_assert_cmpstr (pd_setup_check_get_description (fixture->check),
                   ==, "The step marked below says what is wrong. Fix it, then run the check again.");
  g_assert_cmpint (invoice_status (fixture, first), ==, PD_INVOICE_ISSUED);

  /* Again: a new invoice for the same product, the unpaid one cancelled. */
  pd_setup_check_restart (fixture->check);
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_SIGNATURE),
                   ==, PD_SETUP_STEP_PENDING);
  g_assert_cmpstr (wait_for_invoice (fixture), !=, first);
  g_assert_cmpint (invoice_status (fixture, first), ==, PD_INVOICE_CANCELLED);

  db = pd_database_open (fixture->db_path, PD_DATABASE_READ_ONLY, &error);
  g_assert_no_error (error);
  products = pd_catalog_list_products (db, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < products->len; i++)
    if (g_strcmp0 (((PdProduct *) products->pdata[i])->name, "Setup check") == 0)
      n_check_products++;
  g_assert_cmpuint (n_check_products, ==, 1);

  pay_in_sandbox (fixture);
  g_assert_true (pd_test_wait_for (is_passed, fixture->check, PD_TEST_WAIT_SECONDS));
}

/* Nothing calls: after the wait the check says the address cannot be
 * reached, and still completes when the payment comes after all. */
static void
test_no_request (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *number;

  g_object_set (fixture->check, "request-timeout", 1, NULL);
  g_assert_cmpuint (pd_setup_check_get_request_timeout (fixture->check), ==, 1);
  number = start_check (fixture);

  g_assert_true (pd_test_wait_for (is_timed_out, fixture->check, 10));
  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_FAILED);
  g_assert_cmpint (pd_setup_check_get_fix (fixture->check), ==, PD_SETUP_FIX_ADDRESS);
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_PREREQUEST),
                   ==, PD_SETUP_STEP_FAILED);
  g_assert_true (g_str_has_prefix (pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_PREREQUEST),
                                   "No request arrived within 1 second. Press Pay on the sandbox page"));
  g_assert_true (g_str_has_suffix (pd_setup_check_get_description (fixture->check),
                                   "Paydesk keeps listening meanwhile: if the request arrives, the "
                                   "check goes on."));

  pay_in_sandbox (fixture);
  g_assert_true (pd_test_wait_for (is_passed, fixture->check, PD_TEST_WAIT_SECONDS));
  g_assert_false (pd_setup_check_get_timed_out (fixture->check));
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_PREREQUEST),
                   ==, PD_SETUP_STEP_DONE);
  g_assert_cmpint (invoice_status (fixture, number), ==, PD_INVOICE_PAID);
}

/* Another program has the port: the listener step says so in the words
 * of the service, and the settings are saved all the same. */
static void
test_port_in_use (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, fixture->port);
  g_autofree char *port_text = g_strdup_printf ("%u", fixture->port);
  g_autoptr(GError) error = NULL;
  const char *detail;

  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (socket, &error));
  g_assert_no_error (error);

  pd_setup_check_start (fixture->check, fixture->shop, fixture->secret, NULL);
  g_assert_true (pd_test_wait_for (is_not_running, fixture->check, PD_TEST_WAIT_SECONDS));

  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_FAILED);
  g_assert_cmpint (pd_setup_check_get_fix (fixture->check), ==, PD_SETUP_FIX_ADDRESS);
  g_assert_cmpint (pd_service_get_state (fixture->service), ==, PD_SERVICE_FAILED);
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_LISTENER),
                   ==, PD_SETUP_STEP_FAILED);
  detail = pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_LISTENER);
  g_assert_cmpstr (detail, ==, pd_service_get_state_text (fixture->service));
  g_assert_nonnull (strstr (detail, port_text));
  g_assert_null (pd_setup_check_get_payment_url (fixture->check));
  g_assert_null (pd_setup_check_get_invoice_number (fixture->check));
  g_assert_false (pd_setup_check_get_saving (fixture->check));
  g_assert_true (pd_setup_check_get_configured (fixture->check));

  /* Going back to fix it leaves nothing under way. */
  pd_setup_check_cancel (fixture->check);
  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_IDLE);
}

/* Waits until the check has issued its invoice and waits for the
 * payment, whatever its flow; returns the invoice's number. */
static const char *
wait_for_link (Fixture *fixture)
{
  g_assert_true (pd_test_wait_for (has_payment_url, fixture->check, PD_TEST_WAIT_SECONDS));
  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_RUNNING);
  g_assert_false (pd_setup_check_get_saving (fixture->check));
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_LISTENER),
                   ==, PD_SETUP_STEP_DONE);
  g_assert_nonnull (pd_setup_check_get_invoice_number (fixture->check));
  return pd_setup_check_get_invoice_number (fixture->check);
}

static void
assert_step (Fixture          *fixture,
             PdSetupStep       step,
             PdSetupStepState  state,
             const char       *detail_start)
{
  const char *detail = pd_setup_check_get_step_detail (fixture->check, step);

  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, step), ==, state);
  if (detail_start != NULL && !g_str_has_prefix (detail, detail_start))
    g_error ("Step %d says “%s”, not “%s…”", step, detail, detail_start);
}

static guint
count_invoices (Fixture         *fixture,
                PdInvoiceStatus  status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_ONLY, &error);
  g_autoptr(GPtrArray) invoices = NULL;

  g_assert_no_error (error);
  invoices = pd_catalog_list_invoices (db, status, 0, &error);
  g_assert_no_error (error);
  return invoices->len;
}

/* REST API v2 in the built-in sandbox: PayMaster makes the invoice and its
 * link, nothing asks first, and the callback is confirmed with the token
 * before the invoice is paid. */
static void
test_v2_paid (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *number = NULL;
  g_autofree char *cpay = g_strconcat (fixture->shop->paymaster_url, "/cpay/", NULL);
  g_autoptr(PdInvoice) invoice = NULL;

  fixture->shop->protocol = PD_PROTOCOL_V2;
  pd_setup_check_start (fixture->check, fixture->shop, fixture->secret, PD_SANDBOX_API_TOKEN);
  g_assert_cmpstr (pd_setup_check_get_step_title (fixture->check, PD_SETUP_STEP_SIGNATURE),
                   ==, "PayMaster Confirmed the Payment");
  assert_step (fixture, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_SKIPPED,
               "Not used: with REST API v2, PayMaster does not ask before a payment.");

  number = g_strdup (wait_for_link (fixture));
  assert_step (fixture, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_SKIPPED, "Not used");
  assert_step (fixture, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_BUSY,
               "Waiting for you to press Pay on the sandbox page…");
  assert_step (fixture, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_PENDING, NULL);
  invoice = read_invoice (fixture, number);
  g_assert_true (g_str_has_prefix (invoice->paymaster_url, cpay));
  g_assert_cmpstr (pd_setup_check_get_payment_url (fixture->check), ==, invoice->paymaster_url);

  pay_in_sandbox (fixture);
  g_assert_true (pd_test_wait_for (is_passed, fixture->check, PD_TEST_WAIT_SECONDS));
  assert_step (fixture, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_SKIPPED, "Not used");
  assert_step (fixture, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_DONE, NULL);
  assert_step (fixture, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_DONE,
               "Paydesk asked PayMaster with the API token: the payment is settled.");
  assert_step (fixture, PD_SETUP_STEP_PAID, PD_SETUP_STEP_DONE, "Invoice ");
  g_assert_cmpint (pd_setup_check_get_fix (fixture->check), ==, PD_SETUP_FIX_NONE);
  g_assert_cmpint (invoice_status (fixture, number), ==, PD_INVOICE_PAID);
}

/* A token PayMaster refuses: it makes no invoice, the one Paydesk wrote
 * down is cancelled, and the check sends the merchant to the token. With
 * the right token the check goes through. */
static void
test_v2_wrong_token (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *reason;

  fixture->shop->protocol = PD_PROTOCOL_V2;
  pd_setup_check_start (fixture->check, fixture->shop, fixture->secret, "not-the-token");
  g_assert_true (pd_test_wait_for (is_not_running, fixture->check, PD_TEST_WAIT_SECONDS));

  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_FAILED);
  g_assert_cmpint (pd_setup_check_get_fix (fixture->check), ==, PD_SETUP_FIX_SITE);
  g_assert_false (pd_setup_check_get_saving (fixture->check));
  g_assert_null (pd_setup_check_get_payment_url (fixture->check));
  assert_step (fixture, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_FAILED, "PayMaster did not make invoice ");
  reason = pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_NOTIFICATION);
  g_assert_nonnull (strstr (reason, "PayMaster refused the API token: create a new token in the "
                                    "PayMaster cabinet and enter it in Paydesk."));
  g_assert_cmpuint (count_invoices (fixture, PD_INVOICE_ISSUED), ==, 0);
  g_assert_cmpuint (count_invoices (fixture, PD_INVOICE_CANCELLED), ==, 1);

  pd_setup_check_start (fixture->check, fixture->shop, fixture->secret, PD_SANDBOX_API_TOKEN);
  wait_for_link (fixture);
  pay_in_sandbox (fixture);
  g_assert_true (pd_test_wait_for (is_passed, fixture->check, PD_TEST_WAIT_SECONDS));
}

static gboolean
signature_not_pending (gconstpointer data)
{
  PdSetupStepState state = pd_setup_check_get_step_state ((PdSetupCheck *) data, PD_SETUP_STEP_SIGNATURE);

  return state != PD_SETUP_STEP_PENDING;
}

/* PayMaster stopped taking the token after the invoice was made (it was
 * replaced in the cabinet): the listener cannot confirm the callback, and
 * the check asks PayMaster itself to say which setting to fix. Once the
 * token works again, PayMaster's next try goes through. */
static void
test_v2_callback_unconfirmed (Fixture       *fixture,
                              gconstpointer  user_data)
{
  const char *number;

  pd_setup_check_start (fixture->check, fixture->shop, fixture->secret, API_TOKEN);
  number = wait_for_link (fixture);
  g_assert_true (g_str_has_prefix (pd_setup_check_get_payment_url (fixture->check), fixture->sandbox_url));
  assert_step (fixture, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_BUSY,
               "Waiting for you to pay, and for PayMaster’s callback…");

  pd_sandbox_set_api_token (fixture->sandbox, "a-newer-token");
  pay_in_sandbox (fixture);
  g_assert_true (pd_test_wait_for (signature_not_pending, fixture->check, PD_TEST_WAIT_SECONDS));
  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_FAILED);
  g_assert_cmpint (pd_setup_check_get_fix (fixture->check), ==, PD_SETUP_FIX_SITE);
  assert_step (fixture, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_DONE, NULL);
  assert_step (fixture, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_FAILED,
               "Paydesk could not confirm the callback with PayMaster: PayMaster refused the API token");
  g_assert_cmpint (invoice_status (fixture, number), ==, PD_INVOICE_ISSUED);

  pd_sandbox_set_api_token (fixture->sandbox, API_TOKEN);
  g_assert_true (pd_test_wait_for (is_passed, fixture->check, PD_TEST_WAIT_SECONDS));
  assert_step (fixture, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_DONE, "Paydesk asked PayMaster");
  g_assert_cmpint (invoice_status (fixture, number), ==, PD_INVOICE_PAID);
}

/* Checking only, with no public address: nothing calls Paydesk, and the
 * check asks PayMaster until it says the invoice is paid. */
static void
test_checking_paid (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const Remote *remote = user_data;
  PdSyncSchedule *schedule = pd_service_get_sync_schedule (fixture->service);
  g_autofree char *number = NULL;

  pd_setup_check_start (fixture->check, fixture->shop, fixture->secret, remote->api_token);
  g_assert_cmpstr (pd_setup_check_get_step_title (fixture->check, PD_SETUP_STEP_SIGNATURE),
                   ==, "PayMaster Confirmed the Payment");
  number = g_strdup (wait_for_link (fixture));
  assert_step (fixture, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_SKIPPED,
               "Not used: with Checking only, PayMaster does not call Paydesk.");
  assert_step (fixture, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_SKIPPED,
               "Not used: Paydesk asks PayMaster about the payment instead.");
  assert_step (fixture, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_BUSY,
               "Waiting for you to pay, and asking PayMaster every few seconds…");
  g_assert_true (g_str_has_prefix (pd_setup_check_get_payment_url (fixture->check), fixture->sandbox_url));
  g_assert_nonnull (strstr (pd_setup_check_get_description (fixture->check),
                            "Nothing needs to reach this computer"));
  g_assert_true (pd_sync_schedule_get_enabled (schedule));

  pay_in_sandbox (fixture);
  g_assert_true (pd_test_wait_for (is_passed, fixture->check, PD_TEST_WAIT_SECONDS));
  assert_step (fixture, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_SKIPPED, "Not used");
  assert_step (fixture, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_SKIPPED, "Not used");
  assert_step (fixture, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_DONE,
               "Paydesk asked PayMaster about the payment, and PayMaster confirmed it.");
  assert_step (fixture, PD_SETUP_STEP_PAID, PD_SETUP_STEP_DONE, "Invoice ");
  g_assert_cmpint (invoice_status (fixture, number), ==, PD_INVOICE_PAID);
  g_assert_null (pd_sync_schedule_get_error (schedule));
}

/* What PayMaster's API refuses (the API user's password, the token) fails
 * the check with PayMaster's reason and the page to fix it on. */
static void
test_checking_refused (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const Remote *remote = user_data;
  const char *reason;

  pd_setup_check_start (fixture->check, fixture->shop, fixture->secret, remote->api_token);
  g_assert_true (pd_test_wait_for (is_not_running, fixture->check, PD_TEST_WAIT_SECONDS));

  g_assert_cmpint (pd_setup_check_get_state (fixture->check), ==, PD_SETUP_CHECK_FAILED);
  g_assert_cmpint (pd_setup_check_get_fix (fixture->check), ==, remote->fix);
  g_assert_cmpint (pd_setup_check_get_step_state (fixture->check, PD_SETUP_STEP_SIGNATURE),
                   ==, PD_SETUP_STEP_FAILED);
  reason = pd_setup_check_get_step_detail (fixture->check, PD_SETUP_STEP_SIGNATURE);
  if (strstr (reason, remote->reason) == NULL)
    g_error ("“%s” does not say “%s”", reason, remote->reason);
  assert_step (fixture, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_SKIPPED, "Not used");
  assert_step (fixture, PD_SETUP_STEP_PAID, PD_SETUP_STEP_PENDING, NULL);
}

/* Notifications and checking both, while PayMaster cannot call: checking
 * finds the payment, and the check passes saying that PayMaster did not
 * call, so that the merchant looks at the address. */
static void
test_both_found_by_asking (Fixture       *fixture,
                           gconstpointer  user_data)
{
  const char *number;

  pd_sync_schedule_set_interval (pd_service_get_sync_schedule (fixture->service), 1);
  pd_setup_check_start (fixture->check, fixture->shop, fixture->secret, NULL);
  number = wait_for_link (fixture);
  assert_step (fixture, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_BUSY, "Waiting for you to pay");
  g_assert_cmpstr (pd_setup_check_get_step_title (fixture->check, PD_SETUP_STEP_SIGNATURE),
                   ==, "The Signature Is Valid");

  pay_in_sandbox (fixture);
  g_assert_true (pd_test_wait_for (is_passed, fixture->check, PD_TEST_WAIT_SECONDS));
  for (PdSetupStep step = PD_SETUP_STEP_PREREQUEST; step <= PD_SETUP_STEP_SIGNATURE; step++)
    assert_step (fixture, step, PD_SETUP_STEP_WARNING, "PayMaster did not call Paydesk before Paydesk found");
  assert_step (fixture, PD_SETUP_STEP_PAID, PD_SETUP_STEP_DONE, "Invoice ");
  g_assert_cmpint (invoice_status (fixture, number), ==, PD_INVOICE_PAID);
}

/* What the wizard's pages hold, cleaned, checked and made settings. */
static void
test_entries (void)
{
  g_autoptr(PdShop) current = pd_shop_new ();
  g_autoptr(PdShop) shop = NULL;
  g_autofree char *merchant_id = pd_setup_clean_merchant_id (" EBC4F3FE-D395-4E08-A4EF-81CA6F4E04A6\n");
  g_autofree char *public_url = pd_setup_clean_public_url (" https://pay.example.com/shop// ");
  g_autofree char *local_url = pd_setup_local_url (8081);
  PdSetupEntries entries = {
    PD_SHOP_MODE_SANDBOX, "ignored", PD_HASH_MD5, 8081, FALSE, "http://127.0.0.1:8081/",
  };
  gboolean loopback = FALSE;
  gboolean all_interfaces = FALSE;
  guint port = 0;

  g_assert_cmpstr (merchant_id, ==, "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  g_assert_cmpstr (public_url, ==, "https://pay.example.com/shop");
  g_assert_cmpstr (local_url, ==, "http://127.0.0.1:8081");

  g_assert_true (pd_setup_parse_port (" 443 ", &port));
  g_assert_cmpuint (port, ==, 443);
  g_assert_false (pd_setup_parse_port ("0", &port));
  g_assert_false (pd_setup_parse_port ("70000", &port));
  g_assert_false (pd_setup_parse_port ("80a", &port));
  g_assert_cmpuint (port, ==, 443);

  g_assert_true (pd_setup_public_url_is_valid ("https://pay.example.com/shop", &loopback));
  g_assert_false (loopback);
  g_assert_true (pd_setup_public_url_is_valid ("http://127.0.0.1:8080", &loopback));
  g_assert_true (loopback);
  g_assert_true (pd_setup_public_url_is_valid ("http://LOCALHOST", &loopback));
  g_assert_true (loopback);
  g_assert_false (pd_setup_public_url_is_valid ("", &loopback));
  g_assert_false (pd_setup_public_url_is_valid ("ftp://example.com", &loopback));
  g_assert_false (pd_setup_public_url_is_valid ("https://example.com/?a=b", &loopback));
  g_assert_false (pd_setup_public_url_is_valid ("https://example.com/#top", &loopback));
  g_assert_false (pd_setup_public_url_is_valid ("https://user@example.com", &loopback));

  /* Paydesk's defaults until it has settings. */
  pd_setup_read_listen (NULL, &port, &all_interfaces);
  g_assert_cmpuint (port, ==, PD_SETUP_DEFAULT_PORT);
  g_assert_true (all_interfaces);
  g_free (current->listen);
  current->listen = g_strdup ("127.0.0.1:9000");
  pd_setup_read_listen (current, &port, &all_interfaces);
  g_assert_cmpuint (port, ==, 9000);
  g_assert_false (all_interfaces);

  /* The sandbox: on this computer, keeping the identifier it had. */
  shop = pd_setup_build_shop (&entries, NULL);
  g_assert_cmpint (shop->mode, ==, PD_SHOP_MODE_SANDBOX);
  g_assert_cmpint (shop->hash_alg, ==, PD_HASH_SHA256);
  g_assert_cmpstr (shop->merchant_id, ==, MERCHANT_ID);
  g_assert_cmpstr (shop->listen, ==, "127.0.0.1:8081");
  g_assert_cmpstr (shop->public_url, ==, "http://127.0.0.1:8081");
  g_assert_cmpstr (shop->paymaster_url, ==, "http://127.0.0.1:8081/sandbox");
  g_clear_pointer (&shop, pd_shop_free);
  current->mode = PD_SHOP_MODE_SANDBOX;
  current->merchant_id = g_strdup ("00000000-0000-4000-8000-000000000002");
  shop = pd_setup_build_shop (&entries, current);
  g_assert_cmpstr (shop->merchant_id, ==, current->merchant_id);
  g_clear_pointer (&shop, pd_shop_free);

  /* A PayMaster site, keeping the PayMaster address set from the command
   * line only over a site. */
  entries.mode = PD_SHOP_MODE_LIVE;
  entries.merchant_id = " EBC4F3FE-D395-4E08-A4EF-81CA6F4E04A6\n";
  entries.hash_alg = PD_HASH_SHA1;
  entries.all_interfaces = TRUE;
  entries.public_url = "https://pay.example.com/";
  shop = pd_setup_build_shop (&entries, current);
  g_assert_cmpint (shop->mode, ==, PD_SHOP_MODE_LIVE);
  g_assert_cmpint (shop->hash_alg, ==, PD_HASH_SHA1);
  g_assert_cmpstr (shop->merchant_id, ==, merchant_id);
  g_assert_cmpstr (shop->listen, ==, "0.0.0.0:8081");
  g_assert_cmpstr (shop->public_url, ==, "https://pay.example.com");
  g_assert_cmpstr (shop->paymaster_url, ==, PD_DEFAULT_PAYMASTER_URL);
  g_clear_pointer (&shop, pd_shop_free);
  current->mode = PD_SHOP_MODE_TEST;
  g_free (current->paymaster_url);
  current->paymaster_url = g_strdup ("https://paymaster.example.com");
  shop = pd_setup_build_shop (&entries, current);
  g_assert_cmpstr (shop->paymaster_url, ==, "https://paymaster.example.com");
  g_assert_cmpint (shop->protocol, ==, PD_PROTOCOL_CLASSIC);
  g_clear_pointer (&shop, pd_shop_free);

  entries.protocol = PD_PROTOCOL_V2;
  shop = pd_setup_build_shop (&entries, current);
  g_assert_cmpint (shop->protocol, ==, PD_PROTOCOL_V2);
}

/* REST API v2's token: required unless stored, one word of visible ASCII;
 * the sandbox has its own, and v2 checks with it instead of an API user. */
static void
test_api_token (void)
{
  PdSetupEntries entries = { .mode = PD_SHOP_MODE_TEST, .protocol = PD_PROTOCOL_V2, .api_token = "" };
  g_autofree char *cleaned = pd_setup_clean_api_token (" QdvdwiXKFm=\r\n");

  g_assert_cmpstr (cleaned, ==, "QdvdwiXKFm=");
  g_assert_true (pd_setup_api_token_is_valid ("QdvdwiXKFm="));
  g_assert_true (pd_setup_api_token_is_valid ("a-b_c.d~e+f/g="));
  g_assert_false (pd_setup_api_token_is_valid (""));
  g_assert_false (pd_setup_api_token_is_valid ("two words"));
  g_assert_false (pd_setup_api_token_is_valid ("line\nbreak"));
  g_assert_false (pd_setup_api_token_is_valid ("токен"));

  g_assert_nonnull (strstr (pd_setup_api_token_problem (&entries, FALSE), "Enter the API token"));
  g_assert_null (pd_setup_api_token_problem (&entries, TRUE));
  entries.api_token = " two words ";
  g_assert_nonnull (pd_setup_api_token_problem (&entries, TRUE));
  entries.api_token = " QdvdwiXKFm=\n";
  g_assert_null (pd_setup_api_token_problem (&entries, FALSE));

  entries.api_token = "";
  entries.mode = PD_SHOP_MODE_SANDBOX;
  g_assert_null (pd_setup_api_token_problem (&entries, FALSE));
  entries.mode = PD_SHOP_MODE_LIVE;
  entries.protocol = PD_PROTOCOL_CLASSIC;
  g_assert_null (pd_setup_api_token_problem (&entries, FALSE));

  /* Checking: an API user on classic only. */
  entries.sync_mode = PD_SYNC_MODE_POLLING;
  entries.api_login = "";
  g_assert_nonnull (pd_setup_api_user_problem (&entries, FALSE));
  entries.protocol = PD_PROTOCOL_V2;
  g_assert_null (pd_setup_api_user_problem (&entries, FALSE));
}

int
main (int   argc,
      char *argv[])
{
  static const Remote v2_callbacks = { PD_PROTOCOL_V2, NULL, NULL, API_TOKEN };
  static const Remote classic_checking = { PD_PROTOCOL_CLASSIC, PD_SYNC_MODE_POLLING, API_PASSWORD, NULL };
  static const Remote v2_checking = { PD_PROTOCOL_V2, PD_SYNC_MODE_POLLING, NULL, API_TOKEN };
  static const Remote classic_both = { PD_PROTOCOL_CLASSIC, PD_SYNC_MODE_BOTH, API_PASSWORD, NULL };
  static const Remote wrong_password = {
    PD_PROTOCOL_CLASSIC, PD_SYNC_MODE_POLLING, "not-the-password", NULL,
    PD_SETUP_FIX_ADDRESS, "PayMaster refused the API user's password",
  };
  static const Remote wrong_token = {
    PD_PROTOCOL_V2, PD_SYNC_MODE_POLLING, NULL, "not-the-token",
    PD_SETUP_FIX_SITE, "PayMaster refused the API token",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring_dir = g_dir_make_tmp ("paydesk-test-keyring-XXXXXX", &error);
  g_autofree char *keyring = NULL;
  int status;

  /* libsecret reads these when it first runs, which is on a thread. */
  g_assert_no_error (error);
  keyring = g_build_filename (keyring_dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/setup-check/entries", test_entries);
  g_test_add_func ("/setup-check/api-token", test_api_token);
  g_test_add ("/setup-check/sandbox-paid", Fixture, NULL,
              fixture_setup, test_sandbox_paid, fixture_teardown);
  g_test_add ("/setup-check/wrong-signature", Fixture, NULL,
              fixture_setup, test_wrong_signature, fixture_teardown);
  g_test_add ("/setup-check/no-request", Fixture, NULL,
              fixture_setup, test_no_request, fixture_teardown);
  g_test_add ("/setup-check/port-in-use", Fixture, NULL,
              fixture_setup, test_port_in_use, fixture_teardown);
  g_test_add ("/setup-check/v2/paid", Fixture, NULL,
              fixture_setup, test_v2_paid, fixture_teardown);
  g_test_add ("/setup-check/v2/wrong-token", Fixture, NULL,
              fixture_setup, test_v2_wrong_token, fixture_teardown);
  g_test_add ("/setup-check/v2/callback-unconfirmed", Fixture, &v2_callbacks,
              fixture_setup_remote, test_v2_callback_unconfirmed, fixture_teardown);
  g_test_add ("/setup-check/checking/classic-paid", Fixture, &classic_checking,
              fixture_setup_remote, test_checking_paid, fixture_teardown);
  g_test_add ("/setup-check/checking/v2-paid", Fixture, &v2_checking,
              fixture_setup_remote, test_checking_paid, fixture_teardown);
  g_test_add ("/setup-check/checking/wrong-password", Fixture, &wrong_password,
              fixture_setup_remote, test_checking_refused, fixture_teardown);
  g_test_add ("/setup-check/checking/wrong-token", Fixture, &wrong_token,
              fixture_setup_remote, test_checking_refused, fixture_teardown);
  g_test_add ("/setup-check/both/found-by-asking", Fixture, &classic_both,
              fixture_setup_remote, test_both_found_by_asking, fixture_teardown);

  status = g_test_run ();
  pd_test_remove_tree (keyring_dir);
  return status;
}
