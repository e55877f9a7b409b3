/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pd-paymaster.h"
#include "pd-shop.h"

#include "pd-test-utils.h"

/* Section 1.5 of the PayMaster spec. A NULL sim_mode means the field is not
 * in the notification at all (a live payment). */
typedef struct
{
  const char *merchant_id;
  const char *payment_no;
  const char *sys_payment_id;
  const char *sys_payment_date;
  const char *payment_amount;
  const char *currency;
  const char *paid_amount;
  const char *paid_currency;
  const char *payment_system;
  const char *sim_mode;
  const char *secret;
  PdHashAlg   alg;
  const char *signed_string;
  const char *hash;
} Vector;

#define VECTOR_1_STRING \
  "2902fb4a-d618-4b6b-aade-793b95e10c59;41034-20151217-e8a416ef;40599192;" \
  "2015-12-17T12:14:10;6000.00;RUB;6000.00;RUB;3;0;YOUR_MOMMY_SECRET"

#define VECTOR_1_FIELDS \
  "2902fb4a-d618-4b6b-aade-793b95e10c59", "41034-20151217-e8a416ef", "40599192", \
  "2015-12-17T12:14:10", "6000.00", "RUB", "6000.00", "RUB", "3", "0", "YOUR_MOMMY_SECRET"

#define VECTOR_2_SECRET "U0HXxS8Ec1bCL1/hgEK98sXBd9C9RBrsoqbAGZefqgI="
#define VECTOR_2_HASH "u4SUMtB0dUiCdEwZU+runYOxhWc9TGiL8cXmI37IKi8="

static const Vector vectors[] = {
  {
    VECTOR_1_FIELDS,
    PD_HASH_SHA256,
    VECTOR_1_STRING,
    "m8bC0NMnyUrcr/XZXe4HaT0OkKjDLqLG2Rqo9GZZ0ys=",
  },
  {
    "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6", "43636-20160126-1af9dcfd", "43184405",
    "2016-01-26T10:53:35", "1.00", "RUB", "1.00", "RUB", "93", NULL, VECTOR_2_SECRET,
    PD_HASH_SHA256,
    "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6;43636-20160126-1af9dcfd;43184405;"
    "2016-01-26T10:53:35;1.00;RUB;1.00;RUB;93;;" VECTOR_2_SECRET,
    VECTOR_2_HASH,
  },
  {
    VECTOR_1_FIELDS,
    PD_HASH_MD5,
    VECTOR_1_STRING,
    "SNN3drZX56hZ8aj3cltY3Q==",
  },
  {
    VECTOR_1_FIELDS,
    PD_HASH_SHA1,
    VECTOR_1_STRING,
    "hNjYTsYDyNISG3iCBTlxG8SHRCM=",
  },
};

/* A notification body as PayMaster sends vector 2: lowercase percent
 * escapes, no LMI_SIM_MODE, extra fields that are not signed. */
#define VECTOR_2_BODY \
  "LMI_MERCHANT_ID=ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6" \
  "&LMI_PAYMENT_NO=43636-20160126-1af9dcfd" \
  "&LMI_SYS_PAYMENT_ID=43184405" \
  "&LMI_SYS_PAYMENT_DATE=2016-01-26T10%3a53%3a35" \
  "&LMI_PAYMENT_AMOUNT=1.00" \
  "&LMI_CURRENCY=RUB" \
  "&LMI_PAID_AMOUNT=1.00" \
  "&LMI_PAID_CURRENCY=RUB" \
  "&LMI_PAYMENT_SYSTEM=93" \
  "&LMI_PAYMENT_METHOD=Test" \
  "&LMI_PAYER_IDENTIFIER=4111xxxxxxxx1111" \
  "&LMI_PAYMENT_DESC=%d0%9e%d0%bf%d0%bb%d0%b0%d1%82%d0%b0+1" \
  "&order=43636"

#define MERCHANT_ID "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6"
#define DESCRIPTION "Оплата заказа №42: пирожок"

