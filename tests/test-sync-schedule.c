/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-catalog.h"
#include "pd-paymaster.h"
#include "pd-sandbox.h"
#include "pd-secrets.h"
#include "pd-service.h"
#include "pd-test-integration.h"

/* The desktop app behind NAT: the sandbox cannot reach the shop, and the
 * service's schedule still finds the payment on its own by asking the
 * classic status API. */

#define MERCHANT_ID  "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define SECRET       "schedule-secret"
#define API_LOGIN    "api-user"
#define API_PASSWORD "api-password"

typedef struct
{
  const char *password;
  const char *sync_mode;   /* NULL leaves the setting unset */
} Setup;

typedef struct
{
  char        *dir;
  char        *path;
  SoupServer  *server;
  PdSandbox   *sandbox;
  char        *sandbox_url;
  SoupSession *session;
  PdShop      *shop;
  char        *number;
  PdService   *service;
  gboolean     paid_changed;
} Fixture;

static void
invoice_changed_cb (PdStore    *store,
                    gint64      invoice_id,
                    const char *number,
                    Fixture    *fixture)
{
  if (g_strcmp0 (number, fixture->number) == 0)
    fixture->paid_changed = TRUE;
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_service_start_finish (PD_SERVICE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Setup *setup = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdInvoice) invoice = NULL;
  PdInvoiceLine line = { 0, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };

  fixture->dir = g_dir_make_tmp ("paydesk-sync-schedule-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "paydesk.db", NULL);

  fixture->server = soup_server_new (NULL, NULL);
  fixture->sandbox = pd_sandbox_new (PD_HASH_SHA256, SECRET, TRUE);
  g_strfreev (pd_sandbox_attach (fixture->sandbox, fixture->server, ""));
  pd_sandbox_set_delivers_notifications (fixture->sandbox, FALSE);
  pd_sandbox_set_api_user (fixture->sandbox, API_LOGIN, API_PASSWORD);
  fixture->sandbox_url = pd_test_server_listen (fixture->server);
  fixture->session = pd_test_session_new ();

  fixture->shop = pd_shop_new ();
  fixture->shop->merchant_id = g_strdup (MERCHANT_ID);
  fixture->shop->hash_alg = PD_HASH_SHA256;
  fixture->shop->mode = PD_SHOP_MODE_TEST;
  fixture->shop->public_url = g_strdup ("http://127.0.0.1:9");
  g_free (fixture->shop->listen);
  fixture->shop->listen = g_strdup ("127.0.0.1:0");
  g_free (fixture->shop->paymaster_url);
  fixture->shop->paymaster_url = g_strdup (fixture->sandbox_url);

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (pd_catalog_save_shop (db, fixture->shop, &error));
  g_assert_true (pd_catalog_set_setting (db, "api_login", API_LOGIN, &error));
  if (setup->sync_mode != NULL)
    g_assert_true (pd_catalog_set_setting (db, "sync_mode", setup->sync_mode, &error));
  g_assert_true (pd_catalog_add_product (db, "Чай", 5000, "no_vat", &line.product_id, &error));
  invoice = pd_catalog_create_invoices (db, &draft, 1, TRUE, &error);
  g_assert_no_error (error);
  fixture->number = g_strdup (invoice->number);
  g_clear_pointer (&db, pd_database_close);

  g_assert_true (pd_secrets_store_key (MERCHANT_ID, SECRET, NULL, &error));
  g_assert_true (pd_secrets_store (PD_SECRET_API_PASSWORD, MERCHANT_ID, setup->password, NULL, &error));
  g_assert_no_error (error);

  fixture->service = pd_service_new (fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (pd_service_get_store (fixture->service), "invoice-changed",
                    G_CALLBACK (invoice_changed_cb), fixture);
  pd_sync_schedule_set_interval (pd_service_get_sync_schedule (fixture->service), 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->service);
  pd_test_drain_main_context ();
  g_clear_object (&fixture->session);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->sandbox);
  g_clear_pointer (&fixture->shop, pd_shop_free);
  pd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->sandbox_url);
  g_free (fixture->number);
}

static void
start (Fixture *fixture)
{
  gboolean done = FALSE;

  pd_service_start_async (fixture->service, NULL, started_cb, &done);
  pd_test_wait_for_flag (&done);
}

