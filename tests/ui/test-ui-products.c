/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pd-catalog.h"
#include "pd-money.h"
#include "pd-product-dialog.h"
#include "pd-products-page.h"
#include "pd-ui-test.h"
#include "pd-window.h"

/* The Products page and its dialog, driven as a merchant would: the empty
 * state, adding, refusing bad prices inline, editing, archiving with undo,
 * and searching in SQL. */

#define SECRET "products-test-secret"
#define TIMEOUT_MS 5000

typedef struct
{
  char           *db_path;
  PdShop         *shop;
  PdApplication  *app;
  PdWindow       *window;
  PdProductsPage *page;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->db_path = pd_ui_test_sandbox_database (SECRET, NULL, &fixture->shop);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pd_ui_test_quit_application (&fixture->app);
  pd_shop_free (fixture->shop);
  g_free (fixture->db_path);
}

static gint64
add_product (Fixture    *fixture,
             const char *name,
             gint64      price,
             const char *vat)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_WRITE, &error);
  gint64 id = 0;

  g_assert_no_error (error);
  g_assert_true (pd_catalog_add_product (db, name, price, vat, &id, &error));
  g_assert_no_error (error);
  return id;
}

/* What the database holds, read behind the app's back. */
static GPtrArray *
stored_products (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_ONLY, &error);
  GPtrArray *products;

  g_assert_no_error (error);
  products = pd_catalog_list_products (db, TRUE, &error);
  g_assert_no_error (error);
  return products;
}

static PdProduct *
stored_product (Fixture *fixture,
                gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_ONLY, &error);
  PdProduct *product;

  g_assert_no_error (error);
  product = pd_catalog_get_product (db, id, &error);
  g_assert_no_error (error);
  return product;
}

static GtkWidget *
page_child (Fixture    *fixture,
            GType       type,
            const char *name)
{
  return pd_ui_test_get_widget (GTK_WIDGET (fixture->page), type, name);
}

static const char *
page_state (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (page_child (fixture, GTK_TYPE_STACK, "stack")));
}

typedef struct
{
  Fixture    *fixture;
  const char *state;
  guint       n_rows;
} Expect;

static GListModel *
rows (Fixture *fixture)
{
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (page_child (fixture, GTK_TYPE_COLUMN_VIEW,
                                                                                 "column_view"))));
}

static gboolean
page_shows (gpointer data)
{
  Expect *expect = data;

  return g_strcmp0 (page_state (expect->fixture), expect->state) == 0 &&
         g_list_model_get_n_items (rows (expect->fixture)) == expect->n_rows;
}

static void
wait_for_page (Fixture    *fixture,
               const char *state,
               guint       n_rows)
{
  Expect expect = { fixture, state, n_rows };

  if (!pd_ui_test_wait_until (page_shows, &expect, TIMEOUT_MS))
    g_error ("the page shows “%s” with %u rows, not “%s” with %u",
             page_state (fixture), g_list_model_get_n_items (rows (fixture)), state, n_rows);
}

static void
open_products_page (Fixture *fixture)
{
  fixture->app = pd_ui_test_application_new (fixture->db_path);
  fixture->window = pd_ui_test_open_main_window (fixture->app);
  pd_window_show_page (fixture->window, "products");
  fixture->page = PD_PRODUCTS_PAGE (pd_ui_test_get_widget (GTK_WIDGET (fixture->window),
                                                          PD_TYPE_PRODUCTS_PAGE, NULL));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->page)));
}

/* Collects the text of every cell on screen, so that assertions are about
 * what a person sees rather than about the model. */
