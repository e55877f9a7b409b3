/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-invoice-issuer.h"
#include "pd-cli.h"
#include "pd-invoice-link.h"
#include "pd-json.h"
#include "pd-money.h"
#include "pd-receipt.h"

/* The receipt settings of a product as the command line gives them; NULL
 * or 0 for what was not given. */
typedef struct
{
  char  *vat_text;
  char  *subject_text;
  char  *method_text;
  guint  subject;
  guint  method;
} ReceiptOptions;

static void
receipt_options_clear (ReceiptOptions *options)
{
  g_free (options->vat_text);
  g_free (options->subject_text);
  g_free (options->method_text);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReceiptOptions, receipt_options_clear)

#define RECEIPT_ENTRIES(options) \
  { "vat", 0, 0, G_OPTION_ARG_STRING, &(options).vat_text, N_("The VAT rate, such as vat20 or no_vat"), N_("TAG") }, \
  { "subject", 0, 0, G_OPTION_ARG_STRING, &(options).subject_text, N_("The payment subject code, such as 1 for goods or 4 for a service"), N_("CODE") }, \
  { "method", 0, 0, G_OPTION_ARG_STRING, &(options).method_text, N_("The payment method code, such as 4 for full payment"), N_("CODE") }

static char *
list_vat_rates (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_rates;
  const PdVatRate *rates = pd_vat_rate_get_all (&n_rates);

  for (guint i = 0; i < n_rates; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", rates[i].tag);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "1 (Goods), 2 (Excise goods), ..." */
static char *
list_codes (gboolean subjects)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n;

  if (subjects)
    {
      const PdReceiptSubject *all = pd_receipt_subject_get_all (&n);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (out, "%s%u (%s)", i > 0 ? ", " : "", all[i].code,
                                pd_receipt_subject_get_label (&all[i]));
    }
  else
    {
      const PdReceiptMethod *all = pd_receipt_method_get_all (&n);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (out, "%s%u (%s)", i > 0 ? ", " : "", all[i].code,
                                pd_receipt_method_get_label (&all[i]));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Checks the receipt options given against the tables of pd-receipt;
 * prints what is allowed and returns FALSE when one is unknown. */
static gboolean
check_receipt_options (const char     *command,
                       ReceiptOptions *options)
{
  if (options->vat_text != NULL && pd_vat_rate_lookup (options->vat_text) == NULL)
    {
      g_autofree char *known = list_vat_rates ();

      pd_cli_usage_error (command, _("The VAT rate “%s” is not one of %s."), options->vat_text, known);
      return FALSE;
    }

  if (options->subject_text != NULL &&
      pd_receipt_subject_lookup (options->subject = pd_receipt_parse_code (options->subject_text)) == NULL)
    {
      g_autofree char *known = list_codes (TRUE);

      pd_cli_usage_error (command, _("The payment subject “%s” is not one of %s."),
                          options->subject_text, known);
      return FALSE;
    }

  if (options->method_text != NULL &&
      pd_receipt_method_lookup (options->method = pd_receipt_parse_code (options->method_text)) == NULL)
    {
      g_autofree char *known = list_codes (FALSE);

      pd_cli_usage_error (command, _("The payment method “%s” is not one of %s."),
                          options->method_text, known);
      return FALSE;
    }
  return TRUE;
}

static int
product_add (PdCliGlobals  *globals,
             int            argc,
             char         **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *price_text = NULL;
  g_auto(ReceiptOptions) receipt = { NULL, };
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The product's name"), N_("NAME") },
    { "price", 0, 0, G_OPTION_ARG_STRING, &price_text, N_("The price in roubles, such as 50 or 50.00"), N_("AMOUNT") },
    RECEIPT_ENTRIES (receipt),
    { NULL }
  };
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  PdProduct product = { 0, };
  gint64 id;

  if (!pd_cli_parse_options ("product add", NULL,
                             _("The VAT rate, payment subject and payment method go on the product's "
                               "receipt lines; “product defaults” sets what they are when not given."),
                             entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (argc > 1)
    return pd_cli_usage_error ("product add", _("Unexpected argument “%s”."), argv[1]);
  if (name == NULL || price_text == NULL)
    return pd_cli_usage_error ("product add", _("--name and --price are required."));
  if (!pd_money_parse (price_text, &product.price, &error))
    return pd_cli_usage_error ("product add", "%s", error->message);
  if (product.price <= 0)
    return pd_cli_usage_error ("product add", _("The price must be more than zero."));
  if (!check_receipt_options ("product add", &receipt))
    return PD_EXIT_USAGE;

  product.name = name;
  product.vat = receipt.vat_text;
  product.subject = receipt.subject;
  product.method = receipt.method;
  if ((db = pd_cli_open_database (globals, &error)) == NULL ||
      !pd_catalog_add_product_full (db, &product, &id, &error))
    return pd_cli_fail (error);

  g_print ("%" G_GINT64_FORMAT "\n", id);
  return PD_EXIT_OK;
}

static int
product_list (PdCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  gboolean json = FALSE;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Include archived products"), NULL },
    { NULL }
  };
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GError) error = NULL;

  if (!pd_cli_parse_options ("product list", NULL, NULL, entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;

  if ((db = pd_cli_open_database (globals, &error)) == NULL ||
      (products = pd_catalog_list_products (db, all, &error)) == NULL)
    return pd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < products->len; i++)
        {
          const PdProduct *product = products->pdata[i];
          g_autofree char *price = pd_money_format (product->price);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, product->id);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, product->name);
          json_builder_set_member_name (builder, "price");
          json_builder_add_string_value (builder, price);
          json_builder_set_member_name (builder, "vat");
          json_builder_add_string_value (builder, product->vat);
          json_builder_set_member_name (builder, "subject");
          json_builder_add_int_value (builder, product->subject);
          json_builder_set_member_name (builder, "method");
          json_builder_add_int_value (builder, product->method);
          json_builder_set_member_name (builder, "archived");
          json_builder_add_boolean_value (builder, product->archived);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      pd_cli_print_json (builder);
      return PD_EXIT_OK;
    }

  for (guint i = 0; i < products->len; i++)
    {
      const PdProduct *product = products->pdata[i];
      g_autofree char *price = pd_money_format (product->price);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s%s\n", product->id, price, product->vat,
               product->name, product->archived ? _(" (archived)") : "");
    }
  return PD_EXIT_OK;
}