/* Pays the invoice on the sandbox's checkout page, as a customer does. */
static void
pay (Fixture *fixture)
{
  PdPaymentRequest request = { fixture->number, 5000, "RUB", "Чай", NULL, 0 };
  g_autofree char *url = pd_paymaster_payment_url (fixture->shop, &request);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autofree char *page = pd_test_send (fixture->session, msg);
  g_autofree char *result = pd_test_sandbox_press (fixture->session, fixture->sandbox_url, page, "pay");

  g_assert_nonnull (result);
}

static PdInvoiceStatus
invoice_status (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->path, PD_DATABASE_READ_ONLY, &error);
  g_autoptr(PdInvoice) invoice = NULL;

  g_assert_no_error (error);
  invoice = pd_catalog_get_invoice (db, fixture->number, &error);
  g_assert_no_error (error);
  return invoice->status;
}

static gboolean
synced (gconstpointer data)
{
  return pd_sync_schedule_get_last_synced ((PdSyncSchedule *) data) != 0;
}

static gboolean
failed (gconstpointer data)
{
  gboolean value = FALSE;

  g_object_get ((gpointer) data, "failed", &value, NULL);
  return value;
}

static void
test_finds_payment (Fixture       *fixture,
                    gconstpointer  data)
{
  PdSyncSchedule *schedule = pd_service_get_sync_schedule (fixture->service);

  start (fixture);
  /* The pass at start-up finds nothing to do yet. */
  g_assert_true (pd_test_wait_for (synced, schedule, PD_TEST_WAIT_SECONDS));
  g_assert_true (pd_sync_schedule_get_enabled (schedule));
  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_ISSUED);
  g_assert_true (g_str_has_prefix (pd_sync_schedule_get_state_text (schedule), "Last checked"));

  /* Nobody tells the shop; the timer's next pass finds the payment. */
  pay (fixture);
  pd_test_wait_for_flag (&fixture->paid_changed);
  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_PAID);
  g_assert_false (failed (schedule));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  PdSyncSchedule *schedule = pd_service_get_sync_schedule (fixture->service);

  pay (fixture);
  start (fixture);
  g_assert_true (pd_test_wait_for (failed, schedule, PD_TEST_WAIT_SECONDS));
  g_assert_nonnull (strstr (pd_sync_schedule_get_state_text (schedule), "password"));
  g_assert_cmpint (pd_sync_schedule_get_last_synced (schedule), ==, 0);
  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_ISSUED);
}

static void
test_notifications_only (Fixture       *fixture,
                         gconstpointer  data)
{
  PdSyncSchedule *schedule = pd_service_get_sync_schedule (fixture->service);

  pay (fixture);
  start (fixture);
  pd_sync_schedule_sync_now (schedule);
  pd_test_spin (2500);
  g_assert_false (pd_sync_schedule_get_enabled (schedule));
  g_assert_false (pd_sync_schedule_get_busy (schedule));
  g_assert_cmpint (pd_sync_schedule_get_last_synced (schedule), ==, 0);
  g_assert_false (fixture->paid_changed);
  g_assert_cmpint (invoice_status (fixture), ==, PD_INVOICE_ISSUED);
}

int
main (int    argc,
      char **argv)
{
  static const Setup both = { API_PASSWORD, NULL };
  static const Setup wrong = { "not-the-password", PD_SYNC_MODE_BOTH };
  static const Setup notifications = { API_PASSWORD, PD_SYNC_MODE_NOTIFICATIONS };
  g_autofree char *keyring_dir = NULL;
  g_autofree char *keyring = NULL;
  int status;

  /* The file keyring, set before any thread can read the environment. */
  keyring_dir = g_dir_make_tmp ("paydesk-sync-keyring-XXXXXX", NULL);
  g_assert_nonnull (keyring_dir);
  keyring = g_build_filename (keyring_dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync-schedule/finds-payment", Fixture, &both,
              fixture_set_up, test_finds_payment, fixture_tear_down);
  g_test_add ("/sync-schedule/wrong-password", Fixture, &wrong,
              fixture_set_up, test_wrong_password, fixture_tear_down);
  g_test_add ("/sync-schedule/notifications-only", Fixture, &notifications,
              fixture_set_up, test_notifications_only, fixture_tear_down);

  status = g_test_run ();
  pd_test_remove_tree (keyring_dir);
  return status;
}
