/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-invoice-item.h"
#include "pd-invoice-window.h"
#include "pd-refund-dialog.h"
#include "pd-money.h"
#include "pd-qr.h"

/* The side of one QR module in logical pixels. Four is what a phone camera
 * reads comfortably off a screen even for a dense code (a payment link is
 * some 600 characters); a narrow window gets smaller modules, but always a
 * whole number of pixels, so that the code stays sharp. */
#define QR_MODULE_NATURAL 4
#define QR_MODULE_MIN     2

/* Everything the window shows, read in one go on a reader thread. */
typedef struct
{
  PdInvoice *invoice;
  GPtrArray *lines;     /* of PdInvoiceLineRow */
  GPtrArray *history;   /* of PdStatusChange */
} PdInvoiceDetails;

static void
pd_invoice_details_free (PdInvoiceDetails *details)
{
  g_clear_pointer (&details->invoice, pd_invoice_free);
  g_clear_pointer (&details->lines, g_ptr_array_unref);
  g_clear_pointer (&details->history, g_ptr_array_unref);
  g_free (details);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdInvoiceDetails, pd_invoice_details_free)

struct _PdInvoiceWindow
{
  AdwWindow             parent_instance;

  PdService            *service;
  gint64                invoice_id;
  PdInvoice            *invoice;        /* as last shown; NULL until loaded */
  char                 *payment_url;    /* while payable */
  GCancellable         *cancellable;    /* of the load in flight */
  guint                 qr_modules;     /* side of the code in modules, 0 for none */
  guint                 qr_module_px;   /* module size of the texture shown */
  guint                 qr_update_id;
  gboolean              cancelling;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  GtkLabel             *amount_label;
  GtkLabel             *description_label;
  GtkLabel             *status_badge;
  GtkLabel             *test_badge;
  GtkLabel             *status_label;
  AdwPreferencesGroup  *link_group;
  GtkWidget            *qr_bin;
  GtkPicture           *qr_picture;
  GtkLabel             *qr_error_label;
  GtkLabel             *link_label;
  AdwPreferencesGroup  *payment_group;
  AdwActionRow         *paid_row;
  GtkLabel             *paid_label;
  AdwActionRow         *payment_id_row;
  AdwActionRow         *refunded_row;
  GtkLabel             *refunded_label;
  GtkLabel             *payment_id_label;
  GtkListBox           *lines_list;
  AdwActionRow         *total_row;
  GtkLabel             *total_label;
  GtkLabel             *email_label;
  GtkWidget            *phone_row;
  GtkLabel             *phone_label;
  GtkListBox           *history_list;
  GtkButton            *cancel_button;
  GtkButton            *refund_button;
  gboolean              refunding;
};

G_DEFINE_FINAL_TYPE (PdInvoiceWindow, pd_invoice_window, ADW_TYPE_WINDOW)

static void load_details (PdInvoiceWindow *self);

static void
show_toast (PdInvoiceWindow *self,
            const char      *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* An error goes before any news still queued. */
static void
show_error_toast (PdInvoiceWindow *self,
                  const char      *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The QR code */

static guint
qr_module_for_size (PdInvoiceWindow *self,
                    int              size)
{
  return CLAMP (size / (int) self->qr_modules, 1, QR_MODULE_NATURAL);
}

/* Draws the code with @module_px logical pixels per module. The texture
 * has one pixel per device pixel, so that it is never scaled. */
static void
set_qr_module_size (PdInvoiceWindow *self,
                    guint            module_px)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  guint scale = (guint) MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self->qr_picture)));

  texture = pd_qr_texture_new (self->payment_url, module_px * scale, &error);
  if (texture == NULL)
    {
      self->qr_modules = 0;
      gtk_picture_set_paintable (self->qr_picture, NULL);
      gtk_label_set_label (self->qr_error_label, error->message);
    }
  else
    {
      self->qr_modules = (guint) gdk_texture_get_width (texture) / (module_px * scale);
      self->qr_module_px = module_px;
      gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (texture));
    }
  gtk_widget_set_visible (self->qr_bin, texture != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->qr_error_label), texture == NULL);
}