static PdForm *
form_from_vector (const Vector *v)
{
  PdForm *form = pd_form_new ();

  pd_form_add (form, "LMI_MERCHANT_ID", v->merchant_id);
  pd_form_add (form, "LMI_PAYMENT_NO", v->payment_no);
  pd_form_add (form, "LMI_SYS_PAYMENT_ID", v->sys_payment_id);
  pd_form_add (form, "LMI_SYS_PAYMENT_DATE", v->sys_payment_date);
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", v->payment_amount);
  pd_form_add (form, "LMI_CURRENCY", v->currency);
  pd_form_add (form, "LMI_PAID_AMOUNT", v->paid_amount);
  pd_form_add (form, "LMI_PAID_CURRENCY", v->paid_currency);
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", v->payment_system);
  if (v->sim_mode != NULL)
    pd_form_add (form, "LMI_SIM_MODE", v->sim_mode);
  /* Fields outside the signature must not change it. */
  pd_form_add (form, "LMI_PAYMENT_METHOD", "BankCard");
  pd_form_add (form, "order", "42");
  return form;
}

static PdForm *
signed_form_from_vector (const Vector *v)
{
  PdForm *form = form_from_vector (v);

  pd_form_add (form, "LMI_HASH", v->hash);
  return form;
}

static PdForm *
parse_body (const char *body)
{
  g_autoptr(GError) error = NULL;
  PdForm *form = pd_form_parse (body, strlen (body), &error);

  g_assert_no_error (error);
  g_assert_nonnull (form);
  return form;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    pd_test_fail_case ("“%s” does not contain “%s”", haystack, needle);
}

/* -- Test vectors ------------------------------------------------------- */

static void
test_vector_digest (gconstpointer data)
{
  const Vector *v = data;
  g_autofree char *hash = pd_paymaster_digest_base64 (v->alg, v->signed_string,
                                                      strlen (v->signed_string));

  g_assert_cmpstr (hash, ==, v->hash);
}

static void
test_vector_signed_string (gconstpointer data)
{
  const Vector *v = data;
  g_autoptr(PdForm) form = form_from_vector (v);
  g_autofree char *text = pd_paymaster_signed_string (form, v->secret);

  g_assert_cmpstr (text, ==, v->signed_string);
}

static void
test_vector_sign (gconstpointer data)
{
  const Vector *v = data;
  g_autoptr(PdForm) form = form_from_vector (v);
  g_autofree char *hash = pd_paymaster_sign (form, v->alg, v->secret);

  g_assert_cmpstr (hash, ==, v->hash);
}

static void
test_vector_verify (gconstpointer data)
{
  const Vector *v = data;
  g_autoptr(PdForm) form = signed_form_from_vector (v);
  char *diagnosis = NULL;

  g_assert_true (pd_paymaster_verify (form, v->alg, v->secret, &diagnosis));
  g_assert_null (diagnosis);
  g_assert_true (pd_paymaster_verify (form, v->alg, v->secret, NULL));
}

static void
test_digest_lengths (void)
{
  g_autofree char *md5 = pd_paymaster_digest_base64 (PD_HASH_MD5, "", 0);
  g_autofree char *sha1 = pd_paymaster_digest_base64 (PD_HASH_SHA1, "", 0);
  g_autofree char *sha256 = pd_paymaster_digest_base64 (PD_HASH_SHA256, "", 0);

  /* base64 of the raw digest, not of its hex spelling. */
  g_assert_cmpuint (strlen (md5), ==, 24);
  g_assert_cmpuint (strlen (sha1), ==, 28);
  g_assert_cmpuint (strlen (sha256), ==, 44);
  g_assert_cmpstr (md5, ==, "1B2M2Y8AsgTpgAmY7PhCfg==");
}

static void
test_vector2_body (void)
{
  g_autoptr(PdForm) form =
    parse_body (VECTOR_2_BODY "&LMI_HASH=u4SUMtB0dUiCdEwZU%2brunYOxhWc9TGiL8cXmI37IKi8%3d");
  g_autofree char *text = NULL;
  char *diagnosis = NULL;

  g_assert_cmpstr (pd_form_get (form, "LMI_SYS_PAYMENT_DATE"), ==, "2016-01-26T10:53:35");
  g_assert_null (pd_form_get (form, "LMI_SIM_MODE"));
  text = pd_paymaster_signed_string (form, VECTOR_2_SECRET);
  g_assert_cmpstr (text, ==, vectors[1].signed_string);

  g_assert_true (pd_paymaster_verify (form, PD_HASH_SHA256, VECTOR_2_SECRET, &diagnosis));
  g_assert_null (diagnosis);
}

