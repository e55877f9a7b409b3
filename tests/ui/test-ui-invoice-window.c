/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "pd-catalog.h"
#include "pd-invoice-window.h"
#include "pd-money.h"
#include "pd-qr.h"
#include "pd-secrets.h"
#include "pd-sync-schedule.h"
#include "pd-ui-test.h"
#include "../pd-test-integration.h"

/* The invoice details window against a sandbox shop: what it shows, the QR
 * code and the clipboard, a payment that arrives while it is open,
 * cancelling (also when the invoice was paid in the meantime), and
 * refunding through the built-in sandbox, in part and then the rest. */

#define SECRET "ui-test-secret-key"
#define API_LOGIN "ui-test-api-user"
#define API_PASSWORD "ui-test-api-password"
#define EMAIL  "ivan.petrov@example.com"
#define PHONE  "+7 (903) 123-45-67"
#define WAIT_MS 20000

typedef struct
{
  gint64  id;
  char   *number;
} TestInvoice;

static char *db_path;
static guint16 port;
static PdApplication *app;
static PdService *service;
static GtkWindow *main_window;
static TestInvoice two_lines, to_pay, to_cancel, paid_meanwhile, to_refund;

static gint64
add_product (PdDatabase *db,
             const char *name,
             const char *price_text)
{
  g_autoptr(GError) error = NULL;
  gint64 price, id;

  g_assert_true (pd_money_parse (price_text, &price, &error));
  g_assert_true (pd_catalog_add_product (db, name, price, "no_vat", &id, &error));
  g_assert_no_error (error);
  return id;
}

static void
add_invoice (PdDatabase          *db,
             const PdInvoiceLine *lines,
             guint                n_lines,
             const char          *email,
             const char          *phone,
             gint64               lifetime,
             TestInvoice         *out)
{
  g_autoptr(GError) error = NULL;
  PdInvoiceDraft draft = { lines, n_lines, email, lifetime, phone };
  g_autoptr(PdInvoice) created = pd_catalog_create_invoices (db, &draft, 1, TRUE, &error);
  g_autoptr(PdInvoice) invoice = NULL;

  g_assert_no_error (error);
  /* What comes back describes the new invoice but has no row id. */
  invoice = pd_catalog_get_invoice (db, created->number, &error);
  g_assert_no_error (error);
  out->id = invoice->id;
  out->number = g_strdup (invoice->number);
}

static PdInvoice *
read_invoice (gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (db_path, PD_DATABASE_READ_ONLY, &error);
  PdInvoice *invoice;

  g_assert_no_error (error);
  invoice = pd_catalog_get_invoice_by_id (db, id, &error);
  g_assert_no_error (error);
  return invoice;
}

/* The link the window should show for invoice @id. */
static char *
payment_url (gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = pd_database_open (db_path, PD_DATABASE_READ_ONLY, &error);
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  char *url;

  g_assert_no_error (error);
  invoice = pd_catalog_get_invoice_by_id (db, id, &error);
  g_assert_no_error (error);
  lines = pd_catalog_list_invoice_lines (db, id, &error);
  g_assert_no_error (error);
  url = pd_service_payment_url (service, invoice, lines, &error);
  g_assert_no_error (error);
  return url;
}

/* Widgets */

static const char *
label_text (GtkWidget  *window,
            const char *name)
{
  return gtk_label_get_label (GTK_LABEL (pd_ui_test_get_widget (window, GTK_TYPE_LABEL, name)));
}