static void
collect_texts (GtkWidget *widget,
               GString   *texts)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)))
    g_string_append_printf (texts, "[%s]", gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  else if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "[%s]", gtk_label_get_label (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static char *
shown_texts (Fixture *fixture)
{
  GString *texts = g_string_new (NULL);

  collect_texts (page_child (fixture, GTK_TYPE_COLUMN_VIEW, "column_view"), texts);
  return g_string_free (texts, FALSE);
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} ExpectText;

static gboolean
text_shown (gpointer data)
{
  ExpectText *expect = data;
  g_autofree char *texts = shown_texts (expect->fixture);
  g_autofree char *cell = g_strdup_printf ("[%s]", expect->text);

  return strstr (texts, cell) != NULL;
}

static void
wait_for_text (Fixture    *fixture,
               const char *text)
{
  ExpectText expect = { fixture, text };

  if (!pd_ui_test_wait_until (text_shown, &expect, TIMEOUT_MS))
    {
      g_autofree char *texts = shown_texts (fixture);

      g_error ("“%s” is not shown; the list shows %s", text, texts);
    }
}

static void
assert_text_not_shown (Fixture    *fixture,
                       const char *text)
{
  ExpectText expect = { fixture, text };

  g_assert_false (text_shown (&expect));
}

static PdProductDialog *
find_dialog (void)
{
  return PD_PRODUCT_DIALOG (pd_ui_test_find_toplevel (PD_TYPE_PRODUCT_DIALOG));
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

static PdProductDialog *
wait_for_dialog (Fixture *fixture)
{
  PdProductDialog *dialog;

  g_assert_true (pd_ui_test_wait_until (dialog_shown, NULL, TIMEOUT_MS));
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  return dialog;
}

static GtkWidget *
dialog_child (PdProductDialog *dialog,
              GType            type,
              const char      *name)
{
  return pd_ui_test_get_widget (GTK_WIDGET (dialog), type, name);
}

static void
set_row_text (PdProductDialog *dialog,
              const char      *row,
              const char      *text)
{
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, ADW_TYPE_ENTRY_ROW, row)), text);
}

static const char *
row_text (PdProductDialog *dialog,
          const char      *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, ADW_TYPE_ENTRY_ROW, row)));
}

static gboolean
save_sensitive (PdProductDialog *dialog)
{
  return gtk_widget_get_sensitive (dialog_child (dialog, GTK_TYPE_BUTTON, "save_button"));
}

static void
save (PdProductDialog *dialog)
{
  g_assert_true (save_sensitive (dialog));
  g_signal_emit_by_name (dialog_child (dialog, GTK_TYPE_BUTTON, "save_button"), "clicked");
  g_assert_true (pd_ui_test_wait_until (dialog_gone, NULL, TIMEOUT_MS));
}

/* The error a person sees under the price, or NULL when there is none. */
static const char *
price_error (PdProductDialog *dialog)
{
  GtkWidget *label = dialog_child (dialog, GTK_TYPE_LABEL, "price_error_label");

  if (!gtk_widget_get_visible (label))
    return NULL;
  g_assert_true (gtk_widget_has_css_class (dialog_child (dialog, ADW_TYPE_ENTRY_ROW, "price_row"), "error"));
  return gtk_label_get_label (GTK_LABEL (label));
}

static char *
money_error (const char *text)
{
  g_autoptr(GError) error = NULL;
  gint64 kopecks;

  g_assert_false (pd_money_parse_input (text, &kopecks, &error));
  return g_strdup (error->message);
}

static void
test_add_from_empty_state (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) products = NULL;
  PdProductDialog *dialog;
  GtkWidget *empty_page;
  PdProduct *product;

  open_products_page (fixture);
  wait_for_page (fixture, "empty", 0);
  empty_page = page_child (fixture, ADW_TYPE_STATUS_PAGE, "empty_page");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty_page)), ==, "No Products Yet");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty_page)), ==,
                   "Add what you sell, then create invoices");
  /* Nothing to search yet: the status page's button is the one thing to do. */
  g_assert_false (gtk_widget_get_visible (page_child (fixture, GTK_TYPE_BOX, "toolbar")));

  g_signal_emit_by_name (page_child (fixture, GTK_TYPE_BUTTON, "empty_add_button"), "clicked");
  dialog = wait_for_dialog (fixture);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "New Product");
  g_assert_false (save_sensitive (dialog));

  set_row_text (dialog, "name_row", "Чай");
  g_assert_false (save_sensitive (dialog));
  set_row_text (dialog, "price_row", "50");
  g_assert_null (price_error (dialog));
  save (dialog);

  wait_for_page (fixture, "list", 1);
  wait_for_text (fixture, "Чай");
  wait_for_text (fixture, "50.00\u00a0₽");
  wait_for_text (fixture, "No VAT");
  g_assert_true (gtk_widget_get_visible (page_child (fixture, GTK_TYPE_BOX, "toolbar")));

  products = stored_products (fixture);
  g_assert_cmpuint (products->len, ==, 1);
  product = products->pdata[0];
  g_assert_cmpstr (product->name, ==, "Чай");
  g_assert_cmpint (product->price, ==, 5000);
  g_assert_cmpstr (product->vat, ==, "no_vat");
  g_assert_cmpuint (product->subject, ==, 1);
  g_assert_cmpuint (product->method, ==, 4);
  g_assert_false (product->archived);
}