static void
test_vector2_body_uppercase (void)
{
  g_autoptr(PdForm) form =
    parse_body (VECTOR_2_BODY "&LMI_HASH=u4SUMtB0dUiCdEwZU%2BrunYOxhWc9TGiL8cXmI37IKi8%3D");

  g_assert_true (pd_paymaster_verify (form, PD_HASH_SHA256, VECTOR_2_SECRET, NULL));
}

/* -- Verification failures ---------------------------------------------- */

static void
test_verify_wrong_algorithm (void)
{
  /* Signed with SHA1 (vector 4), Paydesk set to SHA256. */
  g_autoptr(PdForm) form = signed_form_from_vector (&vectors[3]);
  g_autofree char *diagnosis = NULL;

  g_assert_false (pd_paymaster_verify (form, PD_HASH_SHA256, "YOUR_MOMMY_SECRET", &diagnosis));
  g_assert_nonnull (diagnosis);
  assert_contains (diagnosis, "signed with SHA1");
  assert_contains (diagnosis, "set to SHA256");
}

static void
test_verify_wrong_algorithm_md5 (void)
{
  /* Signed with SHA256 (vector 1), Paydesk set to MD5. */
  g_autoptr(PdForm) form = signed_form_from_vector (&vectors[0]);
  g_autofree char *diagnosis = NULL;

  g_assert_false (pd_paymaster_verify (form, PD_HASH_MD5, "YOUR_MOMMY_SECRET", &diagnosis));
  assert_contains (diagnosis, "signed with SHA256");
  assert_contains (diagnosis, "set to MD5");
}

static void
test_verify_secret_whitespace (void)
{
  static const char *secrets[] = {
    "YOUR_MOMMY_SECRET\n",
    "YOUR_MOMMY_SECRET ",
    "YOUR_MOMMY_SECRET\r\n",
    " YOUR_MOMMY_SECRET",
    "\tYOUR_MOMMY_SECRET \n",
  };
  g_autoptr(PdForm) form = signed_form_from_vector (&vectors[0]);

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *diagnosis = NULL;

      g_assert_false (pd_paymaster_verify (form, PD_HASH_SHA256, secrets[i], &diagnosis));
      assert_contains (diagnosis, "spaces");
    }
}

static void
test_verify_plus_as_space (void)
{
  /* An unescaped '+' in the body decodes as a space, as a proxy that
   * decodes and re-sends the form would cause. */
  g_autoptr(PdForm) form = parse_body (VECTOR_2_BODY "&LMI_HASH=" VECTOR_2_HASH);
  g_autofree char *diagnosis = NULL;

  g_assert_cmpstr (pd_form_get (form, "LMI_HASH"), ==,
                   "u4SUMtB0dUiCdEwZU runYOxhWc9TGiL8cXmI37IKi8=");
  g_assert_false (pd_paymaster_verify (form, PD_HASH_SHA256, VECTOR_2_SECRET, &diagnosis));
  assert_contains (diagnosis, "“+”");
  assert_contains (diagnosis, "spaces");
}

static void
test_verify_missing_hash (void)
{
  g_autoptr(PdForm) form = form_from_vector (&vectors[0]);
  g_autoptr(PdForm) empty = form_from_vector (&vectors[0]);
  g_autofree char *diagnosis = NULL;
  g_autofree char *diagnosis_empty = NULL;

  g_assert_false (pd_paymaster_verify (form, PD_HASH_SHA256, "YOUR_MOMMY_SECRET", &diagnosis));
  assert_contains (diagnosis, "LMI_HASH");

  pd_form_add (empty, "LMI_HASH", "");
  g_assert_false (pd_paymaster_verify (empty, PD_HASH_SHA256, "YOUR_MOMMY_SECRET",
                                       &diagnosis_empty));
  assert_contains (diagnosis_empty, "LMI_HASH");

  g_assert_false (pd_paymaster_verify (form, PD_HASH_SHA256, "YOUR_MOMMY_SECRET", NULL));
}

