/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-ledger.h"

#define OUR_MERCHANT_ID       "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define OUR_MERCHANT_ID_UPPER "EBC4F3FE-D395-4E08-A4EF-81CA6F4E04A6"
#define OTHER_MERCHANT_ID     "2902fb4a-d618-4b6b-aade-793b95e10c59"
#define INVOICE_NUMBER        "INV-42"
#define INVOICE_AMOUNT        5000
#define PAYMENT_ID            "40599192"

/* One row of the rules. Zero means the usual: a live shop, our merchant id,
 * an issued, unexpired invoice of 50.00 RUB, a request for exactly that, no
 * LMI_SIM_MODE, a good signature, a payment not seen before. */
typedef struct
{
  const char      *name;

  /* The situation. */
  PdShopMode       mode;
  const char      *merchant_id;       /* NULL: ours */
  const char      *amount;            /* NULL: "50.00" */
  const char      *currency;          /* NULL: "RUB" */
  const char      *sim_mode;          /* NULL: the field is absent */
  gboolean         no_invoice;
  PdInvoiceStatus  status;
  gboolean         expired;
  const char      *invoice_currency;  /* NULL: "RUB" */
  const char      *paymaster_invoice_id; /* REST v2: its payment; NULL: classic */
  gboolean         bad_signature;     /* notifications only */
  gboolean         already_recorded;  /* notifications only */

  /* The expected decision. */
  PdVerdict        verdict;
  guint            http_status;
  const char      *response;
  gboolean         record_payment;
  gboolean         mark_paid;
} LedgerCase;

/* Pre-request outcomes: YES lets PayMaster charge, NO stops it. */
#define EXPECT_YES \
  .verdict = PD_VERDICT_ACCEPTED, .http_status = 200, .response = "YES"
#define EXPECT_NO \
  .verdict = PD_VERDICT_REJECTED, .http_status = 200, .response = "NO"
#define EXPECT_NO_FLAGGED \
  .verdict = PD_VERDICT_FLAGGED, .http_status = 200, .response = "NO"

/* Notification outcomes. A genuine payment is always recorded and answered
 * 200; it pays its invoice only when everything agrees. A request that may
 * not be genuine is answered 403 so that PayMaster retries it. */
#define EXPECT_PAID \
  .verdict = PD_VERDICT_ACCEPTED, .http_status = 200, .response = "OK", \
  .record_payment = TRUE, .mark_paid = TRUE
#define EXPECT_FLAGGED \
  .verdict = PD_VERDICT_FLAGGED, .http_status = 200, .response = "OK", \
  .record_payment = TRUE, .mark_paid = FALSE
#define EXPECT_DUPLICATE \
  .verdict = PD_VERDICT_DUPLICATE, .http_status = 200, .response = "OK", \
  .record_payment = FALSE, .mark_paid = FALSE
#define EXPECT_BAD_SIGNATURE \
  .verdict = PD_VERDICT_REJECTED, .http_status = 403, .response = "ERROR"
#define EXPECT_OTHER_SITE \
  .verdict = PD_VERDICT_REJECTED, .http_status = 403, .response = "ERROR"