/* A new product starts from the receipt defaults set in Preferences. */
static void
test_receipt_defaults (Fixture       *fixture,
                       gconstpointer  data)
{
  PdReceiptDefaults defaults = { "vat20", 4, 3 };
  g_autoptr(GPtrArray) products = NULL;
  PdProductDialog *dialog;
  PdProduct *product;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_WRITE, &error);

    g_assert_true (pd_catalog_set_receipt_defaults (db, &defaults, &error));
    g_assert_no_error (error);
  }

  open_products_page (fixture);
  wait_for_page (fixture, "empty", 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "products.add", NULL);
  dialog = wait_for_dialog (fixture);
  g_assert_true (pd_ui_test_wait_combo (GTK_WIDGET (dialog), "vat_row", "VAT 20%", TIMEOUT_MS));
  g_assert_cmpstr (pd_ui_test_combo_text (GTK_WIDGET (dialog), "subject_row"), ==, "Service");
  g_assert_cmpstr (pd_ui_test_combo_text (GTK_WIDGET (dialog), "method_row"), ==, "Advance");

  /* Every rate of the table is offered, the 2025 ones too. */
  pd_ui_test_combo_choose (GTK_WIDGET (dialog), "vat_row", "VAT 22/122");
  pd_ui_test_combo_choose (GTK_WIDGET (dialog), "vat_row", "VAT 20%");
  pd_ui_test_combo_choose (GTK_WIDGET (dialog), "method_row", "Full payment");
  set_row_text (dialog, "name_row", "Консультация");
  set_row_text (dialog, "price_row", "1500");
  save (dialog);

  wait_for_text (fixture, "VAT 20%");
  products = stored_products (fixture);
  g_assert_cmpuint (products->len, ==, 1);
  product = products->pdata[0];
  g_assert_cmpstr (product->vat, ==, "vat20");
  g_assert_cmpuint (product->subject, ==, 4);
  g_assert_cmpuint (product->method, ==, 4);
}