static void
test_verify_wrong_secret (void)
{
  g_autoptr(PdForm) form = signed_form_from_vector (&vectors[0]);
  g_autofree char *diagnosis = NULL;

  g_assert_false (pd_paymaster_verify (form, PD_HASH_SHA256, "NOT_THE_SECRET", &diagnosis));
  assert_contains (diagnosis, "secret key");
  /* The diagnosis is for a person: it never repeats a secret. */
  g_assert_null (strstr (diagnosis, "NOT_THE_SECRET"));
  g_assert_null (strstr (diagnosis, "YOUR_MOMMY_SECRET"));
}

static void
test_verify_tampered (void)
{
  g_autoptr(PdForm) form = signed_form_from_vector (&vectors[0]);
  g_autoptr(PdForm) sim = signed_form_from_vector (&vectors[0]);
  g_autoptr(PdForm) live = NULL;
  Vector live_vector = vectors[0];

  pd_form_set (form, "LMI_PAYMENT_AMOUNT", "6000.0");
  g_assert_false (pd_paymaster_verify (form, PD_HASH_SHA256, "YOUR_MOMMY_SECRET", NULL));

  /* Dropping LMI_SIM_MODE would turn a test payment into a live one. */
  live_vector.sim_mode = NULL;
  live = signed_form_from_vector (&live_vector);
  g_assert_false (pd_paymaster_verify (live, PD_HASH_SHA256, "YOUR_MOMMY_SECRET", NULL));

  pd_form_set (sim, "LMI_SIM_MODE", "1");
  g_assert_false (pd_paymaster_verify (sim, PD_HASH_SHA256, "YOUR_MOMMY_SECRET", NULL));
}

static void
test_verify_case_sensitive (void)
{
  g_autoptr(PdForm) form = form_from_vector (&vectors[0]);
  g_autofree char *lower = g_ascii_strdown (vectors[0].hash, -1);

  pd_form_add (form, "LMI_HASH", lower);
  g_assert_false (pd_paymaster_verify (form, PD_HASH_SHA256, "YOUR_MOMMY_SECRET", NULL));
}

static void
test_verify_truncated (void)
{
  g_autoptr(PdForm) form = form_from_vector (&vectors[0]);
  g_autofree char *truncated = g_strndup (vectors[0].hash, strlen (vectors[0].hash) - 1);

  pd_form_add (form, "LMI_HASH", truncated);
  g_assert_false (pd_paymaster_verify (form, PD_HASH_SHA256, "YOUR_MOMMY_SECRET", NULL));
}

static void
test_mask_secret (void)
{
  g_autofree char *masked = pd_paymaster_mask_secret (VECTOR_1_STRING, "YOUR_MOMMY_SECRET");
  g_autofree char *masked2 = pd_paymaster_mask_secret (vectors[1].signed_string, VECTOR_2_SECRET);
  g_autofree char *twice = pd_paymaster_mask_secret ("s3cr3t;x;s3cr3t", "s3cr3t");
  g_autofree char *none = pd_paymaster_mask_secret ("a;b;c", "");
  g_autofree char *null_secret = pd_paymaster_mask_secret ("a;b;c", NULL);

  g_assert_null (strstr (masked, "YOUR_MOMMY_SECRET"));
  g_assert_true (g_str_has_prefix (masked, "2902fb4a-d618-4b6b-aade-793b95e10c59;"));
  g_assert_true (g_str_has_suffix (masked, ";3;0;********"));

  g_assert_null (strstr (masked2, VECTOR_2_SECRET));
  g_assert_true (g_str_has_suffix (masked2, ";93;;********"));

  g_assert_cmpstr (twice, ==, "********;x;********");
  g_assert_cmpstr (none, ==, "a;b;c");
  g_assert_cmpstr (null_secret, ==, "a;b;c");
}

/* -- Payment link ------------------------------------------------------- */

