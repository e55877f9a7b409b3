/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-catalog.h"
#include "pd-invoice-dialog.h"
#include "pd-invoice-item.h"
#include "pd-invoice-window.h"
#include "pd-invoices-page.h"
#include "pd-money.h"
#include "pd-secrets.h"
#include "pd-ui-test.h"
#include "pd-window.h"

/* The invoices page: the empty state, a new invoice made in the dialog,
 * inline validation, search and filter, and a payment notification that
 * arrives while the list is shown and changes its row in place; on REST
 * API v2, the invoice PayMaster makes and the one it refuses. */

#define SECRET "invoices-test-secret"
#define TEA_PRICE 5000          /* 50.00 ₽ */
#define CAKE_PRICE 12050        /* 120.50 ₽ */

typedef struct
{
  char           *db_path;
  guint16         port;
  PdShop         *shop;
  PdApplication  *app;
  PdWindow       *window;
  PdInvoicesPage *page;
} Fixture;

static void
add_products (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_WRITE, &error);
  gint64 id;

  g_assert_no_error (error);
  g_assert_true (pd_catalog_add_product (db, "Tea", TEA_PRICE, "vat20", &id, &error));
  g_assert_no_error (error);
  g_assert_true (pd_catalog_add_product (db, "Cake", CAKE_PRICE, "vat10", &id, &error));
  g_assert_no_error (error);
}

static void
add_invoice (Fixture    *fixture,
             gint64      product_id,
             const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_WRITE, &error);
  PdInvoiceLine line = { product_id, 1 };
  PdInvoiceDraft draft = { &line, 1, email, 0 };
  g_autoptr(PdInvoice) invoice = pd_catalog_create_invoices (db, &draft, 1, TRUE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (invoice);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->db_path = pd_ui_test_sandbox_database (SECRET, &fixture->port, &fixture->shop);
}

/* The sandbox shop on REST API v2, with @data as the token the keyring
 * has for it. */
static void
fixture_set_up_v2 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_set_up (fixture, NULL);
  fixture->shop->protocol = PD_PROTOCOL_V2;
  pd_ui_test_set_up_shop (fixture->db_path, fixture->shop, SECRET);
  g_assert_true (pd_secrets_store (PD_SECRET_API_TOKEN, fixture->shop->merchant_id, data, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pd_ui_test_quit_application (&fixture->app);
  pd_shop_free (fixture->shop);
  g_free (fixture->db_path);
}

static void
open_invoices_page (Fixture *fixture)
{
  fixture->app = pd_ui_test_application_new (fixture->db_path);
  fixture->window = pd_ui_test_open_main_window (fixture->app);
  g_assert_true (pd_ui_test_wait_listening (fixture->app, 5000));

  pd_window_show_page (fixture->window, "invoices");
  fixture->page = PD_INVOICES_PAGE (pd_ui_test_get_widget (GTK_WIDGET (fixture->window),
                                                           PD_TYPE_INVOICES_PAGE, NULL));
}

static GtkWidget *
page_child (Fixture    *fixture,
            GType       type,
            const char *name)
{
  return pd_ui_test_get_widget (GTK_WIDGET (fixture->page), type, name);
}

static GListModel *
invoice_list (Fixture *fixture)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (page_child (fixture, GTK_TYPE_COLUMN_VIEW, "column_view"));

  return gtk_single_selection_get_model (GTK_SINGLE_SELECTION (gtk_column_view_get_model (view)));
}

typedef struct
{
  Fixture    *fixture;
  const char *page;
} PageShown;

static gboolean
page_shown (gpointer data)
{
  PageShown *shown = data;
  GtkStack *stack = GTK_STACK (page_child (shown->fixture, GTK_TYPE_STACK, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), shown->page) == 0 &&
         gtk_widget_get_mapped (gtk_stack_get_visible_child (stack));
}

static void
assert_page_shown (Fixture    *fixture,
                   const char *page)
{
  PageShown shown = { fixture, page };

  g_assert_true (pd_ui_test_wait_until (page_shown, &shown, 5000));
}

