/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "pd-catalog.h"
#include "pd-paymaster.h"
#include "pd-payments-page.h"
#include "pd-ui-test.h"
#include "pd-window.h"

/* The Payments page as a merchant meets it: empty with the address to
 * paste into the cabinet, then filling with what PayMaster (here, this
 * test) sends, newest first, rejections marked, raw fields one click away. */

#define SECRET "tea-shop-secret"
#define WAIT_MS 20000

typedef struct
{
  PdApplication *app;
  PdService     *service;
  GtkWindow     *window;
  PdWindow      *main_window;
  GtkWidget     *page;
  GtkWidget     *list_view;
  SoupSession   *session;
  guint16        port;
  char          *invoice_number;
} Fixture;

/* What one row of the list shows. */
typedef struct
{
  GtkWidget  *widget;
  const char *kind;
  const char *verdict;
  const char *reason;
  GtkWidget  *expander;
  GtkWidget  *fields;
} Row;

static const char *
label_text (GtkWidget  *root,
            const char *name)
{
  GtkWidget *label = pd_ui_test_find_widget (root, GTK_TYPE_LABEL, name);

  return label && gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : "";
}

/* The rows on screen, top to bottom. */
static GArray *
visible_rows (Fixture *fixture)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));

  for (GtkWidget *child = gtk_widget_get_first_child (fixture->list_view); child;
       child = gtk_widget_get_next_sibling (child))
    {
      Row row = { child, };

      if (!gtk_widget_get_child_visible (child) || pd_ui_test_find_widget (child, GTK_TYPE_LABEL, "kind") == NULL)
        continue;
      row.kind = label_text (child, "kind");
      row.verdict = label_text (child, "verdict");
      row.reason = label_text (child, "reason");
      row.expander = pd_ui_test_find_widget (child, GTK_TYPE_EXPANDER, "raw");
      /* A closed expander keeps its child out of the widget tree. */
      row.fields = pd_ui_test_find_widget (gtk_expander_get_child (GTK_EXPANDER (row.expander)),
                                           GTK_TYPE_LABEL, "fields");
      g_array_append_val (rows, row);
    }
  return rows;
}

typedef struct
{
  Fixture *fixture;
  guint    n_rows;
  gboolean with_accepted;
} RowsWanted;

static gboolean
rows_shown (gpointer data)
{
  RowsWanted *wanted = data;
  g_autoptr(GArray) rows = visible_rows (wanted->fixture);
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (wanted->fixture->list_view)));
  gboolean accepted = FALSE;

  if (g_list_model_get_n_items (model) != wanted->n_rows || rows->len != wanted->n_rows)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      if (*row->verdict == '\0')
        return FALSE;
      if (g_str_equal (row->verdict, "Accepted"))
        accepted = TRUE;
    }
  return accepted == wanted->with_accepted;
}

/* The desktop's notification server, played by the test. */
static PdUiNotifications *notifications;

static gboolean
have_notification (gpointer data)
{
  return notifications->titles->len > 0;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
page_shows (gpointer data)
{
  Fixture *fixture = data;
  GtkStack *stack = GTK_STACK (pd_ui_test_find_widget (fixture->page, GTK_TYPE_STACK, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), g_object_get_data (G_OBJECT (stack), "wanted")) == 0;
}

static void
wait_for_page (Fixture    *fixture,
               const char *name)
{
  GtkWidget *stack = pd_ui_test_find_widget (fixture->page, GTK_TYPE_STACK, "stack");

  g_object_set_data (G_OBJECT (stack), "wanted", (gpointer) name);
  g_assert_true (pd_ui_test_wait_until (page_shows, fixture, WAIT_MS));
}

typedef struct
{
  gboolean done;
  guint    status;
} Reply;

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (session, result, NULL);

  reply->status = soup_message_get_status (soup_session_get_async_result_message (session, result));
  reply->done = TRUE;
}

/* Sends without blocking: the listener answers on this same main loop. */
static guint
send_message (Fixture     *fixture,
              SoupMessage *msg)
{
  Reply reply = { FALSE, 0 };

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &reply);
  g_assert_true (pd_ui_test_wait_until (flag_set, &reply.done, WAIT_MS));
  return reply.status;
}

static guint
post_form (Fixture      *fixture,
           const PdForm *form)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", fixture->port, PD_PATH_NOTIFY);
  g_autofree char *body = pd_form_encode (form);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  return send_message (fixture, msg);
}