static PdShop *
make_shop (PdShopMode  mode,
           const char *public_url)
{
  PdShop *shop = pd_shop_new ();

  g_free (shop->merchant_id);
  shop->merchant_id = g_strdup (MERCHANT_ID);
  g_free (shop->public_url);
  shop->public_url = g_strdup (public_url);
  shop->mode = mode;
  return shop;
}

static PdPaymentRequest
make_request (void)
{
  PdPaymentRequest request = {
    .number = "INV-42",
    .amount = 5000,
    .currency = "RUB",
    .description = DESCRIPTION,
    .email = "buyer@example.com",
    .expires_at = 0,
  };

  return request;
}

/* Returns the form in the query of a payment URL, checking the URL's base. */
static PdForm *
parse_payment_url (const char *url,
                   const char *base)
{
  const char *query;

  g_assert_true (g_str_has_prefix (url, base));
  query = url + strlen (base);
  g_assert_true (g_str_has_prefix (query, "/Payment/Init?"));
  query += strlen ("/Payment/Init?");
  return parse_body (query);
}

static void
test_payment_url_test_mode (void)
{
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_TEST, "https://shop.example/pay");
  PdPaymentRequest request = make_request ();
  g_autofree char *url = pd_paymaster_payment_url (shop, &request);
  g_autoptr(PdForm) form = parse_payment_url (url, "https://paymaster.ru");

  g_assert_cmpstr (pd_form_get (form, "LMI_SIM_MODE"), ==, "0");
  g_assert_cmpuint (pd_form_count (form, "LMI_SIM_MODE"), ==, 1);
}

static void
test_payment_url_sandbox_mode (void)
{
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_SANDBOX, "https://shop.example/pay");
  PdPaymentRequest request = make_request ();
  g_autofree char *url = NULL;
  g_autoptr(PdForm) form = NULL;

  g_free (shop->paymaster_url);
  shop->paymaster_url = g_strdup ("http://127.0.0.1:8080/sandbox/");
  url = pd_paymaster_payment_url (shop, &request);
  form = parse_payment_url (url, "http://127.0.0.1:8080/sandbox");
  g_assert_cmpstr (pd_form_get (form, "LMI_SIM_MODE"), ==, "0");
}

static void
test_payment_url_live_mode (void)
{
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_LIVE, "https://shop.example/pay");
  PdPaymentRequest request = make_request ();
  g_autofree char *url = pd_paymaster_payment_url (shop, &request);
  g_autoptr(PdForm) form = parse_payment_url (url, "https://paymaster.ru");

  g_assert_null (pd_form_get (form, "LMI_SIM_MODE"));
  g_assert_null (strstr (url, "LMI_SIM_MODE"));
}

static void
test_payment_url_fields (void)
{
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_LIVE, "https://shop.example/pay");
  PdPaymentRequest request = make_request ();
  g_autofree char *url = pd_paymaster_payment_url (shop, &request);
  g_autoptr(PdForm) form = parse_payment_url (url, "https://paymaster.ru");
  const char *desc64;
  g_autofree guchar *desc = NULL;
  gsize desc_len = 0;

  g_assert_cmpstr (pd_form_get (form, "LMI_MERCHANT_ID"), ==, MERCHANT_ID);
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_AMOUNT"), ==, "50.00");
  g_assert_cmpstr (pd_form_get (form, "LMI_CURRENCY"), ==, "RUB");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_NO"), ==, "INV-42");
  g_assert_cmpstr (pd_form_get (form, "LMI_PAYER_EMAIL"), ==, "buyer@example.com");

  desc64 = pd_form_get (form, "LMI_PAYMENT_DESC_BASE64");
  g_assert_nonnull (desc64);
  g_assert_null (strchr (desc64, '\n'));
  desc = g_base64_decode (desc64, &desc_len);
  g_assert_cmpmem (desc, desc_len, DESCRIPTION, strlen (DESCRIPTION));

  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_NOTIFICATION_URL"), ==,
                   "https://shop.example/pay/paymaster/notify");
  g_assert_cmpstr (pd_form_get (form, "LMI_INVOICE_CONFIRMATION_URL"), ==,
                   "https://shop.example/pay/paymaster/notify");
  g_assert_cmpstr (pd_form_get (form, "LMI_SUCCESS_URL"), ==,
                   "https://shop.example/pay/paymaster/success");
  g_assert_cmpstr (pd_form_get (form, "LMI_FAILURE_URL"), ==,
                   "https://shop.example/pay/paymaster/failure");

  /* Without an expiry, no LMI_EXPIRES. */
  g_assert_null (pd_form_get (form, "LMI_EXPIRES"));

  /* Every field once. */
  for (guint i = 0; i < pd_form_get_n_fields (form); i++)
    {
      const char *name;

      pd_form_get_field (form, i, &name, NULL);
      g_assert_cmpuint (pd_form_count (form, name), ==, 1);
    }
}