static const LedgerCase prerequest_cases[] = {
  /* Shop mode and LMI_SIM_MODE. */
  { "live", EXPECT_YES },
  { "test-sim-mode", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0", EXPECT_YES },
  { "test-no-sim-mode", .mode = PD_SHOP_MODE_TEST, EXPECT_YES },
  { "sandbox-sim-mode", .mode = PD_SHOP_MODE_SANDBOX, .sim_mode = "0", EXPECT_YES },
  { "live-sim-mode-0", .sim_mode = "0", EXPECT_NO_FLAGGED },
  { "live-sim-mode-2", .sim_mode = "2", EXPECT_NO_FLAGGED },

  /* Merchant id. */
  { "merchant-uppercase", .merchant_id = OUR_MERCHANT_ID_UPPER, EXPECT_YES },
  { "merchant-other", .merchant_id = OTHER_MERCHANT_ID, EXPECT_NO },
  { "merchant-other-test", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0",
    .merchant_id = OTHER_MERCHANT_ID, EXPECT_NO },

  /* The invoice. */
  { "invoice-missing", .no_invoice = TRUE, EXPECT_NO },
  { "invoice-missing-test", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0", .no_invoice = TRUE,
    EXPECT_NO },
  { "invoice-paid", .status = PD_INVOICE_PAID, EXPECT_NO },
  { "invoice-cancelled", .status = PD_INVOICE_CANCELLED, EXPECT_NO },
  { "invoice-status-expired", .status = PD_INVOICE_EXPIRED, EXPECT_NO },
  { "invoice-refunded", .status = PD_INVOICE_REFUNDED, EXPECT_NO },
  { "invoice-expired", .expired = TRUE, EXPECT_NO },
  { "invoice-expired-test", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0", .expired = TRUE,
    EXPECT_NO },
  { "invoice-paid-test", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0",
    .status = PD_INVOICE_PAID, EXPECT_NO },

  /* Amount: compared in kopecks. */
  { "amount-50", .amount = "50", EXPECT_YES },
  { "amount-50-0", .amount = "50.0", EXPECT_YES },
  { "amount-50-00", .amount = "50.00", EXPECT_YES },
  { "amount-leading-zero", .amount = "050.00", EXPECT_YES },
  { "amount-less", .amount = "49.99", EXPECT_NO },
  { "amount-more", .amount = "50.01", EXPECT_NO },
  { "amount-kopecks-as-rubles", .amount = "5000", EXPECT_NO },
  { "amount-rubles-as-kopecks", .amount = "0.50", EXPECT_NO },
  { "amount-comma", .amount = "50,00", EXPECT_NO },
  { "amount-text", .amount = "fifty", EXPECT_NO },
  { "amount-three-decimals", .amount = "50.001", EXPECT_NO },
  { "amount-negative", .amount = "-50.00", EXPECT_NO },
  { "amount-space", .amount = " 50.00", EXPECT_NO },
  { "amount-overflow", .amount = "92233720368547758.08", EXPECT_NO },
  { "amount-different-test", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0", .amount = "1.00",
    EXPECT_NO },

  /* Currency: RUB and 643 are the same. */
  { "currency-643", .currency = "643", EXPECT_YES },
  { "currency-lowercase", .currency = "rub", EXPECT_YES },
  { "currency-invoice-643", .invoice_currency = "643", EXPECT_YES },
  { "currency-usd", .currency = "USD", EXPECT_NO },
  { "currency-840", .currency = "840", EXPECT_NO },
  { "currency-unknown", .currency = "XXX", EXPECT_NO },
};

static const LedgerCase notification_cases[] = {
  /* Shop mode and LMI_SIM_MODE: a test payment never pays an invoice of a
   * live shop, but it is kept so that the merchant sees it. */
  { "live", EXPECT_PAID },
  { "test-sim-mode", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0", EXPECT_PAID },
  { "test-no-sim-mode", .mode = PD_SHOP_MODE_TEST, EXPECT_PAID },
  { "sandbox-sim-mode", .mode = PD_SHOP_MODE_SANDBOX, .sim_mode = "0", EXPECT_PAID },
  { "live-sim-mode-0", .sim_mode = "0", EXPECT_FLAGGED },
  { "live-sim-mode-2", .sim_mode = "2", EXPECT_FLAGGED },
  { "live-sim-mode-amount-less", .sim_mode = "0", .amount = "49.99", EXPECT_FLAGGED },
  { "live-sim-mode-invoice-missing", .sim_mode = "0", .no_invoice = TRUE, EXPECT_FLAGGED },

  /* Signature. */
  { "bad-signature", .bad_signature = TRUE, EXPECT_BAD_SIGNATURE },
  { "bad-signature-test", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0", .bad_signature = TRUE,
    EXPECT_BAD_SIGNATURE },
  { "bad-signature-already-recorded", .bad_signature = TRUE, .already_recorded = TRUE,
    EXPECT_BAD_SIGNATURE },
  { "bad-signature-merchant-other", .bad_signature = TRUE, .merchant_id = OTHER_MERCHANT_ID,
    EXPECT_BAD_SIGNATURE },
  { "bad-signature-invoice-missing", .bad_signature = TRUE, .no_invoice = TRUE,
    EXPECT_BAD_SIGNATURE },

  /* Merchant id. */
  { "merchant-uppercase", .merchant_id = OUR_MERCHANT_ID_UPPER, EXPECT_PAID },
  { "merchant-other", .merchant_id = OTHER_MERCHANT_ID, EXPECT_OTHER_SITE },
  { "merchant-other-already-recorded", .merchant_id = OTHER_MERCHANT_ID,
    .already_recorded = TRUE, EXPECT_OTHER_SITE },

  /* Repeated notifications of one payment change nothing. */
  { "already-recorded", .already_recorded = TRUE, EXPECT_DUPLICATE },
  { "already-recorded-invoice-paid", .already_recorded = TRUE, .status = PD_INVOICE_PAID,
    EXPECT_DUPLICATE },
  { "already-recorded-live-sim-mode", .already_recorded = TRUE, .sim_mode = "0",
    EXPECT_DUPLICATE },
  { "already-recorded-amount-less", .already_recorded = TRUE, .amount = "49.99",
    EXPECT_DUPLICATE },

  /* The invoice. */
  { "invoice-missing", .no_invoice = TRUE, EXPECT_FLAGGED },
  { "invoice-paid", .status = PD_INVOICE_PAID, EXPECT_FLAGGED },
  { "invoice-cancelled", .status = PD_INVOICE_CANCELLED, EXPECT_FLAGGED },
  { "invoice-status-expired", .status = PD_INVOICE_EXPIRED, EXPECT_FLAGGED },
  { "invoice-refunded", .status = PD_INVOICE_REFUNDED, EXPECT_FLAGGED },
  { "invoice-paid-test", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0",
    .status = PD_INVOICE_PAID, EXPECT_FLAGGED },
  /* The pre-request refuses an expired invoice; a payment that still
   * arrives for it (accepted before it expired) has taken the money and
   * pays it, as the spec's notification checks say. */
  { "invoice-expired", .expired = TRUE, EXPECT_PAID },

  /* Amount: compared in kopecks. */
  { "amount-50", .amount = "50", EXPECT_PAID },
  { "amount-50-0", .amount = "50.0", EXPECT_PAID },
  { "amount-50-00", .amount = "50.00", EXPECT_PAID },
  { "amount-less", .amount = "49.99", EXPECT_FLAGGED },
  { "amount-more", .amount = "50.01", EXPECT_FLAGGED },
  { "amount-kopecks-as-rubles", .amount = "5000", EXPECT_FLAGGED },
  { "amount-comma", .amount = "50,00", EXPECT_FLAGGED },
  { "amount-text", .amount = "fifty", EXPECT_FLAGGED },
  { "amount-three-decimals", .amount = "50.001", EXPECT_FLAGGED },
  { "amount-negative", .amount = "-50.00", EXPECT_FLAGGED },
  { "amount-overflow", .amount = "92233720368547758.08", EXPECT_FLAGGED },
  { "amount-different-test", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0", .amount = "1.00",
    EXPECT_FLAGGED },

  /* A REST v2 invoice is paid by the payment PayMaster made for it only. */
  { "v2-its-payment", .paymaster_invoice_id = PAYMENT_ID, EXPECT_PAID },
  { "v2-another-payment", .paymaster_invoice_id = "40599100", EXPECT_FLAGGED },
  { "v2-another-payment-test", .mode = PD_SHOP_MODE_TEST, .sim_mode = "0",
    .paymaster_invoice_id = "40599100", EXPECT_FLAGGED },
  { "v2-another-payment-already-recorded", .paymaster_invoice_id = "40599100",
    .already_recorded = TRUE, EXPECT_DUPLICATE },

  /* Currency: RUB and 643 are the same. */
  { "currency-643", .currency = "643", EXPECT_PAID },
  { "currency-invoice-643", .invoice_currency = "643", EXPECT_PAID },
  { "currency-usd", .currency = "USD", EXPECT_FLAGGED },
  { "currency-840", .currency = "840", EXPECT_FLAGGED },
  { "currency-unknown", .currency = "XXX", EXPECT_FLAGGED },
};

static PdShop *
make_shop (PdShopMode mode)
{
  PdShop *shop = pd_shop_new ();

  g_free (shop->merchant_id);
  shop->merchant_id = g_strdup (OUR_MERCHANT_ID);
  g_free (shop->public_url);
  shop->public_url = g_strdup ("https://shop.example");
  shop->mode = mode;
  return shop;
}

static PdForm *
make_form (const LedgerCase *c,
           gboolean          prerequest)
{
  PdForm *form = pd_form_new ();
  const char *amount = c->amount ? c->amount : "50.00";
  const char *currency = c->currency ? c->currency : "RUB";

  if (prerequest)
    pd_form_add (form, "LMI_PREREQUEST", "1");
  pd_form_add (form, "LMI_MERCHANT_ID", c->merchant_id ? c->merchant_id : OUR_MERCHANT_ID);
  pd_form_add (form, "LMI_PAYMENT_NO", INVOICE_NUMBER);
  if (!prerequest)
    {
      pd_form_add (form, "LMI_SYS_PAYMENT_ID", PAYMENT_ID);
      pd_form_add (form, "LMI_SYS_PAYMENT_DATE", "2015-12-17T12:14:10");
    }
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", amount);
  pd_form_add (form, "LMI_CURRENCY", currency);
  pd_form_add (form, "LMI_PAID_AMOUNT", amount);
  pd_form_add (form, "LMI_PAID_CURRENCY", currency);
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
  pd_form_add (form, "LMI_PAYMENT_METHOD", c->sim_mode ? "Test" : "BankCard");
  if (c->sim_mode != NULL)
    pd_form_add (form, "LMI_SIM_MODE", c->sim_mode);
  pd_form_add (form, "order", "42");
  /* The ledger takes the signature check's result as an argument; the hash
   * itself only has to be there. */
  if (!prerequest)
    pd_form_add (form, "LMI_HASH", "m8bC0NMnyUrcr/XZXe4HaT0OkKjDLqLG2Rqo9GZZ0ys=");
  return form;
}

static PdLedgerInvoice
make_invoice (const LedgerCase *c)
{
  PdLedgerInvoice invoice = {
    .found = !c->no_invoice,
    .id = c->no_invoice ? 0 : 7,
    .amount = c->no_invoice ? 0 : INVOICE_AMOUNT,
    .currency = c->no_invoice ? NULL : (c->invoice_currency ? c->invoice_currency : "RUB"),
    .status = c->status,
    .expired = c->expired,
    .paymaster_invoice_id = c->paymaster_invoice_id,
  };

  return invoice;
}

static void
assert_decision (const LedgerCase       *c,
                 const PdLedgerDecision *decision)
{
  g_test_message ("%s: %s, HTTP %u, “%s”, record %d, mark paid %d: %s", c->name,
                  pd_verdict_to_string (decision->verdict), decision->http_status,
                  decision->response, decision->record_payment, decision->mark_paid,
                  decision->reason);

  g_assert_cmpstr (pd_verdict_to_string (decision->verdict), ==,
                   pd_verdict_to_string (c->verdict));
  g_assert_cmpuint (decision->http_status, ==, c->http_status);
  g_assert_cmpstr (decision->response, ==, c->response);
  g_assert_cmpint (decision->record_payment, ==, c->record_payment);
  g_assert_cmpint (decision->mark_paid, ==, c->mark_paid);
  /* Whatever happened, the merchant is told why. */
  g_assert_nonnull (decision->reason);
  g_assert_cmpstr (decision->reason, !=, "");
}

static void
test_prerequest (gconstpointer data)
{
  const LedgerCase *c = data;
  g_autoptr(PdShop) shop = make_shop (c->mode);
  g_autoptr(PdForm) form = make_form (c, TRUE);
  PdLedgerInvoice invoice = make_invoice (c);
  PdLedgerDecision decision = { 0 };

  g_assert_true (pd_ledger_check_fields (form, &decision));
  g_assert_cmpint (decision.kind, ==, PD_EVENT_PREREQUEST);

  pd_ledger_decide_prerequest (shop, form, &invoice, &decision);
  g_assert_cmpint (decision.kind, ==, PD_EVENT_PREREQUEST);
  assert_decision (c, &decision);
  /* A pre-request never records or pays anything. */
  g_assert_false (decision.record_payment);
  g_assert_false (decision.mark_paid);

  pd_ledger_decision_clear (&decision);
  g_assert_null (decision.reason);
}

static void
test_notification (gconstpointer data)
{
  const LedgerCase *c = data;
  g_autoptr(PdShop) shop = make_shop (c->mode);
  g_autoptr(PdForm) form = make_form (c, FALSE);
  PdLedgerInvoice invoice = make_invoice (c);
  PdLedgerDecision decision = { 0 };
  const char *diagnosis = c->bad_signature ? "The signature does not match." : NULL;

  g_assert_true (pd_ledger_check_fields (form, &decision));
  g_assert_cmpint (decision.kind, ==, PD_EVENT_NOTIFICATION);

  pd_ledger_decide_notification (shop, form, !c->bad_signature, diagnosis, &invoice,
                                 c->already_recorded, &decision);
  g_assert_cmpint (decision.kind, ==, PD_EVENT_NOTIFICATION);
  assert_decision (c, &decision);
  g_assert_cmpint (decision.test_payment, ==, c->sim_mode != NULL);
  /* Only a recorded payment may pay an invoice. */
  if (decision.mark_paid)
    g_assert_true (decision.record_payment);
  if (c->bad_signature)
    g_assert_cmpstr (decision.reason, ==, diagnosis);

  pd_ledger_decision_clear (&decision);
  g_assert_null (decision.reason);
}

/* -- pd_ledger_check_fields --------------------------------------------- */

#define PRE_FIELDS \
  "LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_PAYMENT_NO=INV-42" \
  "&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB"
#define PRE_BODY "LMI_PREREQUEST=1&" PRE_FIELDS
#define NOTIFY_BODY \
  "LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_PAYMENT_NO=INV-42&LMI_SYS_PAYMENT_ID=40599192" \
  "&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB&LMI_HASH=abc"

typedef struct
{
  const char  *name;
  const char  *body;
  gboolean     ok;
  PdEventKind  kind;
  const char  *reason_mentions;  /* when refused */
} FieldsCase;

static const FieldsCase fields_cases[] = {
  /* Classification. */
  { "prerequest-1", PRE_BODY, TRUE, PD_EVENT_PREREQUEST },
  { "prerequest-2", "LMI_PREREQUEST=2&" PRE_FIELDS, TRUE, PD_EVENT_PREREQUEST },
  { "prerequest-with-sim-mode", PRE_BODY "&LMI_SIM_MODE=0", TRUE, PD_EVENT_PREREQUEST },
  { "prerequest-with-merchant-fields", PRE_BODY "&order=1&order=2", TRUE, PD_EVENT_PREREQUEST },
  { "notification", NOTIFY_BODY, TRUE, PD_EVENT_NOTIFICATION },
  { "notification-prerequest-0", NOTIFY_BODY "&LMI_PREREQUEST=0", TRUE, PD_EVENT_NOTIFICATION },
  { "notification-with-merchant-fields", NOTIFY_BODY "&order=1&order=2", TRUE,
    PD_EVENT_NOTIFICATION },
  { "invalid-empty", "", FALSE, PD_EVENT_INVALID },
  { "invalid-merchant-fields-only", "order=42&name=x", FALSE, PD_EVENT_INVALID },
  { "invalid-prerequest-3", "LMI_PREREQUEST=3&" PRE_FIELDS, FALSE, PD_EVENT_INVALID },
  { "invalid-no-id-no-hash", PRE_FIELDS, FALSE, PD_EVENT_INVALID },
  { "invalid-lowercase-names", "lmi_sys_payment_id=1&lmi_hash=abc", FALSE, PD_EVENT_INVALID },

  /* Missing or empty required fields. */
  { "prerequest-missing-merchant",
    "LMI_PREREQUEST=1&LMI_PAYMENT_NO=INV-42&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB",
    FALSE, PD_EVENT_PREREQUEST, "LMI_MERCHANT_ID" },
  { "prerequest-missing-number",
    "LMI_PREREQUEST=1&LMI_MERCHANT_ID=" OUR_MERCHANT_ID
    "&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB",
    FALSE, PD_EVENT_PREREQUEST, "LMI_PAYMENT_NO" },
  { "prerequest-missing-amount",
    "LMI_PREREQUEST=1&LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_PAYMENT_NO=INV-42&LMI_CURRENCY=RUB",
    FALSE, PD_EVENT_PREREQUEST, "LMI_PAYMENT_AMOUNT" },
  { "prerequest-missing-currency",
    "LMI_PREREQUEST=1&LMI_MERCHANT_ID=" OUR_MERCHANT_ID
    "&LMI_PAYMENT_NO=INV-42&LMI_PAYMENT_AMOUNT=50.00",
    FALSE, PD_EVENT_PREREQUEST, "LMI_CURRENCY" },
  { "prerequest-empty-number",
    "LMI_PREREQUEST=1&LMI_MERCHANT_ID=" OUR_MERCHANT_ID
    "&LMI_PAYMENT_NO=&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB",
    FALSE, PD_EVENT_PREREQUEST, "LMI_PAYMENT_NO" },
  { "notification-missing-merchant",
    "LMI_PAYMENT_NO=INV-42&LMI_SYS_PAYMENT_ID=40599192"
    "&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB&LMI_HASH=abc",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_MERCHANT_ID" },
  { "notification-missing-number",
    "LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_SYS_PAYMENT_ID=40599192"
    "&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB&LMI_HASH=abc",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_PAYMENT_NO" },
  { "notification-missing-payment-id",
    "LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_PAYMENT_NO=INV-42"
    "&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB&LMI_HASH=abc",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_SYS_PAYMENT_ID" },
  { "notification-missing-amount",
    "LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_PAYMENT_NO=INV-42&LMI_SYS_PAYMENT_ID=40599192"
    "&LMI_CURRENCY=RUB&LMI_HASH=abc",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_PAYMENT_AMOUNT" },
  { "notification-missing-currency",
    "LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_PAYMENT_NO=INV-42&LMI_SYS_PAYMENT_ID=40599192"
    "&LMI_PAYMENT_AMOUNT=50.00&LMI_HASH=abc",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_CURRENCY" },
  { "notification-missing-hash",
    "LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_PAYMENT_NO=INV-42&LMI_SYS_PAYMENT_ID=40599192"
    "&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_HASH" },
  { "notification-empty-hash",
    "LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_PAYMENT_NO=INV-42&LMI_SYS_PAYMENT_ID=40599192"
    "&LMI_PAYMENT_AMOUNT=50.00&LMI_CURRENCY=RUB&LMI_HASH=",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_HASH" },
  { "notification-empty-amount",
    "LMI_MERCHANT_ID=" OUR_MERCHANT_ID "&LMI_PAYMENT_NO=INV-42&LMI_SYS_PAYMENT_ID=40599192"
    "&LMI_PAYMENT_AMOUNT=&LMI_CURRENCY=RUB&LMI_HASH=abc",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_PAYMENT_AMOUNT" },

  /* A repeated LMI_ field could mean one thing to the signature and
   * another to the ledger. */
  { "prerequest-repeated-amount", PRE_BODY "&LMI_PAYMENT_AMOUNT=0.01",
    FALSE, PD_EVENT_PREREQUEST, "LMI_PAYMENT_AMOUNT" },
  { "prerequest-repeated-merchant", PRE_BODY "&LMI_MERCHANT_ID=" OTHER_MERCHANT_ID,
    FALSE, PD_EVENT_PREREQUEST, "LMI_MERCHANT_ID" },
  { "prerequest-repeated-flag", "LMI_PREREQUEST=1&" PRE_BODY,
    FALSE, PD_EVENT_PREREQUEST, "LMI_PREREQUEST" },
  { "notification-repeated-amount", NOTIFY_BODY "&LMI_PAYMENT_AMOUNT=0.01",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_PAYMENT_AMOUNT" },
  { "notification-repeated-number", NOTIFY_BODY "&LMI_PAYMENT_NO=INV-43",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_PAYMENT_NO" },
  { "notification-repeated-currency", NOTIFY_BODY "&LMI_CURRENCY=USD",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_CURRENCY" },
  { "notification-repeated-hash", NOTIFY_BODY "&LMI_HASH=def",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_HASH" },
  { "notification-repeated-sim-mode", NOTIFY_BODY "&LMI_SIM_MODE=0&LMI_SIM_MODE=0",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_SIM_MODE" },
  { "notification-repeated-unsigned", NOTIFY_BODY "&LMI_PAYMENT_DESC=a&LMI_PAYMENT_DESC=b",
    FALSE, PD_EVENT_NOTIFICATION, "LMI_PAYMENT_DESC" },
};

static void
test_check_fields (gconstpointer data)
{
  const FieldsCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdForm) form = pd_form_parse (c->body, strlen (c->body), &error);
  PdLedgerDecision decision = { 0 };
  gboolean ok;

  g_assert_no_error (error);
  g_assert_nonnull (form);

  ok = pd_ledger_check_fields (form, &decision);
  g_test_message ("%s: %s, %s, HTTP %u: %s", c->name, ok ? "passes" : "refused",
                  pd_event_kind_to_string (decision.kind), decision.http_status, decision.reason);
  g_assert_cmpint (ok, ==, c->ok);
  g_assert_cmpstr (pd_event_kind_to_string (decision.kind), ==, pd_event_kind_to_string (c->kind));

  if (!ok)
    {
      g_assert_cmpstr (pd_verdict_to_string (decision.verdict), ==,
                       pd_verdict_to_string (PD_VERDICT_REJECTED));
      g_assert_cmpuint (decision.http_status, ==, 400);
      g_assert_cmpstr (decision.response, ==, "ERROR");
      g_assert_false (decision.record_payment);
      g_assert_false (decision.mark_paid);
      g_assert_nonnull (decision.reason);
      if (c->reason_mentions != NULL)
        g_assert_nonnull (strstr (decision.reason, c->reason_mentions));
    }

  pd_ledger_decision_clear (&decision);
}

static void
test_decision_clear (void)
{
  PdLedgerDecision decision = { 0 };

  pd_ledger_decision_clear (&decision);
  g_assert_null (decision.reason);

  decision.reason = g_strdup ("something");
  pd_ledger_decision_clear (&decision);
  g_assert_null (decision.reason);
  pd_ledger_decision_clear (&decision);
  g_assert_null (decision.reason);
}

static void
add_cases (const char       *prefix,
           const LedgerCase *cases,
           guint             n_cases,
           GTestDataFunc     func)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s", prefix, cases[i].name);

      g_test_add_data_func (path, &cases[i], func);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_cases ("/ledger/prerequest", prerequest_cases, G_N_ELEMENTS (prerequest_cases),
             test_prerequest);
  add_cases ("/ledger/notification", notification_cases, G_N_ELEMENTS (notification_cases),
             test_notification);

  for (guint i = 0; i < G_N_ELEMENTS (fields_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ledger/check-fields/%s", fields_cases[i].name);

      g_test_add_data_func (path, &fields_cases[i], test_check_fields);
    }

  g_test_add_func ("/ledger/decision-clear", test_decision_clear);

  return g_test_run ();
}