static gboolean
showing_content (gpointer data)
{
  GtkStack *stack = GTK_STACK (pd_ui_test_get_widget (data, GTK_TYPE_STACK, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "content") == 0;
}

/* A window for @invoice_id, @width × @height or its own size for 0. */
static GtkWidget *
open_window (gint64 invoice_id,
             int    width,
             int    height)
{
  GtkWidget *window = pd_invoice_window_new (service, invoice_id);
  int default_width, default_height;

  gtk_window_get_default_size (GTK_WINDOW (window), &default_width, &default_height);
  gtk_window_set_default_size (GTK_WINDOW (window),
                               width > 0 ? width : default_width,
                               height > 0 ? height : default_height);
  gtk_window_set_transient_for (GTK_WINDOW (window), main_window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pd_ui_test_wait_until (showing_content, window, WAIT_MS));
  g_assert_true (pd_ui_test_wait_drawn (window, WAIT_MS));
  return window;
}

typedef struct
{
  GtkWidget  *window;
  const char *text;
} LabelWait;

static gboolean
label_shows (gpointer data)
{
  LabelWait *wait = data;

  return g_strcmp0 (label_text (wait->window, "status_badge"), wait->text) == 0;
}

static void
wait_for_status (GtkWidget  *window,
                 const char *status)
{
  LabelWait wait = { window, status };

  g_assert_true (pd_ui_test_wait_until (label_shows, &wait, WAIT_MS));
}

static gboolean
is_label_of (GtkWidget     *widget,
             gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static gboolean
find_label_with_text (GtkWidget  *root,
                      const char *text)
{
  return pd_ui_test_find_descendant (root, is_label_of, text) != NULL;
}

static gboolean
toast_shows (gpointer data)
{
  LabelWait *wait = data;

  return find_label_with_text (wait->window, wait->text);
}

static void
wait_for_toast (GtkWidget  *window,
                const char *text)
{
  LabelWait wait = { window, text };

  g_assert_true (pd_ui_test_wait_until (toast_shows, &wait, WAIT_MS));
}

/* Only for a reviewer: run by hand, the test neither waits nor draws. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  if (!pd_ui_test_screenshots_wanted ())
    return;
  /* Let the last layout and any toast settle into a frame. */
  pd_ui_test_iterate (300);
  pd_ui_test_save_screenshot (widget, name);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closes @window and checks that nothing it started keeps it alive. */
static void
close_window (GtkWidget *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (pd_ui_test_wait_until (pointer_cleared, &window, WAIT_MS));
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return ADW_MESSAGE_DIALOG (pd_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* The QR code must be sharp: a whole number of pixels per module, shown at
 * its own size, and big enough for a phone. Returns the module size. */
static guint
check_qr (GtkWidget  *window,
          const char *url)
{
  GtkWidget *picture = pd_ui_test_get_widget (window, GTK_TYPE_PICTURE, "qr_picture");
  GdkPaintable *paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  g_autoptr(GdkTexture) one_px = pd_qr_texture_new (url, 1, NULL);
  int modules = gdk_texture_get_width (one_px);
  int width;

  g_assert_true (GDK_IS_TEXTURE (paintable));
  width = gdk_texture_get_width (GDK_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==, width);
  g_assert_cmpint (width, >=, 240);
  g_assert_cmpint (width % modules, ==, 0);
  g_assert_cmpint (gtk_widget_get_width (picture), ==, width);
  g_assert_cmpint (gtk_widget_get_height (picture), ==, width);
  return (guint) (width / modules);
}

typedef struct
{
  GtkWidget *window;
  char      *url;
} QrWait;

static gboolean
qr_settled (gpointer data)
{
  QrWait *wait = data;
  GtkWidget *picture = pd_ui_test_get_widget (wait->window, GTK_TYPE_PICTURE, "qr_picture");
  GdkPaintable *paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));

  return GDK_IS_TEXTURE (paintable) &&
         gtk_widget_get_width (picture) == gdk_texture_get_width (GDK_TEXTURE (paintable));
}

/* Clipboard */

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* PayMaster */

/* Pays @invoice as PayMaster does for a site in test mode: a correctly
 * signed notification to the app's listener. Returns the HTTP status. */
static guint
pay (const TestInvoice *invoice,
     const char        *payment_id)
{
  g_autoptr(PdInvoice) row = read_invoice (invoice->id);
  g_autofree char *amount = pd_money_format (row->amount);

  return pd_ui_test_post_notification (port, pd_service_get_shop (service), SECRET,
                                       invoice->number, amount, payment_id);
}

/* Tests */

static void
test_details (void)
{
  g_autoptr(PdInvoice) invoice = read_invoice (two_lines.id);
  g_autofree char *url = payment_url (two_lines.id);
  g_autofree char *amount = pd_money_format_display (invoice->amount, invoice->currency);
  g_autofree char *title = g_strdup_printf ("Invoice %s", two_lines.number);
  g_autofree char *clipboard = NULL;
  GtkWidget *window = open_window (two_lines.id, 0, 1250);
  g_autofree char *price = pd_money_format_display (45000, "RUB");
  g_autofree char *quantity_price = g_strdup_printf ("2 × %s", price);
  g_autofree char *line_total = pd_money_format_display (90000, "RUB");
  GtkWidget *lines;
  guint n_rows = 0;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, title);
  g_assert_cmpstr (label_text (window, "amount_label"), ==, amount);
  g_assert_cmpstr (label_text (window, "total_label"), ==, amount);
  g_assert_cmpstr (label_text (window, "status_badge"), ==, "Issued");
  g_assert_true (gtk_widget_has_css_class (pd_ui_test_get_widget (window, GTK_TYPE_LABEL, "status_badge"), "issued"));
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (window, GTK_TYPE_LABEL, "test_badge")));
  g_assert_cmpstr (label_text (window, "email_label"), ==, EMAIL);
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (window, ADW_TYPE_ACTION_ROW, "phone_row")));
  g_assert_cmpstr (label_text (window, "phone_label"), ==, "+79031234567");
  /* The link carries the receipt: both lines and the customer. */
  g_assert_nonnull (strstr (url, "LMI_SHOPPINGCART.ITEM%5B1%5D.NAME="));
  g_assert_nonnull (strstr (url, "LMI_PAYER_PHONE_NUMBER=79031234567"));
  g_assert_true (g_str_has_prefix (label_text (window, "status_label"), "Waiting for payment until "));
  g_assert_cmpstr (label_text (window, "link_label"), ==, url);
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (window, GTK_TYPE_BUTTON, "cancel_button")));
  g_assert_false (gtk_widget_get_visible (pd_ui_test_get_widget (window, ADW_TYPE_PREFERENCES_GROUP, "payment_group")));

  /* Two lines and the total. */
  lines = pd_ui_test_get_widget (window, GTK_TYPE_LIST_BOX, "lines_list");
  for (GtkWidget *row = gtk_widget_get_first_child (lines); row; row = gtk_widget_get_next_sibling (row))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, 3);
  g_assert_true (find_label_with_text (lines, quantity_price));
  g_assert_true (find_label_with_text (lines, line_total));

  /* With the receipt in it the link is some 1300 characters: a code of
   * 129 modules, which the default width shows at three pixels each. */
  g_assert_true (pd_ui_test_wait_until (qr_settled, &(QrWait) { window, url }, WAIT_MS));
  g_assert_cmpuint (check_qr (window, url), >=, 3);

  gtk_widget_activate_action (window, "invoice.copy-link", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (window), NULL, clipboard_read_cb, &clipboard);
  g_assert_true (pd_ui_test_wait_until (pointer_set, &clipboard, WAIT_MS));
  g_assert_cmpstr (clipboard, ==, url);
  wait_for_toast (window, "Link copied");

  save_screenshot (window, "invoice-window-issued.png");
  close_window (window);
}