typedef struct
{
  GListModel *model;
  guint       n_items;
} CountShown;

static gboolean
count_shown (gpointer data)
{
  CountShown *count = data;

  return g_list_model_get_n_items (count->model) == count->n_items;
}

static void
assert_n_invoices (Fixture *fixture,
                   guint    n_items)
{
  CountShown count = { invoice_list (fixture), n_items };

  g_assert_true (pd_ui_test_wait_until (count_shown, &count, 5000));
}

/* Rows as the user sees them: the cells of the row whose number cell
 * reads @number, found by walking the column view's widgets. */

static gboolean
is_inscription_of (GtkWidget     *widget,
                   gconstpointer  text)
{
  return GTK_IS_INSCRIPTION (widget) &&
         g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0 &&
         gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_inscription (GtkWidget  *root,
                  const char *text)
{
  return pd_ui_test_find_descendant (root, is_inscription_of, text);
}

static GtkWidget *
find_row (Fixture    *fixture,
          const char *number)
{
  GtkWidget *view = page_child (fixture, GTK_TYPE_COLUMN_VIEW, "column_view");
  GtkWidget *cell = find_inscription (view, number);

  while (cell != NULL && g_strcmp0 (gtk_widget_get_css_name (cell), "row") != 0)
    cell = gtk_widget_get_parent (cell);
  return cell;
}

static gboolean
is_badge (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "pd-status-badge");
}

static GtkWidget *
find_badge (GtkWidget *root)
{
  return pd_ui_test_find_descendant (root, is_badge, NULL);
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} CellShown;

static gboolean
cell_shown (gpointer data)
{
  CellShown *cell = data;

  return find_inscription (page_child (cell->fixture, GTK_TYPE_COLUMN_VIEW, "column_view"),
                           cell->text) != NULL;
}

static void
assert_cell_shown (Fixture    *fixture,
                   const char *text)
{
  CellShown cell = { fixture, text };

  g_assert_true (pd_ui_test_wait_until (cell_shown, &cell, 5000));
}

typedef struct
{
  Fixture    *fixture;
  const char *number;
  const char *status;
} RowStatus;

static gboolean
row_has_status (gpointer data)
{
  RowStatus *expected = data;
  GtkWidget *row = find_row (expected->fixture, expected->number);
  GtkWidget *badge = row ? find_badge (row) : NULL;

  return badge != NULL && gtk_widget_get_visible (badge) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (badge)), expected->status) == 0;
}

static void
assert_row_status (Fixture    *fixture,
                   const char *number,
                   const char *status)
{
  RowStatus expected = { fixture, number, status };

  g_assert_true (pd_ui_test_wait_until (row_has_status, &expected, 5000));
}

static gboolean
item_loaded (gpointer data)
{
  return pd_invoice_item_get_loaded (data);
}

/* The dialog. */

static gboolean
dialog_open (gpointer data)
{
  return pd_ui_test_find_toplevel (PD_TYPE_INVOICE_DIALOG) != NULL;
}

static gboolean
dialog_closed (gpointer data)
{
  return pd_ui_test_find_toplevel (PD_TYPE_INVOICE_DIALOG) == NULL;
}

static gboolean
invoice_window_open (gpointer data)
{
  return pd_ui_test_find_toplevel (PD_TYPE_INVOICE_WINDOW) != NULL;
}

static gboolean
stack_shows (gpointer data)
{
  GtkWidget *dialog = GTK_WIDGET (pd_ui_test_find_toplevel (PD_TYPE_INVOICE_DIALOG));
  GtkStack *stack = GTK_STACK (pd_ui_test_find_widget (dialog, GTK_TYPE_STACK, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), data) == 0;
}

static GtkWidget *
open_dialog (Fixture    *fixture,
             const char *expected_page)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "invoices.new", NULL));
  g_assert_true (pd_ui_test_wait_until (dialog_open, NULL, 5000));
  g_assert_true (pd_ui_test_wait_until (stack_shows, (gpointer) expected_page, 5000));
  return GTK_WIDGET (pd_ui_test_find_toplevel (PD_TYPE_INVOICE_DIALOG));
}