static void
test_validation_inline (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char *bad_prices[] = { "50.001", "-1", "abc", "50,555", "1,2,3" };
  g_autoptr(GPtrArray) products = NULL;
  PdProductDialog *dialog;
  GtkWidget *price_row;
  GtkWidget *name_error;

  open_products_page (fixture);
  wait_for_page (fixture, "empty", 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "products.add", NULL);
  dialog = wait_for_dialog (fixture);
  price_row = dialog_child (dialog, ADW_TYPE_ENTRY_ROW, "price_row");

  /* The name is where typing starts. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)),
                                         dialog_child (dialog, ADW_TYPE_ENTRY_ROW, "name_row")));

  /* A fresh dialog scolds nobody. */
  g_assert_null (price_error (dialog));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, GTK_TYPE_LABEL, "name_error_label")));

  set_row_text (dialog, "name_row", "Чай");
  for (guint i = 0; i < G_N_ELEMENTS (bad_prices); i++)
    {
      g_autofree char *expected = money_error (bad_prices[i]);

      set_row_text (dialog, "price_row", bad_prices[i]);
      g_assert_cmpstr (price_error (dialog), ==, expected);
      g_assert_false (save_sensitive (dialog));

      /* Enter in the row must not save either. */
      g_assert_true (gtk_widget_grab_focus (price_row));
      g_signal_emit_by_name (pd_ui_test_find_widget (price_row, GTK_TYPE_TEXT, NULL), "activate");
      pd_ui_test_iterate (100);
      g_assert_nonnull (find_dialog ());
    }
  g_assert_cmpstr (price_error (dialog), ==,
                   "The amount “1,2,3” is not valid: write it like 50 or 50.50, with at most two "
                   "digits for kopecks.");

  /* A comma is a decimal mark too: Russian writes 50,5. */
  set_row_text (dialog, "price_row", "50,5");
  g_assert_null (price_error (dialog));
  g_assert_true (save_sensitive (dialog));

  set_row_text (dialog, "price_row", "0");
  g_assert_cmpstr (price_error (dialog), ==, "The price must be more than zero.");
  g_assert_false (save_sensitive (dialog));

  /* A valid price clears the error. */
  set_row_text (dialog, "price_row", "50.5");
  g_assert_null (price_error (dialog));
  g_assert_false (gtk_widget_has_css_class (price_row, "error"));
  g_assert_true (save_sensitive (dialog));

  /* A name of spaces is no name. */
  set_row_text (dialog, "name_row", "   ");
  name_error = dialog_child (dialog, GTK_TYPE_LABEL, "name_error_label");
  g_assert_true (gtk_widget_get_visible (name_error));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (name_error)), ==, "The product needs a name.");
  g_assert_false (save_sensitive (dialog));

  /* Escape closes the dialog and nothing was written. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  g_assert_true (pd_ui_test_wait_until (dialog_gone, NULL, TIMEOUT_MS));
  products = stored_products (fixture);
  g_assert_cmpuint (products->len, ==, 0);
  wait_for_page (fixture, "empty", 0);
}

static void
test_edit_keeps_invoices (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 id = add_product (fixture, "Чай", 5000, "vat20");
  PdInvoiceLine line = { id, 2 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(PdProduct) product = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  PdProductDialog *dialog;

  {
    g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_WRITE, &error);

    invoice = pd_catalog_create_invoices (db, &draft, 1, TRUE, &error);
    g_assert_no_error (error);
  }

  open_products_page (fixture);
  wait_for_page (fixture, "list", 1);
  wait_for_text (fixture, "VAT 20%");

  /* Activating a row opens it for editing, filled in. */
  g_signal_emit_by_name (page_child (fixture, GTK_TYPE_COLUMN_VIEW, "column_view"), "activate", 0);
  dialog = wait_for_dialog (fixture);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Product");
  g_assert_cmpstr (row_text (dialog, "name_row"), ==, "Чай");
  g_assert_cmpstr (row_text (dialog, "price_row"), ==, "50.00");
  g_assert_cmpstr (pd_ui_test_combo_text (GTK_WIDGET (dialog), "vat_row"), ==, "VAT 20%");
  g_assert_cmpstr (pd_ui_test_combo_text (GTK_WIDGET (dialog), "subject_row"), ==, "Goods");
  g_assert_cmpstr (pd_ui_test_combo_text (GTK_WIDGET (dialog), "method_row"), ==, "Full payment");
  g_assert_true (save_sensitive (dialog));

  set_row_text (dialog, "price_row", "75.5");
  pd_ui_test_combo_choose (GTK_WIDGET (dialog), "vat_row", "VAT 10%");
  pd_ui_test_combo_choose (GTK_WIDGET (dialog), "subject_row", "Service");
  pd_ui_test_combo_choose (GTK_WIDGET (dialog), "method_row", "Full prepayment");
  save (dialog);

  wait_for_text (fixture, "75.50\u00a0₽");
  wait_for_text (fixture, "VAT 10%");
  assert_text_not_shown (fixture, "50.00\u00a0₽");
  product = stored_product (fixture, id);
  g_assert_cmpint (product->price, ==, 7550);
  g_assert_cmpstr (product->vat, ==, "vat10");
  g_assert_cmpuint (product->subject, ==, 4);
  g_assert_cmpuint (product->method, ==, 1);

  /* The invoice issued before keeps the price it was issued with. */
  {
    g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_ONLY, &error);
    g_autoptr(PdInvoice) stored = pd_catalog_get_invoice (db, invoice->number, &error);
    PdInvoiceLineRow *row;

    g_assert_no_error (error);
    lines = pd_catalog_list_invoice_lines (db, stored->id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (lines->len, ==, 1);
    row = lines->pdata[0];
    g_assert_cmpint (row->price, ==, 5000);
    g_assert_cmpstr (row->vat, ==, "vat20");
    g_assert_cmpuint (row->subject, ==, 1);
    g_assert_cmpuint (row->method, ==, 4);
  }
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  return pd_ui_test_find_descendant (root, is_button_labelled, label);
}

static gboolean
undo_shown (gpointer data)
{
  Fixture *fixture = data;

  return find_button_with_label (GTK_WIDGET (fixture->window), "_Undo") != NULL;
}

static gboolean
archived_in_store (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(PdProduct) product = stored_product (fixture, 1);

  return product->archived;
}

static gboolean
restored_in_store (gpointer data)
{
  return !archived_in_store (data);
}