/* At the narrowest width GNOME asks for, nothing sticks out and the code
 * is still whole pixels per module and big enough to scan. */
static void
test_narrow (void)
{
  g_autofree char *url = payment_url (two_lines.id);
  GtkWidget *window = open_window (two_lines.id, 360, 760);
  QrWait wait = { window, url };
  GtkAdjustment *adjustment;
  int minimum;

  g_assert_true (pd_ui_test_wait_until (qr_settled, &wait, WAIT_MS));
  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (window), <=, 360);
  /* Two pixels a module, the least the window draws: the receipt makes
   * this link's code too large for more at this width. */
  g_assert_cmpuint (check_qr (window, url), >=, 2);

  save_screenshot (window, "invoice-window-narrow.png");

  /* And the end of the page: customer, history and the Cancel button. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (pd_ui_test_get_widget (window, GTK_TYPE_SCROLLED_WINDOW,
                                                                                              "scroller")));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  save_screenshot (window, "invoice-window-narrow-end.png");
  close_window (window);
}

/* The window shows @status and no longer the button @gone. */
typedef struct
{
  GtkWidget  *window;
  const char *status;
  const char *gone;
} SettledWait;

static gboolean
settled (gpointer data)
{
  SettledWait *wait = data;

  return g_strcmp0 (label_text (wait->window, "status_badge"), wait->status) == 0 &&
         !gtk_widget_get_visible (pd_ui_test_get_widget (wait->window, GTK_TYPE_BUTTON, wait->gone));
}