/* The nth line's product drop-down and quantity, in the order shown. */
static void
get_line (GtkWidget      *dialog,
          guint           n,
          GtkDropDown   **product,
          GtkSpinButton **quantity)
{
  GtkWidget *lines = pd_ui_test_get_widget (dialog, GTK_TYPE_LIST_BOX, "lines_box");
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (lines), (int) n);

  g_assert_nonnull (row);
  *product = GTK_DROP_DOWN (pd_ui_test_find_widget (GTK_WIDGET (row), GTK_TYPE_DROP_DOWN, NULL));
  *quantity = GTK_SPIN_BUTTON (pd_ui_test_find_widget (GTK_WIDGET (row), GTK_TYPE_SPIN_BUTTON, NULL));
  g_assert_nonnull (*product);
  g_assert_nonnull (*quantity);
}

static guint
product_position (GtkDropDown *dropdown,
                  const char  *name)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *item_name = NULL;

      g_object_get (item, "name", &item_name, NULL);
      if (g_strcmp0 (item_name, name) == 0)
        return i;
    }
  g_assert_not_reached ();
}

static void
assert_total (GtkWidget *dialog,
              gint64     kopecks)
{
  GtkWidget *total = pd_ui_test_get_widget (dialog, GTK_TYPE_LABEL, "total_label");
  g_autofree char *expected = pd_money_format_display (kopecks, "RUB");

  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (total)), ==, expected);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_changes)
{
  (*n_changes)++;
}

/* Renders @widget for a reviewer, once the last layout has settled. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *file_name = g_strdup_printf ("%s.png", name);

  pd_ui_test_iterate (300);
  pd_ui_test_save_screenshot (widget, file_name);
}

/* Tests. */

static void
test_empty_state (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *dialog;

  open_invoices_page (fixture);
  assert_page_shown (fixture, "empty");
  g_assert_false (gtk_widget_get_visible (page_child (fixture, GTK_TYPE_FLOW_BOX, "toolbar")));
  save_screenshot (GTK_WIDGET (fixture->window), "ui-invoices-empty");

  /* No products yet: the dialog says so and offers nothing to create. */
  dialog = open_dialog (fixture, "no-products");
  save_screenshot (dialog, "ui-invoice-dialog-no-products");
  g_assert_false (gtk_widget_get_sensitive (pd_ui_test_get_widget (dialog, GTK_TYPE_BUTTON, "create_button")));
  gtk_widget_activate_action (dialog, "window.close", NULL);
  g_assert_true (pd_ui_test_wait_until (dialog_closed, NULL, 5000));
}