static void
test_payment_url_amounts (void)
{
  static const struct {
    gint64      amount;
    const char *currency;
    const char *amount_text;
  } cases[] = {
    { 1, "RUB", "0.01" },
    { 5, "RUB", "0.05" },
    { 5000, "643", "50.00" },
    { 123456, "rub", "1234.56" },
  };
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_LIVE, "https://shop.example");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PdPaymentRequest request = make_request ();
      g_autofree char *url = NULL;
      g_autoptr(PdForm) form = NULL;

      request.amount = cases[i].amount;
      request.currency = cases[i].currency;
      url = pd_paymaster_payment_url (shop, &request);
      form = parse_payment_url (url, "https://paymaster.ru");
      g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_AMOUNT"), ==, cases[i].amount_text);
      g_assert_cmpstr (pd_form_get (form, "LMI_CURRENCY"), ==, "RUB");
    }
}

static void
test_payment_url_trailing_slash (void)
{
  static const char *public_urls[] = {
    "https://shop.example/pay/",
    "https://shop.example/pay//",
  };

  for (guint i = 0; i < G_N_ELEMENTS (public_urls); i++)
    {
      g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_TEST, public_urls[i]);
      PdPaymentRequest request = make_request ();
      g_autofree char *url = pd_paymaster_payment_url (shop, &request);
      g_autoptr(PdForm) form = parse_payment_url (url, "https://paymaster.ru");

      g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_NOTIFICATION_URL"), ==,
                       "https://shop.example/pay/paymaster/notify");
      g_assert_cmpstr (pd_form_get (form, "LMI_INVOICE_CONFIRMATION_URL"), ==,
                       "https://shop.example/pay/paymaster/notify");
      g_assert_cmpstr (pd_form_get (form, "LMI_SUCCESS_URL"), ==,
                       "https://shop.example/pay/paymaster/success");
      g_assert_cmpstr (pd_form_get (form, "LMI_FAILURE_URL"), ==,
                       "https://shop.example/pay/paymaster/failure");
    }
}

static void
test_payment_url_root_public_url (void)
{
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_TEST, "https://abc.tunnel.example/");
  PdPaymentRequest request = make_request ();
  g_autofree char *url = pd_paymaster_payment_url (shop, &request);
  g_autoptr(PdForm) form = parse_payment_url (url, "https://paymaster.ru");

  g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_NOTIFICATION_URL"), ==,
                   "https://abc.tunnel.example/paymaster/notify");
}

/* A shop that only checks by itself may have no public address: the link
 * then leaves PayMaster the addresses of its cabinet. */
static void
test_payment_url_no_public_url (void)
{
  static const char * const fields[] = {
    "LMI_INVOICE_CONFIRMATION_URL", "LMI_PAYMENT_NOTIFICATION_URL", "LMI_SUCCESS_URL", "LMI_FAILURE_URL",
  };
  const char *public_urls[] = { NULL, "" };

  for (guint i = 0; i < G_N_ELEMENTS (public_urls); i++)
    {
      g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_TEST, public_urls[i]);
      PdPaymentRequest request = make_request ();
      g_autofree char *url = pd_paymaster_payment_url (shop, &request);
      g_autoptr(PdForm) form = parse_payment_url (url, "https://paymaster.ru");

      g_assert_cmpstr (pd_form_get (form, "LMI_PAYMENT_NO"), ==, "INV-42");
      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        g_assert_null (pd_form_get (form, fields[k]));
    }
}