static void
test_paid_while_open (void)
{
  GtkWidget *window = open_window (to_pay.id, 0, 1000);
  g_autoptr(PdInvoice) invoice = NULL;
  g_autofree char *toast = g_strdup_printf ("Invoice %s is paid", to_pay.number);

  g_assert_cmpstr (label_text (window, "status_badge"), ==, "Issued");
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (window, GTK_TYPE_BUTTON, "cancel_button")));

  g_assert_cmpuint (pay (&to_pay, "40599192"), ==, SOUP_STATUS_OK);
  g_assert_true (pd_ui_test_wait_until (settled, &(SettledWait) { window, "Paid", "cancel_button" },
                                        WAIT_MS));

  g_assert_true (gtk_widget_has_css_class (pd_ui_test_get_widget (window, GTK_TYPE_LABEL, "status_badge"), "paid"));
  g_assert_false (gtk_widget_get_visible (pd_ui_test_get_widget (window, ADW_TYPE_PREFERENCES_GROUP, "link_group")));
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (window, ADW_TYPE_PREFERENCES_GROUP, "payment_group")));
  g_assert_cmpstr (label_text (window, "payment_id_label"), ==, "40599192");
  g_assert_true (g_str_has_prefix (label_text (window, "status_label"), "Paid on "));
  g_assert_false (gtk_widget_get_visible (pd_ui_test_get_widget (window, GTK_TYPE_LABEL, "qr_error_label")));
  wait_for_toast (window, toast);

  invoice = read_invoice (to_pay.id);
  g_assert_cmpint (invoice->status, ==, PD_INVOICE_PAID);

  save_screenshot (window, "invoice-window-paid.png");
  close_window (window);
}

static void
test_cancel (void)
{
  GtkWidget *window = open_window (to_cancel.id, 0, 0);
  g_autoptr(PdInvoice) invoice = NULL;
  AdwMessageDialog *dialog;
  g_autofree char *toast = g_strdup_printf ("Invoice %s cancelled", to_cancel.number);

  gtk_widget_activate_action (window, "invoice.cancel", NULL);
  g_assert_true (pd_ui_test_wait_until (dialog_shown, NULL, WAIT_MS));
  dialog = find_message_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  save_screenshot (GTK_WIDGET (dialog), "invoice-window-cancel-dialog.png");
  adw_message_dialog_response (dialog, "cancel-invoice");

  wait_for_status (window, "Cancelled");
  g_assert_false (gtk_widget_get_visible (pd_ui_test_get_widget (window, GTK_TYPE_BUTTON, "cancel_button")));
  g_assert_false (gtk_widget_get_visible (pd_ui_test_get_widget (window, ADW_TYPE_PREFERENCES_GROUP, "link_group")));
  g_assert_true (g_str_has_prefix (label_text (window, "status_label"), "Cancelled on "));
  wait_for_toast (window, toast);

  invoice = read_invoice (to_cancel.id);
  g_assert_cmpint (invoice->status, ==, PD_INVOICE_CANCELLED);
  close_window (window);
}

/* The merchant confirms too late: the customer has paid meanwhile. The
 * store refuses, the window says why and shows the invoice as paid. */
static void
test_cancel_after_payment (void)
{
  GtkWidget *window = open_window (paid_meanwhile.id, 0, 0);
  g_autoptr(PdInvoice) invoice = NULL;
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (window, "invoice.cancel", NULL);
  g_assert_true (pd_ui_test_wait_until (dialog_shown, NULL, WAIT_MS));
  dialog = find_message_dialog ();

  g_assert_cmpuint (pay (&paid_meanwhile, "40599193"), ==, SOUP_STATUS_OK);
  wait_for_status (window, "Paid");

  adw_message_dialog_response (dialog, "cancel-invoice");
  wait_for_toast (window, "Only an unpaid invoice can be cancelled.");
  g_assert_cmpstr (label_text (window, "status_badge"), ==, "Paid");

  invoice = read_invoice (paid_meanwhile.id);
  g_assert_cmpint (invoice->status, ==, PD_INVOICE_PAID);
  close_window (window);
}

