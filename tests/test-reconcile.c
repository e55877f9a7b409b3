/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-catalog.h"
#include "pd-journal.h"
#include "pd-paymaster.h"
#include "pd-reconciler.h"
#include "pd-sandbox.h"
#include "pd-test-integration.h"

/* Reconciliation behind NAT: the sandbox plays a PayMaster that cannot
 * reach the shop, so a paid invoice only turns Paid when Paydesk asks the
 * classic status API. */

#define MERCHANT_ID  "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define SECRET       "reconcile-secret"
#define API_LOGIN    "api-user"
#define API_PASSWORD "api-password"

typedef struct
{
  char        *dir;
  char        *path;
  SoupServer  *server;
  PdSandbox   *sandbox;
  char        *sandbox_url;
  SoupSession *session;
  PdShop      *shop;
  PdStore     *store;
  GPtrArray   *numbers;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean live = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  PdInvoiceLine line = { 0, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };

  fixture->dir = g_dir_make_tmp ("paydesk-reconcile-XXXXXX", &error);
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
  fixture->shop->mode = live ? PD_SHOP_MODE_LIVE : PD_SHOP_MODE_TEST;
  /* Nobody listens there: the sandbox would not reach the shop anyway. */
  fixture->shop->public_url = g_strdup ("http://127.0.0.1:9");
  g_free (fixture->shop->paymaster_url);
  fixture->shop->paymaster_url = g_strdup (fixture->sandbox_url);

  db = pd_database_open (fixture->path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (pd_catalog_save_shop (db, fixture->shop, &error));
  g_assert_true (pd_catalog_add_product (db, "Чай", 5000, "no_vat", &line.product_id, &error));
  fixture->numbers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PdInvoice) invoice = pd_catalog_create_invoices (db, &draft, 1, !live, &error);

      g_assert_no_error (error);
      g_ptr_array_add (fixture->numbers, g_strdup (invoice->number));
    }
  g_clear_pointer (&db, pd_database_close);

  fixture->store = pd_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pd_store_close (fixture->store);
  g_clear_object (&fixture->store);
  pd_test_drain_main_context ();
  g_clear_object (&fixture->session);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->sandbox);
  g_clear_pointer (&fixture->shop, pd_shop_free);
  g_clear_pointer (&fixture->numbers, g_ptr_array_unref);
  pd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->sandbox_url);
}

/* Pays invoice @index on the sandbox's checkout page, as a customer does. */
static void
pay (Fixture *fixture,
     guint    index)
{
  PdPaymentRequest request = { fixture->numbers->pdata[index], 5000, "RUB", "Чай", NULL, 0 };
  g_autofree char *url = pd_paymaster_payment_url (fixture->shop, &request);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autofree char *page = pd_test_send (fixture->session, msg);
  g_autofree char *result = pd_test_sandbox_press (fixture->session, fixture->sandbox_url, page, "pay");

  g_assert_nonnull (result);
}

typedef struct
{
  gboolean   done;
  GPtrArray *changes;
  GError    *error;
} SyncResult;

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncResult *sync = user_data;

  sync->changes = pd_reconciler_sync_finish (result, &sync->error);
  sync->done = TRUE;
}

static GPtrArray *
sync_with (Fixture     *fixture,
           const char  *password,
           GError     **error)
{
  g_autoptr(PdPaymasterApi) api = pd_paymaster_api_new (fixture->sandbox_url);
  SyncResult sync = { 0 };

  pd_paymaster_api_set_classic_credentials (api, API_LOGIN, password);
  pd_reconciler_sync_async (fixture->store, fixture->shop, api, NULL, synced_cb, &sync);
  pd_test_wait_for_flag (&sync.done);
  if (sync.error != NULL)
    g_propagate_error (error, sync.error);
  return sync.changes;
}

static PdInvoice *
invoice (Fixture *fixture,
         guint    index)
{
  return pd_test_read_invoice (fixture->path, fixture->numbers->pdata[index]);
}

static gint64
count_payments (Fixture *fixture)
{
  return pd_test_count_payments (fixture->path);
}

static void
test_finds_payment (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PdInvoice) paid = NULL;
  g_autoptr(PdInvoice) open = NULL;
  g_autoptr(GError) error = NULL;
  const PdSyncChange *change;

  pay (fixture, 0);

  /* PayMaster could not tell the shop: nothing changed yet. */
  open = invoice (fixture, 0);
  g_assert_cmpint (open->status, ==, PD_INVOICE_ISSUED);
  g_clear_pointer (&open, pd_invoice_free);

  changes = sync_with (fixture, API_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  change = changes->pdata[0];
  g_assert_cmpstr (change->invoice_number, ==, fixture->numbers->pdata[0]);
  g_assert_cmpint (change->verdict, ==, PD_VERDICT_ACCEPTED);

  paid = invoice (fixture, 0);
  g_assert_cmpint (paid->status, ==, PD_INVOICE_PAID);
  g_assert_nonnull (paid->payment_id);
  open = invoice (fixture, 1);
  g_assert_cmpint (open->status, ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 1);

  events = pd_test_list_events (fixture->path);
  g_assert_cmpstr (((PdEvent *) events->pdata[0])->kind, ==, "reconciliation");

  /* Asking again changes nothing and records nothing. */
  again = sync_with (fixture, API_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_cmpint (count_payments (fixture), ==, 1);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(PdInvoice) open = NULL;
  g_autoptr(GError) error = NULL;

  pay (fixture, 0);
  changes = sync_with (fixture, "not-the-password", &error);
  g_assert_null (changes);
  g_assert_error (error, PD_API_ERROR, PD_API_ERROR_BAD_HASH);

  open = invoice (fixture, 0);
  g_assert_cmpint (open->status, ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 0);
}

/* A test payment on a shop in working mode is found, recorded and flagged,
 * as a notification would be, and never pays the invoice. */
static void
test_test_payment_on_live_shop (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(PdInvoice) open = NULL;
  g_autoptr(GError) error = NULL;

  pay (fixture, 0);
  changes = sync_with (fixture, API_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpint (((PdSyncChange *) changes->pdata[0])->verdict, ==, PD_VERDICT_FLAGGED);

  open = invoice (fixture, 0);
  g_assert_cmpint (open->status, ==, PD_INVOICE_ISSUED);
  g_assert_cmpint (count_payments (fixture), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reconcile/finds-payment", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_finds_payment, fixture_tear_down);
  g_test_add ("/reconcile/wrong-password", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_wrong_password, fixture_tear_down);
  g_test_add ("/reconcile/test-payment-on-live-shop", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_test_payment_on_live_shop, fixture_tear_down);

  return g_test_run ();
}