static gboolean
update_qr_cb (gpointer user_data)
{
  PdInvoiceWindow *self = user_data;
  int size = MIN (gtk_widget_get_width (self->qr_bin), gtk_widget_get_height (self->qr_bin));

  self->qr_update_id = 0;
  if (self->payment_url != NULL && self->qr_modules > 0 && size > 0 &&
      qr_module_for_size (self, size) != self->qr_module_px)
    set_qr_module_size (self, qr_module_for_size (self, size));
  return G_SOURCE_REMOVE;
}

static void
qr_scale_factor_cb (PdInvoiceWindow *self)
{
  if (self->payment_url != NULL && self->qr_modules > 0)
    set_qr_module_size (self, self->qr_module_px);
}

/* The code's holder is laid out by hand: as wide as whole modules allow,
 * up to QR_MODULE_NATURAL pixels each, and always square. */
static GtkSizeRequestMode
qr_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
qr_measure (GtkWidget      *widget,
            GtkOrientation  orientation,
            int             for_size,
            int            *minimum,
            int            *natural,
            int            *minimum_baseline,
            int            *natural_baseline)
{
  PdInvoiceWindow *self = PD_INVOICE_WINDOW (gtk_widget_get_ancestor (widget, PD_TYPE_INVOICE_WINDOW));
  int modules = (int) self->qr_modules;

  if (modules == 0)
    *minimum = *natural = 0;
  else if (orientation == GTK_ORIENTATION_HORIZONTAL || for_size < 0)
    {
      *minimum = modules * QR_MODULE_MIN;
      *natural = modules * QR_MODULE_NATURAL;
    }
  else
    *minimum = *natural = modules * (int) qr_module_for_size (self, for_size);
}