static gboolean
not_loading (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (data), "loading") != 0;
}

static void
test_missing_invoice (void)
{
  GtkWidget *window = pd_invoice_window_new (service, 999999);
  GtkStack *stack = GTK_STACK (pd_ui_test_get_widget (window, GTK_TYPE_STACK, "stack"));

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pd_ui_test_wait_until (not_loading, stack, WAIT_MS));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "error");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (pd_ui_test_get_widget (window, ADW_TYPE_STATUS_PAGE,
                                                                                           "error_page"))),
                   ==, "The invoice no longer exists.");
  close_window (window);
}

/* Pays @invoice as a customer does: its link opens the built-in sandbox's
 * checkout page, and Pay there sends the pre-request and the notification
 * to the app's listener. */
static void
pay_in_sandbox (const TestInvoice *invoice)
{
  g_autofree char *url = payment_url (invoice->id);
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(SoupSession) session = pd_test_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autofree char *page = pd_test_send (session, msg);
  g_autofree char *result = pd_test_sandbox_press (session, base, page, "pay");

  g_assert_nonnull (strstr (result, "/paymaster/success"));
}

static GtkEditable *
refund_amount_entry (AdwMessageDialog *dialog)
{
  GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);

  return GTK_EDITABLE (gtk_widget_get_first_child (extra));
}

/* Opens the refund dialog over @window and checks what it offers. */
static AdwMessageDialog *
open_refund_dialog (GtkWidget *window,
                    gint64     left)
{
  g_autofree char *all = pd_money_format_input (left);
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (window, "invoice.refund", NULL);
  g_assert_true (pd_ui_test_wait_until (dialog_shown, NULL, WAIT_MS));
  dialog = find_message_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  /* All that is left, by default. */
  g_assert_cmpstr (gtk_editable_get_text (refund_amount_entry (dialog)), ==, all);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "refund"));
  return dialog;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_message_dialog () == NULL;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* Clicks Refund as the merchant does, which closes the dialog. */
static void
press_refund (AdwMessageDialog *dialog)
{
  GtkWidget *button = pd_ui_test_find_descendant (GTK_WIDGET (dialog), is_button_labelled, "_Refund");

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (pd_ui_test_wait_until (dialog_gone, NULL, WAIT_MS));
}

static void
wait_for_refund_toast (GtkWidget *window,
                       gint64     refunded)
{
  g_autofree char *amount = pd_money_format_display (refunded, "RUB");
  g_autofree char *toast = g_strdup_printf ("Refunded %s of invoice %s", amount, to_refund.number);

  wait_for_toast (window, toast);
}