static void
test_create_and_pay (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *dialog, *email, *phone, *create, *row, *amount_cell;
  GtkDropDown *product;
  GtkSpinButton *quantity;
  GtkWindow *invoice_window;
  GListModel *list;
  g_autoptr(PdInvoiceItem) item = NULL;
  g_autofree char *amount = pd_money_format_display (2 * TEA_PRICE, "RUB");
  g_autofree char *number = NULL;
  guint n_changes = 0;

  add_products (fixture);
  open_invoices_page (fixture);
  assert_page_shown (fixture, "empty");

  dialog = open_dialog (fixture, "form");
  email = pd_ui_test_get_widget (dialog, ADW_TYPE_ENTRY_ROW, "email_row");
  phone = pd_ui_test_get_widget (dialog, ADW_TYPE_ENTRY_ROW, "phone_row");
  create = pd_ui_test_get_widget (dialog, GTK_TYPE_BUTTON, "create_button");

  get_line (dialog, 0, &product, &quantity);
  gtk_drop_down_set_selected (product, product_position (product, "Tea"));
  gtk_spin_button_set_value (quantity, 2);
  assert_total (dialog, 2 * TEA_PRICE);
  g_assert_true (gtk_widget_get_sensitive (create));

  /* A second line adds to the total; removing it takes it away again. */
  g_signal_emit_by_name (pd_ui_test_get_widget (dialog, GTK_TYPE_BUTTON, "add_line_button"), "clicked");
  {
    GtkDropDown *second_product;
    GtkSpinButton *second_quantity;
    GtkListBoxRow *second_row;

    get_line (dialog, 1, &second_product, &second_quantity);
    gtk_drop_down_set_selected (second_product, product_position (second_product, "Cake"));
    gtk_spin_button_set_value (second_quantity, 3);
    assert_total (dialog, 2 * TEA_PRICE + 3 * CAKE_PRICE);
    save_screenshot (dialog, "ui-invoice-dialog-two-lines");

    second_row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (pd_ui_test_get_widget (dialog, GTK_TYPE_LIST_BOX,
                                                                                     "lines_box")), 1);
    g_signal_emit_by_name (pd_ui_test_find_widget (GTK_WIDGET (second_row), GTK_TYPE_BUTTON,
                                                   "remove_line_button"),
                           "clicked");
    g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (pd_ui_test_get_widget (dialog, GTK_TYPE_LIST_BOX,
                                                                                       "lines_box")), 1));
    assert_total (dialog, 2 * TEA_PRICE);
  }

  /* A mistyped e-mail is pointed out where it was typed. */
  gtk_editable_set_text (GTK_EDITABLE (email), "no-at-sign");
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (dialog, GTK_TYPE_LABEL, "email_error")));
  g_assert_true (gtk_widget_has_css_class (email, "error"));
  g_assert_false (gtk_widget_get_sensitive (create));
  gtk_editable_set_text (GTK_EDITABLE (email), "anna has@spaces.org");
  g_assert_false (gtk_widget_get_sensitive (create));
  save_screenshot (dialog, "ui-invoice-dialog-invalid-email");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 560);
  save_screenshot (dialog, "ui-invoice-dialog-360");

  /* The receipt's rules: an address needs a domain with a dot. */
  gtk_editable_set_text (GTK_EDITABLE (email), "anna@localhost");
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (dialog, GTK_TYPE_LABEL, "email_error")));
  g_assert_false (gtk_widget_get_sensitive (create));

  gtk_editable_set_text (GTK_EDITABLE (email), "anna@example.org");
  g_assert_false (gtk_widget_get_visible (pd_ui_test_get_widget (dialog, GTK_TYPE_LABEL, "email_error")));
  g_assert_false (gtk_widget_has_css_class (email, "error"));
  g_assert_true (gtk_widget_get_sensitive (create));

  /* The phone, optional too, is checked the same way. */
  gtk_editable_set_text (GTK_EDITABLE (phone), "123-45-67");
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (dialog, GTK_TYPE_LABEL, "phone_error")));
  g_assert_true (gtk_widget_has_css_class (phone, "error"));
  g_assert_false (gtk_widget_get_sensitive (create));
  save_screenshot (dialog, "ui-invoice-dialog-invalid-phone");
  gtk_editable_set_text (GTK_EDITABLE (phone), " 8 (903) 123-45-67 ");
  g_assert_false (gtk_widget_get_visible (pd_ui_test_get_widget (dialog, GTK_TYPE_LABEL, "phone_error")));
  g_assert_false (gtk_widget_has_css_class (phone, "error"));
  g_assert_true (gtk_widget_get_sensitive (create));

  g_signal_emit_by_name (create, "clicked");
  g_assert_true (pd_ui_test_wait_until (dialog_closed, NULL, 5000));

  /* The new invoice's details open, and its row appears in the list. */
  g_assert_true (pd_ui_test_wait_until (invoice_window_open, NULL, 5000));
  invoice_window = pd_ui_test_find_toplevel (PD_TYPE_INVOICE_WINDOW);
  g_assert_true (gtk_window_get_transient_for (invoice_window) == GTK_WINDOW (fixture->window));
  gtk_window_destroy (invoice_window);

  assert_page_shown (fixture, "list");
  assert_n_invoices (fixture, 1);
  list = invoice_list (fixture);
  item = g_list_model_get_item (list, 0);
  g_assert_true (pd_ui_test_wait_until (item_loaded, item, 5000));
  number = g_strdup (pd_invoice_item_get_invoice (item)->number);
  g_assert_cmpstr (pd_invoice_item_get_invoice (item)->email, ==, "anna@example.org");
  g_assert_cmpstr (pd_invoice_item_get_invoice (item)->phone, ==, "79031234567");
  g_assert_true (pd_invoice_item_get_invoice (item)->test);

  assert_row_status (fixture, number, "Issued");
  row = find_row (fixture, number);
  amount_cell = find_inscription (row, amount);
  g_assert_nonnull (amount_cell);
  g_assert_nonnull (find_inscription (row, "anna@example.org"));
  g_assert_true (gtk_widget_has_css_class (find_badge (row), "issued"));

  /* A notification arrives while the list is shown: the row changes in
   * place, the list is not read again. */
  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes_cb), &n_changes);
  g_assert_cmpuint (pd_ui_test_post_notification (fixture->port, fixture->shop, SECRET, number,
                                                  "100.00", "904411"), ==, 200);
  assert_row_status (fixture, number, "Paid");
  g_assert_true (gtk_widget_has_css_class (find_badge (find_row (fixture, number)), "paid"));
  g_assert_cmpint (pd_invoice_item_get_invoice (item)->status, ==, PD_INVOICE_PAID);
  {
    g_autoptr(GObject) same = g_list_model_get_item (list, 0);

    g_assert_true (same == G_OBJECT (item));
  }
  g_assert_cmpuint (n_changes, ==, 0);
  g_signal_handlers_disconnect_by_func (list, count_changes_cb, &n_changes);
  g_test_log_set_fatal_handler (NULL, NULL);
}