static void
qr_allocate (GtkWidget *widget,
             int        width,
             int        height,
             int        baseline)
{
  PdInvoiceWindow *self = PD_INVOICE_WINDOW (gtk_widget_get_ancestor (widget, PD_TYPE_INVOICE_WINDOW));
  GtkWidget *picture = GTK_WIDGET (self->qr_picture);
  int side;
  guint module_px;

  if (self->qr_modules == 0)
    return;

  module_px = qr_module_for_size (self, MIN (width, height));
  side = (int) (module_px * self->qr_modules);
  gtk_widget_measure (picture, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
  gtk_widget_size_allocate (picture,
                            &(GtkAllocation) { (width - side) / 2, (height - side) / 2, side, side },
                            -1);

  /* A new texture changes the picture's size request: not while the
   * layout is being computed. */
  if (module_px != self->qr_module_px && self->qr_update_id == 0)
    self->qr_update_id = g_idle_add (update_qr_cb, self);
}

/* Showing the details */

/* "Paid on 12/01/25 10:53" and the like, @when being the time the invoice
 * came to its status (for an issued one, the time it expires). */
static char *
describe_status (PdInvoiceStatus  status,
                 const char      *when)
{
  switch (status)
    {
    case PD_INVOICE_ISSUED:
      if (when == NULL)
        return g_strdup (_("Waiting for payment"));
      /* Translators: %s is a date and time */
      return g_strdup_printf (_("Waiting for payment until %s"), when);
    case PD_INVOICE_PAID:
      /* Translators: %s is a date and time */
      return when ? g_strdup_printf (_("Paid on %s"), when) : NULL;
    case PD_INVOICE_CANCELLED:
      /* Translators: %s is a date and time */
      return when ? g_strdup_printf (_("Cancelled on %s"), when) : NULL;
    case PD_INVOICE_EXPIRED:
      /* Translators: %s is a date and time */
      return when ? g_strdup_printf (_("Expired on %s"), when) : NULL;
    case PD_INVOICE_REFUNDED:
      /* Translators: %s is a date and time */
      return when ? g_strdup_printf (_("Refunded on %s"), when) : NULL;
    default:
      g_return_val_if_reached (NULL);
    }
}

/* When the invoice came to its current status, in Unix seconds or 0. */
static gint64
status_time (const PdInvoice *invoice,
             GPtrArray       *history)
{
  if (invoice->status == PD_INVOICE_ISSUED)
    return invoice->expires_at;
  if (invoice->status == PD_INVOICE_PAID && invoice->paid_at > 0)
    return invoice->paid_at;

  for (guint i = history->len; i > 0; i--)
    {
      const PdStatusChange *change = g_ptr_array_index (history, i - 1);

      if (change->status == invoice->status)
        return change->at;
    }
  return invoice->status == PD_INVOICE_EXPIRED ? invoice->expires_at : 0;
}

static void
show_status (PdInvoiceWindow  *self,
             const PdInvoice  *invoice,
             GPtrArray        *history)
{
  GtkWidget *badge = GTK_WIDGET (self->status_badge);
  g_autofree char *when = pd_format_time_display (status_time (invoice, history));
  g_autofree char *text = describe_status (invoice->status, when);

  for (PdInvoiceStatus status = PD_INVOICE_ISSUED; status <= PD_INVOICE_REFUNDED; status++)
    gtk_widget_remove_css_class (badge, pd_invoice_status_to_string (status));
  gtk_widget_add_css_class (badge, pd_invoice_status_to_string (invoice->status));
  gtk_label_set_label (self->status_badge, pd_invoice_describe_status (invoice));
  gtk_widget_set_visible (GTK_WIDGET (self->test_badge), invoice->test);

  gtk_label_set_label (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

/* An unpaid invoice shows its link, or why there is none. */
static void
show_payment_link (PdInvoiceWindow *self,
                   const PdInvoice *invoice,
                   GPtrArray       *lines)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  if (invoice->status == PD_INVOICE_ISSUED)
    url = pd_service_payment_url (self->service, invoice, lines, &error);

  gtk_widget_set_visible (GTK_WIDGET (self->link_group), url != NULL || error != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.copy-link", url != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.open-link", url != NULL);

  if (error != NULL)
    {
      gtk_label_set_label (self->qr_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->qr_error_label), TRUE);
      gtk_widget_set_visible (self->qr_bin, FALSE);
    }

  if (g_strcmp0 (url, self->payment_url) == 0)
    return;

  g_free (self->payment_url);
  self->payment_url = g_steal_pointer (&url);
  gtk_label_set_label (self->link_label, self->payment_url ? self->payment_url : "");
  if (self->payment_url != NULL)
    set_qr_module_size (self, self->qr_module_px ? self->qr_module_px : QR_MODULE_NATURAL);
  else
    {
      self->qr_modules = 0;
      gtk_picture_set_paintable (self->qr_picture, NULL);
    }
}

static void
show_payment (PdInvoiceWindow *self,
              const PdInvoice *invoice)
{
  g_autofree char *paid = pd_format_time_display (invoice->paid_at);
  gboolean has_id = invoice->payment_id != NULL && *invoice->payment_id != '\0';

  gtk_widget_set_visible (GTK_WIDGET (self->payment_group), paid != NULL || has_id);
  gtk_label_set_label (self->paid_label, paid ? paid : "");
  gtk_widget_set_visible (GTK_WIDGET (self->paid_row), paid != NULL);
  gtk_label_set_label (self->payment_id_label, has_id ? invoice->payment_id : "");
  gtk_widget_set_visible (GTK_WIDGET (self->payment_id_row), has_id);

  if (invoice->refunded > 0)
    {
      g_autofree char *refunded = pd_money_format_display (invoice->refunded, invoice->currency);

      gtk_label_set_label (self->refunded_label, refunded);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->refunded_row), invoice->refunded > 0);
}