static void
test_payment_url_paymaster_base (void)
{
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_LIVE, "https://shop.example");
  PdPaymentRequest request = make_request ();
  g_autofree char *with_slash = NULL;
  g_autofree char *without_base = NULL;

  g_free (shop->paymaster_url);
  shop->paymaster_url = g_strdup ("https://paymaster.ru/");
  with_slash = pd_paymaster_payment_url (shop, &request);
  g_assert_true (g_str_has_prefix (with_slash, "https://paymaster.ru/Payment/Init?"));

  g_clear_pointer (&shop->paymaster_url, g_free);
  without_base = pd_paymaster_payment_url (shop, &request);
  g_assert_true (g_str_has_prefix (without_base, PD_DEFAULT_PAYMASTER_URL "/Payment/Init?"));
}

static void
test_payment_url_expires (void)
{
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_LIVE, "https://shop.example");
  PdPaymentRequest request = make_request ();
  g_autofree char *url = NULL;
  g_autoptr(PdForm) form = NULL;

  /* 2023-11-14 22:13:20 UTC */
  request.expires_at = 1700000000;
  url = pd_paymaster_payment_url (shop, &request);
  form = parse_payment_url (url, "https://paymaster.ru");
  g_assert_cmpstr (pd_form_get (form, "LMI_EXPIRES"), ==, "2023-11-14T22:13:20");
}

static void
test_payment_url_no_email (void)
{
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_LIVE, "https://shop.example");
  PdPaymentRequest request = make_request ();
  g_autofree char *url_null = NULL;
  g_autofree char *url_empty = NULL;
  g_autoptr(PdForm) form_null = NULL;
  g_autoptr(PdForm) form_empty = NULL;

  request.email = NULL;
  url_null = pd_paymaster_payment_url (shop, &request);
  form_null = parse_payment_url (url_null, "https://paymaster.ru");
  g_assert_null (pd_form_get (form_null, "LMI_PAYER_EMAIL"));

  request.email = "";
  url_empty = pd_paymaster_payment_url (shop, &request);
  form_empty = parse_payment_url (url_empty, "https://paymaster.ru");
  g_assert_null (pd_form_get (form_empty, "LMI_PAYER_EMAIL"));
}

static void
test_payment_url_escaping (void)
{
  g_autoptr(PdShop) shop = make_shop (PD_SHOP_MODE_TEST, "https://shop.example/pay");
  PdPaymentRequest request = make_request ();
  g_autofree char *url = pd_paymaster_payment_url (shop, &request);
  g_autofree char *expected64 = g_base64_encode ((const guchar *) DESCRIPTION,
                                                 strlen (DESCRIPTION));
  const char *query = strchr (url, '?');
  const char *value;
  gsize value_len;

  /* The description was chosen so that its base64 needs all three. */
  g_assert_nonnull (strchr (expected64, '+'));
  g_assert_nonnull (strchr (expected64, '/'));
  g_assert_nonnull (strchr (expected64, '='));

  g_assert_nonnull (query);
  value = strstr (query, "LMI_PAYMENT_DESC_BASE64=");
  g_assert_nonnull (value);
  value += strlen ("LMI_PAYMENT_DESC_BASE64=");
  value_len = strcspn (value, "&");
  g_assert_cmpuint (value_len, >, 0);
  for (gsize i = 0; i < value_len; i++)
    {
      if (value[i] == '+' || value[i] == '/' || value[i] == '=')
        pd_test_fail_case ("a raw “%c” in LMI_PAYMENT_DESC_BASE64 of %s", value[i], url);
    }

  /* Nowhere in the query: URLs in values are escaped too. */
  g_assert_null (strchr (query, '+'));
  g_assert_null (strchr (query, '/'));
  g_assert_null (strchr (query, ' '));
}

