/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-api-inbound.h"

/* What PayMaster's APIs say about a payment reaches the ledger in the
 * fields of a classic notification: these are the fields it reads. */

#define MERCHANT_ID "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"

static PdShop *
shop_new (void)
{
  PdShop *shop = pd_shop_new ();

  shop->merchant_id = g_strdup (MERCHANT_ID);
  return shop;
}

static void
test_v2_settled (void)
{
  static const char json[] =
    "\xEF\xBB\xBF{\"id\":\"12769\",\"created\":\"2021-09-01T08:20:00Z\",\"testMode\":true,"
    "\"status\":\"Settled\",\"merchantId\":\"" MERCHANT_ID "\","
    "\"amount\":{\"value\":1351.5,\"currency\":\"RUB\"},"
    "\"invoice\":{\"description\":\"Чай\",\"orderNo\":\"42\"},"
    "\"paymentData\":{\"paymentMethod\":\"BankCard\",\"paymentInstrumentTitle\":\"220220******1234\"}}";
  g_autoptr(PdShop) shop = shop_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = pd_api_payment_from_json (json, strlen (json), &error);
  g_autoptr(PdForm) form = NULL;

  g_assert_no_error (error);
  form = pd_api_form_from_v2 (shop, payment);
  g_assert_cmpstr (pd_form_get (form, "LMI_MERCHANT_ID"), ==, MERCHANT_ID);
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_NO"), ==, "42");
  g_assert_cmpstr (pd_form_get (form, "LMI_SYS_PAYMENT_ID"), ==, "12769");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_AMOUNT"), ==, "1351.50");
  g_assert_cmpstr (pd_form_get (form, "LMI_CURRENCY"), ==, "RUB");
  g_assert_cmpstr (pd_form_get (form, "LMI_SIM_MODE"), ==, "0");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_METHOD"), ==, "BankCard");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_IDENTIFIER"), ==, "220220******1234");
  g_assert_cmpstr (pd_form_get (form, "LMI_SYS_PAYMENT_DATE"), ==, "2021-09-01T08:20:00Z");
}

/* A live payment has no LMI_SIM_MODE at all, as in a real notification. */
static void
test_v2_live_without_merchant (void)
{
  static const char json[] =
    "{\"id\":\"7\",\"testMode\":false,\"status\":\"Settled\","
    "\"amount\":{\"value\":50,\"currency\":\"RUB\"},\"invoice\":{\"orderNo\":\"3\"}}";
  g_autoptr(PdShop) shop = shop_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = pd_api_payment_from_json (json, strlen (json), &error);
  g_autoptr(PdForm) form = NULL;

  g_assert_no_error (error);
  form = pd_api_form_from_v2 (shop, payment);
  g_assert_null (pd_form_get (form, "LMI_SIM_MODE"));
  g_assert_cmpstr (pd_form_get (form, "LMI_MERCHANT_ID"), ==, MERCHANT_ID);
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_AMOUNT"), ==, "50.00");
}

static void
test_classic (void)
{
  g_autoptr(PdShop) shop = shop_new ();
  PdClassicPayment payment = {
    .payment_id = (char *) "43184405",
    .site_invoice_id = (char *) "9",
    .site_id = (char *) "",
    .currency_code = (char *) "RUB",
    .amount = 100,
    .state = PD_CLASSIC_STATE_COMPLETE,
    .is_test_payment = TRUE,
  };
  g_autoptr(PdForm) form = pd_api_form_from_classic (shop, &payment);
  g_autoptr(PdInbound) inbound = NULL;

  g_assert_cmpstr (pd_form_get (form, "LMI_MERCHANT_ID"), ==, MERCHANT_ID);
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_NO"), ==, "9");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_AMOUNT"), ==, "1.00");
  g_assert_cmpstr (pd_form_get (form, "LMI_SIM_MODE"), ==, "0");

  inbound = pd_api_inbound_new (PD_PATH_CLASSIC_STATUS, g_steal_pointer (&form));
  g_assert_true (inbound->from_status_api);
  g_assert_false (inbound->is_callback);
  g_assert_cmpstr (inbound->path, ==, PD_PATH_CLASSIC_STATUS);
  g_assert_nonnull (strstr (inbound->body, "LMI_SYS_PAYMENT_ID=43184405"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api-inbound/v2-settled", test_v2_settled);
  g_test_add_func ("/api-inbound/v2-live-without-merchant", test_v2_live_without_merchant);
  g_test_add_func ("/api-inbound/classic", test_classic);
  return g_test_run ();
}