/* Finds the row menu of the product shown in row @position. */
static GMenuModel *
row_menu (Fixture *fixture,
          gint64   id)
{
  GtkWidget *view = page_child (fixture, GTK_TYPE_COLUMN_VIEW, "column_view");
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, view);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_MENU_BUTTON (widget) && gtk_widget_get_mapped (widget))
        {
          GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));
          g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET,
                                                                                G_VARIANT_TYPE_INT64);

          if (target != NULL && g_variant_get_int64 (target) == id)
            return menu;
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_error ("no menu for product %" G_GINT64_FORMAT, id);
  return NULL;
}

/* Does what choosing item @index of @menu does. */
static void
activate_menu_item (Fixture    *fixture,
                    GMenuModel *menu,
                    int         index,
                    const char *expected_label)
{
  g_autofree char *label = NULL;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;

  g_assert_true (g_menu_model_get_item_attribute (menu, index, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, expected_label);
  g_assert_true (g_menu_model_get_item_attribute (menu, index, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  target = g_menu_model_get_item_attribute_value (menu, index, G_MENU_ATTRIBUTE_TARGET, NULL);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->page), action, target));
}

static void
test_archive_and_undo (Fixture       *fixture,
                       gconstpointer  data)
{
  gint64 tea = add_product (fixture, "Чай", 5000, "no_vat");
  GtkWidget *archived_button;

  add_product (fixture, "Кофе", 12000, "vat20");
  open_products_page (fixture);
  wait_for_page (fixture, "list", 2);

  activate_menu_item (fixture, row_menu (fixture, tea), 1, "_Archive");
  g_assert_true (pd_ui_test_wait_until (archived_in_store, fixture, TIMEOUT_MS));
  wait_for_page (fixture, "list", 1);
  assert_text_not_shown (fixture, "Чай");
  wait_for_text (fixture, "Кофе");

  /* Shown again, dimmed and labelled, with Show Archived. */
  archived_button = page_child (fixture, GTK_TYPE_TOGGLE_BUTTON, "archived_button");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (archived_button), TRUE);
  wait_for_page (fixture, "list", 2);
  wait_for_text (fixture, "Чай");
  wait_for_text (fixture, "Archived");
  {
    GMenuModel *menu = row_menu (fixture, tea);
    g_autofree char *label = NULL;

    g_assert_true (g_menu_model_get_item_attribute (menu, 1, G_MENU_ATTRIBUTE_LABEL, "s", &label));
    g_assert_cmpstr (label, ==, "_Restore");
  }
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (archived_button), FALSE);
  wait_for_page (fixture, "list", 1);

  /* The toast's Undo brings it back, no confirmation asked. */
  g_assert_true (pd_ui_test_wait_until (undo_shown, fixture, TIMEOUT_MS));
  g_signal_emit_by_name (find_button_with_label (GTK_WIDGET (fixture->window), "_Undo"), "clicked");
  g_assert_true (pd_ui_test_wait_until (restored_in_store, fixture, TIMEOUT_MS));
  wait_for_page (fixture, "list", 2);
  wait_for_text (fixture, "Чай");
  assert_text_not_shown (fixture, "Archived");

  /* Archiving every product says so, rather than "no products yet". */
  activate_menu_item (fixture, row_menu (fixture, tea), 1, "_Archive");
  activate_menu_item (fixture, row_menu (fixture, tea + 1), 1, "_Archive");
  wait_for_page (fixture, "all-archived", 0);
  g_assert_true (gtk_widget_get_visible (page_child (fixture, GTK_TYPE_BOX, "toolbar")));
  /* libadwaita 1.2 frees a hiding toast's state when the window goes
   * away but still finishes its animation later: let the toasts finish
   * before the fixture closes the window. */
  pd_ui_test_iterate (1000);
}