static void
test_refund (void)
{
  g_autoptr(PdInvoice) before = NULL;
  g_autoptr(PdInvoice) after = NULL;
  g_autofree char *partial = NULL;
  GtkEditable *entry;
  AdwMessageDialog *dialog;
  GtkWidget *window;

  pay_in_sandbox (&to_refund);
  before = read_invoice (to_refund.id);
  g_assert_cmpint (before->status, ==, PD_INVOICE_PAID);

  window = open_window (to_refund.id, 0, 1000);
  g_assert_cmpstr (label_text (window, "status_badge"), ==, "Paid");
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (window, GTK_TYPE_BUTTON, "refund_button")));

  dialog = open_refund_dialog (window, before->amount);
  entry = refund_amount_entry (dialog);

  /* Nothing, or more than was paid, cannot be refunded. */
  gtk_editable_set_text (entry, "0");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "refund"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  partial = pd_money_format_input (before->amount + 1);
  gtk_editable_set_text (entry, partial);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "refund"));
  g_clear_pointer (&partial, g_free);
  partial = pd_money_format_input (10000);
  gtk_editable_set_text (entry, partial);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "refund"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  save_screenshot (GTK_WIDGET (dialog), "invoice-window-refund-dialog.png");

  press_refund (dialog);
  wait_for_status (window, "Partially refunded");
  g_assert_true (gtk_widget_get_visible (pd_ui_test_get_widget (window, GTK_TYPE_BUTTON, "refund_button")));
  wait_for_refund_toast (window, 10000);
  save_screenshot (window, "invoice-window-partly-refunded.png");

  /* The rest, and not a kopeck more. */
  dialog = open_refund_dialog (window, before->amount - 10000);
  entry = refund_amount_entry (dialog);
  g_clear_pointer (&partial, g_free);
  partial = pd_money_format_input (before->amount - 10000 + 1);
  gtk_editable_set_text (entry, partial);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "refund"));
  g_clear_pointer (&partial, g_free);
  partial = pd_money_format_input (before->amount - 10000);
  gtk_editable_set_text (entry, partial);
  press_refund (dialog);
  g_assert_true (pd_ui_test_wait_until (settled, &(SettledWait) { window, "Refunded", "refund_button" },
                                        WAIT_MS));
  /* Toasts queue: the first one goes before this one shows. */
  wait_for_refund_toast (window, before->amount - 10000);

  after = read_invoice (to_refund.id);
  g_assert_cmpint (after->status, ==, PD_INVOICE_REFUNDED);
  g_assert_cmpint (after->refunded, ==, before->amount);
  save_screenshot (window, "invoice-window-refunded.png");
  close_window (window);
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdShop) shop = NULL;
  gint64 tea, delivery;

  db_path = pd_ui_test_sandbox_database (SECRET, &port, &shop);

  db = pd_database_open (db_path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  tea = add_product (db, "Чай улун, 100 г", "450");
  delivery = add_product (db, "Доставка курьером", "300");
  add_invoice (db, (PdInvoiceLine[]) { { tea, 2 }, { delivery, 1 } }, 2, EMAIL, PHONE, 3 * 24 * 3600,
               &two_lines);
  add_invoice (db, (PdInvoiceLine[]) { { tea, 1 } }, 1, NULL, NULL, 0, &to_pay);
  add_invoice (db, (PdInvoiceLine[]) { { delivery, 1 } }, 1, NULL, NULL, 0, &to_cancel);
  add_invoice (db, (PdInvoiceLine[]) { { tea, 3 } }, 1, EMAIL, NULL, 0, &paid_meanwhile);
  add_invoice (db, (PdInvoiceLine[]) { { tea, 1 }, { delivery, 1 } }, 2, EMAIL, NULL, 0, &to_refund);
  /* Refunds go through the API user; the built-in sandbox takes the
   * shop's, whatever it is. Payments arrive by notification only. */
  g_assert_true (pd_catalog_set_setting (db, "api_login", API_LOGIN, &error));
  g_assert_true (pd_catalog_set_setting (db, "sync_mode", PD_SYNC_MODE_NOTIFICATIONS, &error));
  g_assert_true (pd_secrets_store (PD_SECRET_API_PASSWORD, shop->merchant_id,
                                   API_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&db, pd_database_close);

  app = pd_ui_test_application_new (db_path);
  g_application_activate (G_APPLICATION (app));
  service = pd_application_get_service (app);
  g_assert_nonnull (service);
  main_window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (main_window);
  g_assert_true (pd_ui_test_wait_listening (app, WAIT_MS));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  pd_ui_test_init (&argc, &argv);
  set_up ();

  g_test_add_func ("/invoice-window/details", test_details);
  g_test_add_func ("/invoice-window/narrow", test_narrow);
  g_test_add_func ("/invoice-window/paid-while-open", test_paid_while_open);
  g_test_add_func ("/invoice-window/cancel", test_cancel);
  g_test_add_func ("/invoice-window/cancel-after-payment", test_cancel_after_payment);
  g_test_add_func ("/invoice-window/missing", test_missing_invoice);
  g_test_add_func ("/invoice-window/refund", test_refund);
  status = g_test_run ();

  pd_service_stop (service);
  return status;
}