static gpointer
archive_cake_in_thread (PdDatabase  *db,
                        gpointer     data,
                        GError     **error)
{
  g_autoptr(PdProduct) cake = pd_catalog_get_product (db, 2, error);

  if (cake == NULL)
    return NULL;
  cake->archived = TRUE;
  return pd_catalog_update_product (db, cake, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (pd_store_write_finish (PD_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

/* What the core refuses is said in the dialog, which stays open. */
static void
test_core_error (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *dialog, *create, *error_box;
  GtkDropDown *product;
  GtkSpinButton *quantity;
  PdStore *store;
  gboolean archived = FALSE;

  add_products (fixture);
  open_invoices_page (fixture);
  store = pd_service_get_store (pd_application_get_service (fixture->app));

  dialog = open_dialog (fixture, "form");
  create = pd_ui_test_get_widget (dialog, GTK_TYPE_BUTTON, "create_button");
  error_box = pd_ui_test_get_widget (dialog, GTK_TYPE_BOX, "error_box");
  get_line (dialog, 0, &product, &quantity);
  gtk_drop_down_set_selected (product, product_position (product, "Cake"));

  /* Someone archives the product while the dialog is open. */
  pd_store_write_async (store, archive_cake_in_thread, NULL, NULL, NULL, NULL, written_cb, &archived);
  g_assert_true (pd_ui_test_wait_until (flag_set, &archived, 5000));

  g_signal_emit_by_name (create, "clicked");
  g_assert_true (pd_ui_test_wait_until (widget_visible, error_box, 5000));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (pd_ui_test_get_widget (dialog, GTK_TYPE_LABEL,
                                                                                   "error_label"))),
                            "Cake"));
  save_screenshot (dialog, "ui-invoice-dialog-core-error");
  g_assert_true (pd_ui_test_find_toplevel (PD_TYPE_INVOICE_DIALOG) == GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_get_sensitive (create));
  g_assert_null (pd_ui_test_find_toplevel (PD_TYPE_INVOICE_WINDOW));
  assert_page_shown (fixture, "empty");

  /* Escape closes the dialog. */
  gtk_widget_activate_action (dialog, "window.close", NULL);
  g_assert_true (pd_ui_test_wait_until (dialog_closed, NULL, 5000));
}

static PdInvoice *
read_only_invoice (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_ONLY, &error);
  g_autoptr(GPtrArray) invoices = NULL;

  g_assert_no_error (error);
  invoices = pd_catalog_list_invoices (db, -1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invoices->len, ==, 1);
  return pd_catalog_get_invoice_by_id (db, ((PdInvoice *) invoices->pdata[0])->id, &error);
}