/* Shows the receipt defaults of new products, after setting those given. */
static int
product_defaults (PdCliGlobals  *globals,
                  int            argc,
                  char         **argv)
{
  gboolean json = FALSE;
  g_auto(ReceiptOptions) receipt = { NULL, };
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    RECEIPT_ENTRIES (receipt),
    { NULL }
  };
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  PdReceiptDefaults defaults;

  if (!pd_cli_parse_options ("product defaults", NULL,
                             _("What the receipt lines of a new product say unless “product add” "
                               "says otherwise. Without options, shows them."),
                             entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (argc > 1)
    return pd_cli_usage_error ("product defaults", _("Unexpected argument “%s”."), argv[1]);
  if (!check_receipt_options ("product defaults", &receipt))
    return PD_EXIT_USAGE;

  if ((db = pd_cli_open_database (globals, &error)) == NULL ||
      !pd_catalog_get_receipt_defaults (db, &defaults, &error))
    return pd_cli_fail (error);

  if (receipt.vat_text != NULL || receipt.subject != 0 || receipt.method != 0)
    {
      if (receipt.vat_text != NULL)
        defaults.vat = pd_vat_rate_lookup (receipt.vat_text)->tag;
      if (receipt.subject != 0)
        defaults.subject = receipt.subject;
      if (receipt.method != 0)
        defaults.method = receipt.method;
      if (!pd_catalog_set_receipt_defaults (db, &defaults, &error))
        return pd_cli_fail (error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      pd_cli_json_add_string (builder, "vat", defaults.vat);
      json_builder_set_member_name (builder, "subject");
      json_builder_add_int_value (builder, defaults.subject);
      json_builder_set_member_name (builder, "method");
      json_builder_add_int_value (builder, defaults.method);
      json_builder_end_object (builder);
      pd_cli_print_json (builder);
      return PD_EXIT_OK;
    }

  g_print ("vat\t%s\t%s\n", defaults.vat, pd_vat_rate_get_label (pd_vat_rate_lookup (defaults.vat)));
  g_print ("subject\t%u\t%s\n", defaults.subject,
           pd_receipt_subject_get_label (pd_receipt_subject_lookup (defaults.subject)));
  g_print ("method\t%u\t%s\n", defaults.method,
           pd_receipt_method_get_label (pd_receipt_method_lookup (defaults.method)));
  return PD_EXIT_OK;
}

int
pd_cli_product (PdCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return product_add (globals, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return product_list (globals, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "defaults"))
    return product_defaults (globals, argc - 1, argv + 1);
  return pd_cli_usage_error ("product", _("Use “product add”, “product list” or “product defaults”."));
}

/* The link of an invoice as stored, with its lines for the receipt. */
static char *
stored_invoice_url (PdDatabase       *db,
                    const PdShop     *shop,
                    const PdInvoice  *invoice,
                    GError          **error)
{
  g_autoptr(GPtrArray) lines = pd_catalog_list_invoice_lines (db, invoice->id, error);

  if (lines == NULL)
    return NULL;
  return pd_invoice_payment_url (shop, invoice, lines, error);
}

/* One line of `invoice create --json`; written by hand because --count
 * prints up to millions of them. */
static gboolean
append_created_json (GString          *out,
                     const PdShop     *shop,
                     const PdInvoice  *invoice,
                     GPtrArray        *lines,
                     GError          **error)
{
  g_autofree char *amount = pd_money_format (invoice->amount);
  g_autofree char *url = pd_invoice_payment_url (shop, invoice, lines, error);

  if (url == NULL)
    return FALSE;

  g_string_append (out, "{\"number\":");
  pd_json_append_string (out, invoice->number);
  g_string_append (out, ",\"amount\":");
  pd_json_append_string (out, amount);
  g_string_append (out, ",\"currency\":");
  pd_json_append_string (out, invoice->currency);
  g_string_append (out, ",\"status\":");
  pd_json_append_string (out, pd_invoice_status_to_string (invoice->status));
  g_string_append (out, ",\"test\":");
  g_string_append (out, invoice->test ? "true" : "false");
  g_string_append (out, ",\"payment_url\":");
  pd_json_append_string (out, url);
  g_string_append (out, "}\n");
  return TRUE;
}

/* REST v2: PayMaster makes each invoice and answers with its link. */
static int
invoice_create_v2 (PdCliGlobals          *globals,
                   const PdInvoiceDraft  *draft,
                   int                    count,
                   gboolean               json,
                   const char            *token_file)
{
  g_auto(PdCliApiSession) session = { NULL };
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (!pd_cli_api_session_open (&session, globals, token_file, &error))
    return pd_cli_fail (error);
  pd_invoice_issuer_issue_async (session.store, session.shop, session.api, draft,
                                 count > 0 ? (guint) count : 1,
                                 pd_shop_mode_is_test (session.shop->mode), NULL,
                                 pd_cli_waited, &session.wait);
  invoices = pd_invoice_issuer_issue_finish (pd_cli_wait_run (&session.wait), &error);
  if (invoices == NULL)
    return pd_cli_fail (error);

  for (guint i = 0; i < invoices->len; i++)
    {
      const PdInvoice *invoice = invoices->pdata[i];

      if (!json && count == 0)
        {
          g_autofree char *amount = pd_money_format (invoice->amount);

          g_print (_("Invoice %s: %s %s\n%s\n"), invoice->number, amount, invoice->currency,
                   invoice->paymaster_url);
        }
      else if (!append_created_json (out, session.shop, invoice, NULL, &error))
        return pd_cli_fail (error);
    }
  fwrite (out->str, 1, out->len, stdout);
  return PD_EXIT_OK;
}

static int
invoice_create (PdCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  gint64 product_id = 0;
  gint64 quantity = 1;
  int count = 0;
  int expires_in = 0;
  gboolean json = FALSE;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *token_file = NULL;
  GOptionEntry entries[] = {
    { "product", 0, 0, G_OPTION_ARG_INT64, &product_id, N_("The product to invoice"), N_("ID") },
    { "qty", 0, 0, G_OPTION_ARG_INT64, &quantity, N_("How many (default 1)"), N_("N") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The customer's e-mail, where the receipt goes"), N_("ADDR") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("The customer's phone, where the receipt goes without an e-mail"), N_("PHONE") },
    { "expires-in", 0, 0, G_OPTION_ARG_INT, &expires_in, N_("The invoice can be paid for HOURS only"), N_("HOURS") },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("Create N invoices at once (one JSON line each)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("Read the REST API v2 token from FILE instead of the keyring"), N_("FILE") },
    { NULL }
  };
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdShop) shop = NULL;
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(PdInvoice) stored = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_sized_new (4096);
  PdInvoiceLine line;
  PdInvoiceDraft draft = { &line, 1, NULL, 0, NULL };

  if (!pd_cli_parse_options ("invoice create", NULL, NULL, entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (argc > 1)
    return pd_cli_usage_error ("invoice create", _("Unexpected argument “%s”."), argv[1]);
  if (product_id <= 0)
    return pd_cli_usage_error ("invoice create", _("--product ID is required (see “product list”)."));
  if (quantity <= 0 || quantity > 1000000)
    return pd_cli_usage_error ("invoice create", _("--qty must be between 1 and 1000000."));
  if (count < 0 || count > PD_MAX_INVOICE_BATCH)
    return pd_cli_usage_error ("invoice create", _("--count must be between 1 and %d."), PD_MAX_INVOICE_BATCH);
  if (expires_in < 0 || expires_in > 24 * 365)
    return pd_cli_usage_error ("invoice create", _("--expires-in must be between 1 and 8760 hours."));
  if (email != NULL)
    {
      g_autofree char *normalized = pd_receipt_normalize_email (email, &error);

      if (normalized == NULL)
        return pd_cli_usage_error ("invoice create", "%s", error->message);
    }
  if (phone != NULL)
    {
      g_autofree char *normalized = pd_receipt_normalize_phone (phone, &error);

      if (normalized == NULL)
        return pd_cli_usage_error ("invoice create", "%s", error->message);
    }

  line.product_id = product_id;
  line.quantity = quantity;
  draft.email = email;
  draft.phone = phone;
  draft.lifetime = (gint64) expires_in * 3600;

  if ((db = pd_cli_open_database (globals, &error)) == NULL ||
      (shop = pd_catalog_load_shop (db, &error)) == NULL)
    return pd_cli_fail (error);
  if (shop->protocol == PD_PROTOCOL_V2)
    {
      g_clear_pointer (&db, pd_database_close);
      return invoice_create_v2 (globals, &draft, count, json, token_file);
    }

  /* The invoices of a batch have the same lines: the first one's serve. */
  if ((invoice = pd_catalog_create_invoices (db, &draft, count > 0 ? (guint) count : 1,
                                             pd_shop_mode_is_test (shop->mode), &error)) == NULL ||
      (stored = pd_catalog_get_invoice (db, invoice->number, &error)) == NULL ||
      (lines = pd_catalog_list_invoice_lines (db, stored->id, &error)) == NULL)
    return pd_cli_fail (error);

  if (!json && count == 0)
    {
      g_autofree char *amount = pd_money_format (stored->amount);
      g_autofree char *url = pd_invoice_payment_url (shop, stored, lines, &error);

      if (url == NULL)
        return pd_cli_fail (error);
      g_print (_("Invoice %s: %s %s\n%s\n"), stored->number, amount, stored->currency, url);
      return PD_EXIT_OK;
    }

  for (int i = 0; i < MAX (count, 1); i++)
    {
      if (!append_created_json (out, shop, invoice, lines, &error))
        return pd_cli_fail (error);
      if (out->len > 64 * 1024)
        {
          fwrite (out->str, 1, out->len, stdout);
          g_string_truncate (out, 0);
        }
      {
        char *next = pd_catalog_next_number (invoice->number);

        g_free (invoice->number);
        invoice->number = next;
      }
    }
  fwrite (out->str, 1, out->len, stdout);
  return PD_EXIT_OK;
}

static void
add_member_time (JsonBuilder *builder,
                 const char  *name,
                 gint64       unix_seconds)
{
  g_autofree char *text = NULL;

  if (unix_seconds > 0)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

      text = g_date_time_format_iso8601 (time);
    }
  pd_cli_json_add_string (builder, name, text);
}

/* @payment_url is left out when NULL. */
static void
build_invoice_json (JsonBuilder     *builder,
                    const PdInvoice *invoice,
                    const char      *payment_url)
{
  g_autofree char *amount = pd_money_format (invoice->amount);
  g_autofree char *refunded = pd_money_format (invoice->refunded);

  json_builder_begin_object (builder);
  pd_cli_json_add_string (builder, "number", invoice->number);
  pd_cli_json_add_string (builder, "status", pd_invoice_status_to_string (invoice->status));
  pd_cli_json_add_string (builder, "amount", amount);
  pd_cli_json_add_string (builder, "currency", invoice->currency);
  pd_cli_json_add_string (builder, "description", invoice->description);
  pd_cli_json_add_string (builder, "email", invoice->email);
  pd_cli_json_add_string (builder, "phone", invoice->phone);
  json_builder_set_member_name (builder, "test");
  json_builder_add_boolean_value (builder, invoice->test);
  add_member_time (builder, "created_at", invoice->created_at);
  add_member_time (builder, "paid_at", invoice->paid_at);
  pd_cli_json_add_string (builder, "payment_id", invoice->payment_id);
  pd_cli_json_add_string (builder, "refunded", refunded);
  if (payment_url != NULL)
    pd_cli_json_add_string (builder, "payment_url", payment_url);
  json_builder_end_object (builder);
}

static void
print_invoice_text (const PdInvoice *invoice)
{
  g_autofree char *amount = pd_money_format (invoice->amount);

  g_print ("%s\t%s\t%s %s%s\t%s\n", invoice->number, pd_invoice_status_to_string (invoice->status),
           amount, invoice->currency, invoice->test ? _(" (test)") : "", invoice->description);
}

static int
invoice_show (PdCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(PdShop) shop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (!pd_cli_parse_options ("invoice show", N_("NUMBER"), NULL, entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (argc != 2)
    return pd_cli_usage_error ("invoice show", _("Give one invoice NUMBER."));

  if ((db = pd_cli_open_database (globals, &error)) == NULL ||
      (invoice = pd_catalog_get_invoice (db, argv[1], &error)) == NULL)
    return pd_cli_fail (error);

  /* An unpaid invoice shows its link; one that cannot have any is still
   * shown, with the reason on standard error. */
  if (invoice->status == PD_INVOICE_ISSUED &&
      ((shop = pd_catalog_load_shop (db, &error)) == NULL ||
       (url = stored_invoice_url (db, shop, invoice, &error)) == NULL))
    g_printerr ("paydesk-cli: %s\n", error->message);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      build_invoice_json (builder, invoice, url);
      pd_cli_print_json (builder);
    }
  else
    {
      print_invoice_text (invoice);
      if (url != NULL)
        g_print ("%s\n", url);
    }
  return PD_EXIT_OK;
}

static int
invoice_list (PdCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  gboolean json = FALSE;
  g_autofree char *status_text = NULL;
  int limit = 0;
  GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text, N_("Only invoices with this status"), N_("S") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N invoices, newest first"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(GError) error = NULL;
  PdInvoiceStatus status = PD_INVOICE_ISSUED;

  if (!pd_cli_parse_options ("invoice list", NULL, NULL, entries, globals, &argc, &argv))
    return PD_EXIT_USAGE;
  if (status_text != NULL && !pd_invoice_status_from_string (status_text, &status))
    return pd_cli_usage_error ("invoice list", _("The status “%s” is not issued, paid, cancelled, "
                                                 "expired or refunded."), status_text);
  if (limit < 0)
    return pd_cli_usage_error ("invoice list", _("--limit must be positive."));

  if ((db = pd_cli_open_database (globals, &error)) == NULL ||
      (invoices = pd_catalog_list_invoices (db, status_text ? (int) status : -1,
                                            (guint) limit, &error)) == NULL)
    return pd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < invoices->len; i++)
        build_invoice_json (builder, invoices->pdata[i], NULL);
      json_builder_end_array (builder);
      pd_cli_print_json (builder);
    }
  else
    {
      for (guint i = 0; i < invoices->len; i++)
        print_invoice_text (invoices->pdata[i]);
    }
  return PD_EXIT_OK;
}

int
pd_cli_invoice (PdCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "create"))
    return invoice_create (globals, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return invoice_show (globals, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return invoice_list (globals, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "refund"))
    return pd_cli_invoice_refund (globals, argc - 1, argv + 1);
  return pd_cli_usage_error ("invoice", _("Use “invoice create”, “invoice show”, “invoice list” "
                                          "or “invoice refund”."));
}