static void
show_lines (PdInvoiceWindow *self,
            const PdInvoice *invoice,
            GPtrArray       *lines)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->lines_list));
  g_autofree char *total = pd_money_format_display (invoice->amount, invoice->currency);

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (child != GTK_WIDGET (self->total_row))
        gtk_list_box_remove (self->lines_list, child);
      child = next;
    }

  for (guint i = 0; i < lines->len; i++)
    {
      const PdInvoiceLineRow *line = g_ptr_array_index (lines, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *price = pd_money_format_display (line->price, invoice->currency);
      g_autofree char *quantity = g_strdup_printf ("%" G_GINT64_FORMAT, line->quantity);
      g_autofree char *subtitle = NULL;
      gint64 sum;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line->name);
      /* Translators: an invoice line, quantity × unit price, e.g. "2 × 450.00 ₽" */
      subtitle = g_strdup_printf (_("%s × %s"), quantity, price);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      if (pd_money_multiply (line->price, line->quantity, &sum))
        {
          g_autofree char *sum_text = pd_money_format_display (sum, invoice->currency);
          GtkWidget *label = gtk_label_new (sum_text);

          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      gtk_list_box_insert (self->lines_list, row, (int) i);
    }

  gtk_label_set_label (self->total_label, total);
}

static void
show_history (PdInvoiceWindow *self,
              GPtrArray       *history)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  for (guint i = 0; i < history->len; i++)
    {
      const PdStatusChange *change = g_ptr_array_index (history, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = pd_format_time_display (change->at);
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     pd_invoice_status_display (change->status));
      /* A payment's note is PayMaster's id for it. */
      if (change->status == PD_INVOICE_PAID && change->note != NULL && when != NULL)
        /* Translators: a date and time, then PayMaster's payment id */
        subtitle = g_strdup_printf (_("%s, payment %s"), when, change->note);
      else if (change->note != NULL && when != NULL)
        subtitle = g_strdup_printf ("%s, %s", when, change->note);
      else
        subtitle = g_strdup (when ? when : change->note);
      if (subtitle != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->history_list, row);
    }
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->history_list),
                                                   ADW_TYPE_PREFERENCES_GROUP),
                          history->len > 0);
}

static void
update_cancel (PdInvoiceWindow *self)
{
  gboolean payable = self->invoice != NULL && self->invoice->status == PD_INVOICE_ISSUED;

  gboolean refundable = self->invoice != NULL && self->invoice->status == PD_INVOICE_PAID &&
                       self->invoice->refunded < self->invoice->amount;

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), payable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.cancel", payable && !self->cancelling);
  gtk_widget_set_visible (GTK_WIDGET (self->refund_button), refundable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.refund", refundable && !self->refunding);
}

static void
show_details (PdInvoiceWindow  *self,
              PdInvoiceDetails *details)
{
  const PdInvoice *invoice = details->invoice;
  gboolean just_paid = self->invoice != NULL && self->invoice->status == PD_INVOICE_ISSUED &&
                       invoice->status == PD_INVOICE_PAID;
  g_autofree char *title = NULL;
  g_autofree char *amount = pd_money_format_display (invoice->amount, invoice->currency);
  gboolean has_email = invoice->email != NULL && *invoice->email != '\0';

  /* Translators: a window title, %s is the invoice number */
  title = g_strdup_printf (_("Invoice %s"), invoice->number);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  gtk_label_set_label (self->amount_label, amount);
  gtk_label_set_label (self->description_label, invoice->description ? invoice->description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          invoice->description != NULL && *invoice->description != '\0');

  show_status (self, invoice, details->history);
  show_payment_link (self, invoice, details->lines);
  show_payment (self, invoice);
  show_lines (self, invoice, details->lines);
  show_history (self, details->history);

  gtk_label_set_label (self->email_label, has_email ? invoice->email : _("Not given"));
  if (has_email)
    gtk_widget_remove_css_class (GTK_WIDGET (self->email_label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->email_label), "dim-label");
  /* Phones are stored as PayMaster takes them, 79031234567. */
  gtk_widget_set_visible (self->phone_row, invoice->phone != NULL);
  if (invoice->phone != NULL)
    {
      g_autofree char *phone = g_strdup_printf ("+%s", invoice->phone);

      gtk_label_set_label (self->phone_label, phone);
    }

  g_clear_pointer (&self->invoice, pd_invoice_free);
  self->invoice = g_steal_pointer (&details->invoice);
  update_cancel (self);

  gtk_stack_set_visible_child_name (self->stack, "content");
  if (just_paid)
    {
      g_autofree char *toast = g_strdup_printf (_("Invoice %s is paid"), self->invoice->number);

      show_toast (self, toast);
    }
}