static GtkWidget *
create_one_tea (Fixture *fixture)
{
  GtkWidget *dialog;
  GtkDropDown *product;
  GtkSpinButton *quantity;

  add_products (fixture);
  open_invoices_page (fixture);
  dialog = open_dialog (fixture, "form");
  get_line (dialog, 0, &product, &quantity);
  gtk_drop_down_set_selected (product, product_position (product, "Tea"));
  g_signal_emit_by_name (pd_ui_test_get_widget (dialog, GTK_TYPE_BUTTON, "create_button"), "clicked");
  return dialog;
}

static gboolean
label_has_text (gpointer data)
{
  return *gtk_label_get_label (data) != '\0';
}

/* On REST API v2, PayMaster makes the invoice: its details show the link
 * PayMaster answered with, and its QR code. */
static void
test_create_v2 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *cpay = g_strconcat (fixture->shop->paymaster_url, "/cpay/", NULL);
  g_autoptr(PdInvoice) invoice = NULL;
  GtkWidget *window;
  GtkLabel *link;

  create_one_tea (fixture);
  g_assert_true (pd_ui_test_wait_until (dialog_closed, NULL, 10000));
  g_assert_true (pd_ui_test_wait_until (invoice_window_open, NULL, 5000));

  invoice = read_only_invoice (fixture);
  g_assert_cmpint (invoice->status, ==, PD_INVOICE_ISSUED);
  g_assert_true (g_str_has_prefix (invoice->paymaster_url, cpay));
  g_assert_nonnull (invoice->paymaster_invoice_id);

  window = GTK_WIDGET (pd_ui_test_find_toplevel (PD_TYPE_INVOICE_WINDOW));
  link = GTK_LABEL (pd_ui_test_get_widget (window, GTK_TYPE_LABEL, "link_label"));
  g_assert_true (pd_ui_test_wait_until (label_has_text, link, 5000));
  g_assert_cmpstr (gtk_label_get_label (link), ==, invoice->paymaster_url);
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (window, GTK_TYPE_WIDGET, "qr_bin")));
  g_assert_false (gtk_widget_get_visible (pd_ui_test_get_widget (window, GTK_TYPE_LABEL, "qr_error_label")));
  save_screenshot (window, "ui-invoice-window-v2");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A token PayMaster refuses: the dialog says so and stays open, and the
 * invoice Paydesk wrote down is cancelled, not left open without a link. */
static void
test_create_v2_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *dialog = create_one_tea (fixture);
  GtkWidget *error_box = pd_ui_test_get_widget (dialog, GTK_TYPE_BOX, "error_box");
  const char *error;
  g_autoptr(PdInvoice) invoice = NULL;

  g_assert_true (pd_ui_test_wait_until (widget_visible, error_box, 10000));
  error = gtk_label_get_label (GTK_LABEL (pd_ui_test_get_widget (dialog, GTK_TYPE_LABEL, "error_label")));
  g_assert_true (g_str_has_prefix (error, "PayMaster did not make invoice "));
  g_assert_nonnull (strstr (error, "PayMaster refused the API token"));
  save_screenshot (dialog, "ui-invoice-dialog-v2-refused");
  g_assert_true (pd_ui_test_find_toplevel (PD_TYPE_INVOICE_DIALOG) == GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_get_sensitive (pd_ui_test_get_widget (dialog, GTK_TYPE_BUTTON, "create_button")));
  g_assert_null (pd_ui_test_find_toplevel (PD_TYPE_INVOICE_WINDOW));

  invoice = read_only_invoice (fixture);
  g_assert_cmpint (invoice->status, ==, PD_INVOICE_CANCELLED);
  g_assert_null (invoice->paymaster_url);

  gtk_widget_activate_action (dialog, "window.close", NULL);
  g_assert_true (pd_ui_test_wait_until (dialog_closed, NULL, 5000));
}

static void
set_search (Fixture    *fixture,
            const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, GTK_TYPE_SEARCH_ENTRY, "search_entry")), text);
}