static void
test_merchant_id_valid (void)
{
  static const char *valid[] = {
    "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6",
    "2902fb4a-d618-4b6b-aade-793b95e10c59",
    "EBC4F3FE-D395-4E08-A4EF-81CA6F4E04A6",
    "00000000-0000-0000-0000-000000000000",
  };
  static const char *invalid[] = {
    "",
    "ebc4f3fe",
    "ebc4f3fe-d395-4e08-a4ef",
    "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a",
    "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6a",
    "ebc4f3fed3954e08a4ef81ca6f4e04a6",
    "{ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6}",
    " ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6",
    "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6 ",
    "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6\n",
    "gbc4f3fe-d395-4e08-a4ef-81ca6f4e04a6",
    "ebc4f3f-ed395-4e08-a4ef-81ca6f4e04a6",
    "ebc4f3fe_d395_4e08_a4ef_81ca6f4e04a6",
    "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04-6",
    "R123456789",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    if (!pd_shop_merchant_id_is_valid (valid[i]))
      pd_test_fail_case ("“%s” was refused as a merchant id", valid[i]);
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    if (pd_shop_merchant_id_is_valid (invalid[i]))
      pd_test_fail_case ("“%s” was accepted as a merchant id", invalid[i]);
  g_assert_false (pd_shop_merchant_id_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      static const char *kinds[] = { "digest", "signed-string", "sign", "verify" };
      static const GTestDataFunc funcs[] = {
        test_vector_digest, test_vector_signed_string, test_vector_sign, test_vector_verify,
      };

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          g_autofree char *path = g_strdup_printf ("/paymaster/vector/%u/%s", i + 1, kinds[k]);

          g_test_add_data_func (path, &vectors[i], funcs[k]);
        }
    }
  g_test_add_func ("/paymaster/digest/lengths", test_digest_lengths);
  g_test_add_func ("/paymaster/vector/2/body", test_vector2_body);
  g_test_add_func ("/paymaster/vector/2/body-uppercase", test_vector2_body_uppercase);

  g_test_add_func ("/paymaster/verify/wrong-algorithm", test_verify_wrong_algorithm);
  g_test_add_func ("/paymaster/verify/wrong-algorithm-md5", test_verify_wrong_algorithm_md5);
  g_test_add_func ("/paymaster/verify/secret-whitespace", test_verify_secret_whitespace);
  g_test_add_func ("/paymaster/verify/plus-as-space", test_verify_plus_as_space);
  g_test_add_func ("/paymaster/verify/missing-hash", test_verify_missing_hash);
  g_test_add_func ("/paymaster/verify/wrong-secret", test_verify_wrong_secret);
  g_test_add_func ("/paymaster/verify/tampered", test_verify_tampered);
  g_test_add_func ("/paymaster/verify/case-sensitive", test_verify_case_sensitive);
  g_test_add_func ("/paymaster/verify/truncated", test_verify_truncated);
  g_test_add_func ("/paymaster/mask-secret", test_mask_secret);

  g_test_add_func ("/paymaster/payment-url/test-mode", test_payment_url_test_mode);
  g_test_add_func ("/paymaster/payment-url/sandbox-mode", test_payment_url_sandbox_mode);
  g_test_add_func ("/paymaster/payment-url/live-mode", test_payment_url_live_mode);
  g_test_add_func ("/paymaster/payment-url/fields", test_payment_url_fields);
  g_test_add_func ("/paymaster/payment-url/amounts", test_payment_url_amounts);
  g_test_add_func ("/paymaster/payment-url/trailing-slash", test_payment_url_trailing_slash);
  g_test_add_func ("/paymaster/payment-url/root-public-url", test_payment_url_root_public_url);
  g_test_add_func ("/paymaster/payment-url/no-public-url", test_payment_url_no_public_url);
  g_test_add_func ("/paymaster/payment-url/paymaster-base", test_payment_url_paymaster_base);
  g_test_add_func ("/paymaster/payment-url/expires", test_payment_url_expires);
  g_test_add_func ("/paymaster/payment-url/no-email", test_payment_url_no_email);
  g_test_add_func ("/paymaster/payment-url/escaping", test_payment_url_escaping);

  g_test_add_func ("/paymaster/shop/merchant-id-valid", test_merchant_id_valid);

  return g_test_run ();
}