/* Loading */

static gpointer
read_details_in_thread (PdDatabase  *db,
                        gpointer     data,
                        GError     **error)
{
  gint64 invoice_id = *(gint64 *) data;
  g_autoptr(PdInvoiceDetails) details = g_new0 (PdInvoiceDetails, 1);

  /* One read transaction, so that the status, lines and history agree. */
  if (!pd_database_exec (db, "BEGIN", error))
    return NULL;
  details->invoice = pd_catalog_get_invoice_by_id (db, invoice_id, error);
  if (details->invoice != NULL)
    details->lines = pd_catalog_list_invoice_lines (db, invoice_id, error);
  if (details->lines != NULL)
    details->history = pd_catalog_list_invoice_history (db, invoice_id, error);
  pd_database_rollback (db);

  if (details->history == NULL)
    return NULL;
  return g_steal_pointer (&details);
}

static void
details_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdInvoiceWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdInvoiceDetails) details = pd_store_read_finish (PD_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->service == NULL)
    return;

  if (details != NULL)
    show_details (self, details);
  else if (self->invoice == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    show_error_toast (self, error->message);
}

static void
load_details (PdInvoiceWindow *self)
{
  /* The newest load wins: an older one may have read an older state. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  pd_store_read_async (pd_service_get_store (self->service), read_details_in_thread,
                       g_memdup2 (&self->invoice_id, sizeof self->invoice_id), g_free,
                       (GDestroyNotify) pd_invoice_details_free, self->cancellable,
                       details_read_cb, g_object_ref (self));
}

static void
invoice_changed_cb (PdStore         *store,
                    gint64           invoice_id,
                    const char      *number,
                    PdInvoiceWindow *self)
{
  if (invoice_id == self->invoice_id)
    load_details (self);
}

/* Actions */

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdInvoiceWindow *self = PD_INVOICE_WINDOW (widget);

  if (self->payment_url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->payment_url);
  show_toast (self, _("Link copied"));
}

static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdInvoiceWindow *self = PD_INVOICE_WINDOW (widget);

  if (self->payment_url != NULL)
    gtk_show_uri (GTK_WINDOW (self), self->payment_url, GDK_CURRENT_TIME);
}

static gpointer
cancel_invoice_in_writer (PdDatabase  *db,
                          gpointer     data,
                          GError     **error)
{
  if (!pd_catalog_cancel_invoice (db, *(gint64 *) data, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
invoice_cancelled_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PdInvoiceWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean cancelled = pd_store_write_finish (PD_STORE (object), result, &error) != NULL;

  self->cancelling = FALSE;

  /* Lists elsewhere must hear of it even if this window is gone. */
  if (cancelled)
    pd_store_invoice_changed (PD_STORE (object), self->invoice_id, self->invoice->number);

  if (self->service == NULL)
    return;

  if (cancelled)
    {
      g_autofree char *toast = g_strdup_printf (_("Invoice %s cancelled"), self->invoice->number);

      show_toast (self, toast);
    }
  else
    {
      /* Most likely it was paid meanwhile: show what it is now. */
      show_error_toast (self, error->message);
      load_details (self);
    }
  update_cancel (self);
}

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    PdInvoiceWindow  *self)
{
  if (g_strcmp0 (response, "cancel-invoice") != 0 || self->invoice == NULL || self->service == NULL)
    return;

  self->cancelling = TRUE;
  update_cancel (self);
  pd_store_write_async (pd_service_get_store (self->service), cancel_invoice_in_writer,
                        g_memdup2 (&self->invoice_id, sizeof self->invoice_id), g_free,
                        NULL, NULL, invoice_cancelled_cb, g_object_ref (self));
}

static void
refund_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdInvoiceWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 refunded = 0;
  g_autoptr(PdInvoice) invoice = pd_refund_dialog_run_finish (result, &refunded, &error);

  self->refunding = FALSE;
  if (self->service == NULL)
    return;

  if (invoice != NULL)
    {
      g_autofree char *amount = pd_money_format_display (refunded, invoice->currency);
      /* Translators: %s is an amount such as "1 500,00 ₽", then the invoice number */
      g_autofree char *toast = g_strdup_printf (_("Refunded %s of invoice %s"), amount,
                                                invoice->number);

      show_toast (self, toast);
    }
  else if (error != NULL)
    show_error_toast (self, error->message);
  update_cancel (self);
}