static void
test_search_and_filter (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkDropDown *status;
  GListModel *columns;

  add_products (fixture);
  add_invoice (fixture, 1, "anna@example.org");
  add_invoice (fixture, 2, "boris@example.org");
  add_invoice (fixture, 1, NULL);
  open_invoices_page (fixture);

  assert_page_shown (fixture, "list");
  assert_n_invoices (fixture, 3);
  g_assert_true (gtk_widget_get_visible (page_child (fixture, GTK_TYPE_FLOW_BOX, "toolbar")));

  set_search (fixture, "anna@example");
  assert_n_invoices (fixture, 1);
  assert_page_shown (fixture, "list");
  assert_cell_shown (fixture, "anna@example.org");

  /* Activating a row opens that invoice's details over the main window. */
  g_signal_emit_by_name (page_child (fixture, GTK_TYPE_COLUMN_VIEW, "column_view"), "activate", 0);
  g_assert_true (pd_ui_test_wait_until (invoice_window_open, NULL, 5000));
  g_assert_true (gtk_window_get_transient_for (pd_ui_test_find_toplevel (PD_TYPE_INVOICE_WINDOW)) ==
                 GTK_WINDOW (fixture->window));
  gtk_window_destroy (pd_ui_test_find_toplevel (PD_TYPE_INVOICE_WINDOW));

  save_screenshot (GTK_WIDGET (fixture->window), "ui-invoices-search");

  set_search (fixture, "nobody@nowhere");
  assert_page_shown (fixture, "no-results");
  g_assert_true (gtk_widget_get_visible (page_child (fixture, GTK_TYPE_FLOW_BOX, "toolbar")));
  save_screenshot (GTK_WIDGET (fixture->window), "ui-invoices-no-results");

  set_search (fixture, "");
  assert_n_invoices (fixture, 3);
  assert_page_shown (fixture, "list");

  status = GTK_DROP_DOWN (page_child (fixture, GTK_TYPE_DROP_DOWN, "status_dropdown"));
  gtk_drop_down_set_selected (status, 1 + PD_INVOICE_PAID);
  assert_page_shown (fixture, "no-results");
  gtk_drop_down_set_selected (status, 1 + PD_INVOICE_ISSUED);
  assert_n_invoices (fixture, 3);
  assert_page_shown (fixture, "list");

  /* On a phone-sized window the least needed columns give way. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 700);
  pd_ui_test_iterate (500);
  save_screenshot (GTK_WIDGET (fixture->window), "ui-invoices-360");
  columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (page_child (fixture, GTK_TYPE_COLUMN_VIEW,
                                                                      "column_view")));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const char *title = gtk_column_view_column_get_title (column);
      gboolean wanted = g_strcmp0 (title, "Date") != 0 && g_strcmp0 (title, "Customer") != 0;

      g_assert_cmpint (gtk_column_view_column_get_visible (column), ==, wanted);
    }
  {
    int minimum;

    gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1,
                        &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }
}

int
main (int    argc,
      char **argv)
{
  pd_ui_test_init (&argc, &argv);

  g_test_add ("/invoices/empty-state", Fixture, NULL,
              fixture_set_up, test_empty_state, fixture_tear_down);
  g_test_add ("/invoices/create-and-pay", Fixture, NULL,
              fixture_set_up, test_create_and_pay, fixture_tear_down);
  g_test_add ("/invoices/core-error", Fixture, NULL,
              fixture_set_up, test_core_error, fixture_tear_down);
  g_test_add ("/invoices/search-and-filter", Fixture, NULL,
              fixture_set_up, test_search_and_filter, fixture_tear_down);
  g_test_add ("/invoices/create-v2", Fixture, PD_SANDBOX_API_TOKEN,
              fixture_set_up_v2, test_create_v2, fixture_tear_down);
  g_test_add ("/invoices/create-v2-refused", Fixture, "not-the-sandbox-token",
              fixture_set_up_v2, test_create_v2_refused, fixture_tear_down);

  return g_test_run ();
}