static void
search_for (Fixture    *fixture,
            const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, GTK_TYPE_SEARCH_ENTRY, "search_entry")), text);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  add_product (fixture, "Чай", 5000, "no_vat");
  add_product (fixture, "Кофе", 12000, "vat20");
  add_product (fixture, "Чайник", 250000, "vat20");
  add_product (fixture, "Cup", 30000, "vat20");

  open_products_page (fixture);
  wait_for_page (fixture, "list", 4);

  /* Lower case finds upper case, Cyrillic included: folded in SQL. */
  search_for (fixture, "ча");
  wait_for_page (fixture, "list", 2);
  wait_for_text (fixture, "Чай");
  wait_for_text (fixture, "Чайник");
  assert_text_not_shown (fixture, "Кофе");

  search_for (fixture, "ЧАЙН");
  wait_for_page (fixture, "list", 1);
  wait_for_text (fixture, "Чайник");

  search_for (fixture, "cUP");
  wait_for_page (fixture, "list", 1);
  wait_for_text (fixture, "Cup");

  search_for (fixture, "молоко");
  wait_for_page (fixture, "no-results", 0);

  search_for (fixture, "");
  wait_for_page (fixture, "list", 4);
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 archived;
  PdProductDialog *dialog;

  add_product (fixture, "Зелёный чай, 100 г", 45000, "vat20");
  add_product (fixture, "Кофе в зёрнах, 250 г", 125050, "vat10");
  add_product (fixture, "Консультация (1 час) — выезд к клиенту в пределах МКАД", 300000, "no_vat");
  add_product (fixture, "Delivery", 35000, "vat120");
  archived = add_product (fixture, "Старый тариф", 99000, "vat20");

  {
    g_autoptr(PdProduct) product = stored_product (fixture, archived);
    g_autoptr(PdDatabase) db = pd_database_open (fixture->db_path, PD_DATABASE_READ_WRITE, NULL);

    product->archived = TRUE;
    g_assert_true (pd_catalog_update_product (db, product, NULL));
  }

  open_products_page (fixture);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (page_child (fixture, GTK_TYPE_TOGGLE_BUTTON,
                                                               "archived_button")), TRUE);
  wait_for_page (fixture, "list", 5);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 960, 600);
  pd_ui_test_iterate (500);
  pd_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "products-page-960.png");

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  pd_ui_test_iterate (500);
  {
    int minimum;

    gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1,
                        &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }
  pd_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "products-page-360.png");

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "products.add", NULL);
  dialog = wait_for_dialog (fixture);
  set_row_text (dialog, "name_row", "Чай");
  set_row_text (dialog, "price_row", "50,5");
  pd_ui_test_iterate (300);
  pd_ui_test_save_screenshot (GTK_WIDGET (dialog), "product-dialog-error.png");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, -1);
  pd_ui_test_iterate (300);
  pd_ui_test_save_screenshot (GTK_WIDGET (dialog), "product-dialog-error-360.png");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  g_assert_true (pd_ui_test_wait_until (dialog_gone, NULL, TIMEOUT_MS));

  {
    g_autoptr(GPtrArray) products = NULL;

    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (page_child (fixture, GTK_TYPE_TOGGLE_BUTTON,
                                                                 "archived_button")), FALSE);
    search_for (fixture, "zzz");
    wait_for_page (fixture, "no-results", 0);
    pd_ui_test_iterate (200);
    pd_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "products-no-results-360.png");
    products = stored_products (fixture);
    g_assert_cmpuint (products->len, ==, 5);
  }
}

static void
test_empty_screenshot (Fixture       *fixture,
                       gconstpointer  data)
{
  open_products_page (fixture);
  wait_for_page (fixture, "empty", 0);
  pd_ui_test_iterate (300);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  pd_ui_test_iterate (500);
  pd_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "products-empty-360.png");
}

int
main (int    argc,
      char **argv)
{
  pd_ui_test_init (&argc, &argv);

  g_test_add ("/products/add-from-empty-state", Fixture, NULL,
              fixture_set_up, test_add_from_empty_state, fixture_tear_down);
  g_test_add ("/products/receipt-defaults", Fixture, NULL,
              fixture_set_up, test_receipt_defaults, fixture_tear_down);
  g_test_add ("/products/validation-inline", Fixture, NULL,
              fixture_set_up, test_validation_inline, fixture_tear_down);
  g_test_add ("/products/edit-keeps-invoices", Fixture, NULL,
              fixture_set_up, test_edit_keeps_invoices, fixture_tear_down);
  g_test_add ("/products/archive-and-undo", Fixture, NULL,
              fixture_set_up, test_archive_and_undo, fixture_tear_down);
  g_test_add ("/products/search", Fixture, NULL,
              fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/products/screenshots", Fixture, NULL,
              fixture_set_up, test_screenshots, fixture_tear_down);
  g_test_add ("/products/empty-screenshot", Fixture, NULL,
              fixture_set_up, test_empty_screenshot, fixture_tear_down);
  return g_test_run ();
}