static void
refund_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdInvoiceWindow *self = PD_INVOICE_WINDOW (widget);

  if (self->invoice == NULL || self->service == NULL)
    return;

  self->refunding = TRUE;
  update_cancel (self);
  pd_refund_dialog_run_async (GTK_WINDOW (self), self->service, self->invoice, refund_done_cb,
                              g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdInvoiceWindow *self = PD_INVOICE_WINDOW (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->invoice == NULL)
    return;

  /* Translators: %s is the invoice number */
  heading = g_strdup_printf (_("Cancel Invoice %s?"), self->invoice->number);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The customer will no longer be able to pay it. "
                                     "This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Invoice"),
                                    "cancel-invoice", _("C_ancel Invoice"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-invoice",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The window */

/* The details of invoice @invoice_id, kept up to date as payments arrive.
 * The caller makes it transient for its window and presents it. */
GtkWidget *
pd_invoice_window_new (PdService *service,
                       gint64     invoice_id)
{
  PdInvoiceWindow *self;

  g_return_val_if_fail (PD_IS_SERVICE (service), NULL);

  self = g_object_new (PD_TYPE_INVOICE_WINDOW, NULL);
  self->service = g_object_ref (service);
  self->invoice_id = invoice_id;
  g_signal_connect_object (pd_service_get_store (service), "invoice-changed",
                           G_CALLBACK (invoice_changed_cb), self, 0);
  load_details (self);
  return GTK_WIDGET (self);
}

static void
pd_invoice_window_dispose (GObject *object)
{
  PdInvoiceWindow *self = PD_INVOICE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->qr_update_id, g_source_remove);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (pd_service_get_store (self->service), self);
  g_clear_object (&self->service);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_INVOICE_WINDOW);

  G_OBJECT_CLASS (pd_invoice_window_parent_class)->dispose (object);
}

static void
pd_invoice_window_finalize (GObject *object)
{
  PdInvoiceWindow *self = PD_INVOICE_WINDOW (object);

  g_clear_pointer (&self->invoice, pd_invoice_free);
  g_free (self->payment_url);

  G_OBJECT_CLASS (pd_invoice_window_parent_class)->finalize (object);
}

static void
pd_invoice_window_class_init (PdInvoiceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_invoice_window_dispose;
  object_class->finalize = pd_invoice_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-invoice-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, description_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, status_badge);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, test_badge);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, link_group);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, qr_bin);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, qr_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, link_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, payment_group);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, paid_row);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, paid_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, payment_id_row);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, refunded_row);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, refunded_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, payment_id_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, lines_list);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, total_row);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, email_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, phone_row);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, phone_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, history_list);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceWindow, refund_button);

  gtk_widget_class_install_action (widget_class, "invoice.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "invoice.open-link", NULL, open_link_action);
  gtk_widget_class_install_action (widget_class, "invoice.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "invoice.refund", NULL, refund_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
pd_invoice_window_init (PdInvoiceWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_layout_manager (self->qr_bin,
                                 gtk_custom_layout_new (qr_request_mode, qr_measure, qr_allocate));
  g_signal_connect_object (self->qr_picture, "notify::scale-factor",
                           G_CALLBACK (qr_scale_factor_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.copy-link", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.open-link", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.cancel", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoice.refund", FALSE);
}