/* A payment notification as in spec 1.4, signed with the shop's key. */
static PdForm *
notification_form (Fixture    *fixture,
                   const char *payment_id)
{
  PdForm *form = pd_form_new ();
  g_autofree char *hash = NULL;

  pd_form_add (form, "LMI_MERCHANT_ID", "ebc4f3fe-d395-4e08-a4ef-81ca6f4e04a6");
  pd_form_add (form, "LMI_PAYMENT_NO", fixture->invoice_number);
  pd_form_add (form, "LMI_SYS_PAYMENT_ID", payment_id);
  pd_form_add (form, "LMI_SYS_PAYMENT_DATE", "2024-03-12T10:53:35");
  pd_form_add (form, "LMI_PAYMENT_AMOUNT", "50.00");
  pd_form_add (form, "LMI_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAID_AMOUNT", "50.00");
  pd_form_add (form, "LMI_PAID_CURRENCY", "RUB");
  pd_form_add (form, "LMI_PAYMENT_SYSTEM", "3");
  pd_form_add (form, "LMI_SIM_MODE", "0");
  pd_form_add (form, "LMI_PAYMENT_METHOD", "BankCard");
  pd_form_add (form, "LMI_PAYER_IDENTIFIER", "411111******1111");
  pd_form_add (form, "LMI_PAYMENT_DESC", "Чай улун");
  hash = pd_paymaster_sign (form, PD_HASH_SHA256, SECRET);
  pd_form_add (form, "LMI_HASH", hash);
  return form;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db_path = NULL;
  g_autoptr(PdDatabase) db = NULL;
  g_autoptr(PdInvoice) invoice = NULL;
  g_autoptr(GError) error = NULL;
  PdInvoiceLine line = { 0, 1 };
  PdInvoiceDraft draft = { &line, 1, NULL, 0 };

  db_path = pd_ui_test_sandbox_database (SECRET, &fixture->port, NULL);

  db = pd_database_open (db_path, PD_DATABASE_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (pd_catalog_add_product (db, "Чай улун", 5000, "no_vat", &line.product_id, &error));
  g_assert_no_error (error);
  invoice = pd_catalog_create_invoices (db, &draft, 1, TRUE, &error);
  g_assert_no_error (error);
  fixture->invoice_number = g_strdup (invoice->number);
  g_clear_pointer (&db, pd_database_close);

  fixture->app = pd_ui_test_application_new (db_path);
  g_application_activate (G_APPLICATION (fixture->app));
  fixture->service = pd_application_get_service (fixture->app);
  g_assert_true (pd_ui_test_wait_listening (fixture->app, WAIT_MS));

  fixture->main_window = pd_ui_test_find_main_window (fixture->app);
  g_assert_nonnull (fixture->main_window);
  fixture->window = GTK_WINDOW (fixture->main_window);
  gtk_window_set_default_size (fixture->window, 900, 700);
  pd_window_show_page (fixture->main_window, "payments");

  fixture->page = pd_ui_test_get_widget (GTK_WIDGET (fixture->window), PD_TYPE_PAYMENTS_PAGE, NULL);
  fixture->list_view = pd_ui_test_get_widget (fixture->page, GTK_TYPE_LIST_VIEW, NULL);

  fixture->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  pd_service_stop (fixture->service);
  /* Hidden, as the close button does: destroying the main window trips
   * over libadwaita 1.2 disposing its view switcher bar. */
  gtk_window_close (fixture->window);
  pd_ui_test_iterate (50);
  g_clear_object (&fixture->app);
  g_free (fixture->invoice_number);
}

static void
test_payments_log (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PdForm) valid = notification_form (fixture, "40599192");
  g_autoptr(PdForm) forged = notification_form (fixture, "40599193");
  g_autoptr(GArray) rows = NULL;
  g_autofree char *get_url = g_strdup_printf ("http://127.0.0.1:%u%s", fixture->port, PD_PATH_NOTIFY);
  g_autoptr(SoupMessage) get = soup_message_new (SOUP_METHOD_GET, get_url);
  GtkToggleButton *problems;
  RowsWanted all = { fixture, 3, TRUE };
  RowsWanted problems_only = { fixture, 2, FALSE };
  Row *row;

  /* Empty: says what will appear and where to point PayMaster. */
  wait_for_page (fixture, "empty");
  g_assert_nonnull (strstr (label_text (fixture->page, "notify_url_label"), PD_PATH_NOTIFY));
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->window), "payments-empty.png", WAIT_MS);
  gtk_window_set_default_size (fixture->window, 360, 720);
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->window), "payments-empty-narrow.png", WAIT_MS);
  gtk_window_set_default_size (fixture->window, 900, 700);

  g_assert_cmpuint (post_form (fixture, valid), ==, 200);
  pd_form_set (forged, "LMI_PAYMENT_AMOUNT", "1.00");
  pd_form_set (forged, "LMI_PAID_AMOUNT", "1.00");
  /* An echoed merchant field that should never be on screen. */
  pd_form_add (forged, "shop_secret_key", "hunter2");
  g_assert_cmpuint (post_form (fixture, forged), ==, 403);
  g_assert_cmpuint (send_message (fixture, get), ==, 405);

  /* Newest first: the GET, the forged notification, the payment. */
  wait_for_page (fixture, "events");
  g_assert_true (pd_ui_test_wait_until (rows_shown, &all, WAIT_MS));
  rows = visible_rows (fixture);
  g_assert_cmpstr (g_array_index (rows, Row, 0).verdict, ==, "Rejected");
  g_assert_nonnull (strstr (g_array_index (rows, Row, 0).reason, "POST"));
  row = &g_array_index (rows, Row, 1);
  g_assert_cmpstr (row->kind, ==, "Payment notification");
  g_assert_cmpstr (row->verdict, ==, "Rejected");
  g_assert_nonnull (strstr (row->reason, "signature"));
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (
    pd_ui_test_find_widget (row->widget, GTK_TYPE_LABEL, "verdict")), "error"));
  g_assert_cmpstr (g_array_index (rows, Row, 2).verdict, ==, "Accepted");
  g_assert_nonnull (strstr (g_array_index (rows, Row, 2).reason, fixture->invoice_number));

  /* The payment was announced on the desktop, once. */
  g_assert_true (pd_ui_test_wait_until (have_notification, NULL, WAIT_MS));
  pd_ui_test_iterate (200);
  g_assert_cmpuint (notifications->titles->len, ==, 1);
  g_assert_nonnull (strstr (notifications->titles->pdata[0], fixture->invoice_number));

  /* The raw fields open under the row, the secret-looking field masked. */
  g_assert_false (gtk_widget_get_mapped (row->fields));
  gtk_expander_set_expanded (GTK_EXPANDER (row->expander), TRUE);
  pd_ui_test_iterate (100);
  g_assert_true (gtk_widget_get_mapped (row->fields));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (row->fields)), "LMI_PAYMENT_NO: "));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (row->fields)), "LMI_HASH: "));
  g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (row->fields)), "hunter2"));

  /* Enter on a row opens it as well, and closes it again. */
  g_signal_emit_by_name (fixture->list_view, "activate", 0);
  pd_ui_test_iterate (100);
  g_clear_pointer (&rows, g_array_unref);
  rows = visible_rows (fixture);
  g_assert_true (gtk_expander_get_expanded (GTK_EXPANDER (g_array_index (rows, Row, 0).expander)));
  g_signal_emit_by_name (fixture->list_view, "activate", 0);
  pd_ui_test_iterate (100);
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (g_array_index (rows, Row, 0).expander)));

  gtk_window_set_default_size (fixture->window, 900, 1000);
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->window), "payments.png", WAIT_MS);

  gtk_window_set_default_size (fixture->window, 360, 720);
  pd_ui_test_iterate (300);
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->window), "payments-narrow.png", WAIT_MS);
  gtk_window_set_default_size (fixture->window, 900, 700);

  /* Problems only: the accepted payment goes away. */
  problems = GTK_TOGGLE_BUTTON (pd_ui_test_find_widget (fixture->page, GTK_TYPE_TOGGLE_BUTTON, "problems_toggle"));
  g_assert_nonnull (problems);
  gtk_toggle_button_set_active (problems, TRUE);
  g_assert_true (pd_ui_test_wait_until (rows_shown, &problems_only, WAIT_MS));
  g_clear_pointer (&rows, g_array_unref);
  rows = visible_rows (fixture);
  g_assert_cmpstr (g_array_index (rows, Row, 1).verdict, ==, "Rejected");
  /* What was open stays open across the refresh. */
  g_assert_true (gtk_expander_get_expanded (GTK_EXPANDER (g_array_index (rows, Row, 1).expander)));
  gtk_expander_set_expanded (GTK_EXPANDER (g_array_index (rows, Row, 1).expander), FALSE);
  pd_ui_test_review_screenshot (GTK_WIDGET (fixture->window), "payments-problems.png", WAIT_MS);

  gtk_toggle_button_set_active (problems, FALSE);
  g_assert_true (pd_ui_test_wait_until (rows_shown, &all, WAIT_MS));
}

int
main (int    argc,
      char **argv)
{
  int status;

  pd_ui_test_init (&argc, &argv);

  /* A payment's desktop notification goes to the test, not a desktop. */
  notifications = pd_ui_test_start_notification_bus ();

  g_test_add ("/ui/payments/log", Fixture, NULL, fixture_set_up, test_payments_log, fixture_tear_down);

  status = g_test_run ();
  /* The application still holds its bus connection. */
  pd_ui_test_stop_notification_bus (notifications, FALSE);
  return status;
}
