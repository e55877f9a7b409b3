/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-invoice-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-invoice-dialog.h"
#include "pd-invoice-issuer.h"
#include "pd-money.h"
#include "pd-receipt.h"
#include "pd-window.h"

#define MAX_QUANTITY 1000000

/* A product as the dialog offers it: a list item for the drop-downs. */

#define PD_TYPE_PRODUCT_CHOICE (pd_product_choice_get_type ())

G_DECLARE_FINAL_TYPE (PdProductChoice, pd_product_choice, PD, PRODUCT_CHOICE, GObject)

struct _PdProductChoice
{
  GObject  parent_instance;

  gint64   id;
  gint64   price;
  char    *name;
  char    *price_text;
};

G_DEFINE_FINAL_TYPE (PdProductChoice, pd_product_choice, G_TYPE_OBJECT)

enum {
  CHOICE_PROP_0,
  CHOICE_PROP_NAME,
  CHOICE_N_PROPS
};

static GParamSpec *choice_properties[CHOICE_N_PROPS];

static PdProductChoice *
pd_product_choice_new (const PdProduct *product)
{
  PdProductChoice *self = g_object_new (PD_TYPE_PRODUCT_CHOICE, NULL);

  self->id = product->id;
  self->price = product->price;
  self->name = g_strdup (product->name);
  self->price_text = pd_money_format_display (product->price, "RUB");
  return self;
}

static void
pd_product_choice_finalize (GObject *object)
{
  PdProductChoice *self = PD_PRODUCT_CHOICE (object);

  g_free (self->name);
  g_free (self->price_text);

  G_OBJECT_CLASS (pd_product_choice_parent_class)->finalize (object);
}

static void
pd_product_choice_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PdProductChoice *self = PD_PRODUCT_CHOICE (object);

  switch (prop_id)
    {
    case CHOICE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_product_choice_class_init (PdProductChoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_product_choice_finalize;
  object_class->get_property = pd_product_choice_get_property;

  choice_properties[CHOICE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, CHOICE_N_PROPS, choice_properties);
}

static void
pd_product_choice_init (PdProductChoice *self)
{
}

/* The dialog. */

typedef struct
{
  GtkWidget     *row;
  GtkDropDown   *product;
  GtkSpinButton *quantity;
  GtkWidget     *remove_button;
} Line;

struct _PdInvoiceDialog
{
  AdwWindow      parent_instance;

  PdService     *service;
  GListStore    *products;   /* PdProductChoice, not archived */
  GPtrArray     *lines;      /* Line */
  GCancellable  *cancellable;
  gboolean       busy;

  GtkStack      *stack;
  GtkWidget     *form;
  GtkWidget     *create_button;
  GtkWidget     *cancel_button;
  GtkWidget     *error_box;
  GtkLabel      *error_label;
  GtkListBox    *lines_box;
  AdwEntryRow   *email_row;
  GtkWidget     *email_error;
  AdwEntryRow   *phone_row;
  GtkWidget     *phone_error;
  GtkLabel      *total_label;
  AdwStatusPage *no_products_page;
  GtkWidget     *products_button;
};

G_DEFINE_FINAL_TYPE (PdInvoiceDialog, pd_invoice_dialog, ADW_TYPE_WINDOW)

enum {
  INVOICE_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
line_free (Line *line)
{
  g_clear_object (&line->row);
  g_free (line);
}

/* The text of @row without the spaces around it. */
static char *
get_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Empty is fine (both are optional); otherwise what a receipt can be sent
 * to, by the rules the catalogue will check. */
static gboolean
contact_is_valid (const char *text,
                  char     *(*normalize) (const char *, GError **))
{
  g_autofree char *normalized = NULL;

  if (*text == '\0')
    return TRUE;
  normalized = normalize (text, NULL);
  return normalized != NULL;
}

static void
show_contact_error (AdwEntryRow *row,
                    GtkWidget   *error_label,
                    gboolean     valid)
{
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_visible (error_label, !valid);
}

static PdProductChoice *
line_get_product (Line *line)
{
  return gtk_drop_down_get_selected_item (line->product);
}

/* Sums the lines in kopecks; FALSE when the total is too large to pay. */
static gboolean
compute_total (PdInvoiceDialog *self,
               gint64          *total)
{
  *total = 0;
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = self->lines->pdata[i];
      PdProductChoice *product = line_get_product (line);
      gint64 line_total;

      if (product == NULL)
        continue;
      if (!pd_money_multiply (product->price, gtk_spin_button_get_value_as_int (line->quantity),
                              &line_total) ||
          *total > G_MAXINT64 / 100 - line_total)
        return FALSE;
      *total += line_total;
    }
  return TRUE;
}

static gboolean
lines_are_complete (PdInvoiceDialog *self)
{
  if (self->lines->len == 0)
    return FALSE;
  for (guint i = 0; i < self->lines->len; i++)
    if (line_get_product (self->lines->pdata[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* Shows the total and what is wrong, and allows Create only when the
 * invoice can be made as it stands. */
static void
update_validity (PdInvoiceDialog *self)
{
  g_autofree char *email = get_text (self->email_row);
  g_autofree char *phone = get_text (self->phone_row);
  gboolean email_ok = contact_is_valid (email, pd_receipt_normalize_email);
  gboolean phone_ok = contact_is_valid (phone, pd_receipt_normalize_phone);
  gint64 total;
  gboolean total_ok = compute_total (self, &total);

  if (total_ok)
    {
      g_autofree char *text = pd_money_format_display (total, "RUB");

      gtk_label_set_label (self->total_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->total_label), "error");
    }
  else
    {
      gtk_label_set_label (self->total_label, _("Too large: lower a quantity"));
      gtk_widget_add_css_class (GTK_WIDGET (self->total_label), "error");
    }

  show_contact_error (self->email_row, self->email_error, email_ok);
  show_contact_error (self->phone_row, self->phone_error, phone_ok);

  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = self->lines->pdata[i];

      gtk_widget_set_sensitive (line->remove_button, self->lines->len > 1);
    }

  gtk_widget_set_sensitive (self->create_button,
                            !self->busy &&
                            g_list_model_get_n_items (G_LIST_MODEL (self->products)) > 0 &&
                            lines_are_complete (self) &&
                            email_ok && phone_ok && total_ok);
}

static void
contact_changed_cb (PdInvoiceDialog *self)
{
  gtk_widget_set_visible (self->error_box, FALSE);
  update_validity (self);
}

static void
line_changed_cb (PdInvoiceDialog *self)
{
  gtk_widget_set_visible (self->error_box, FALSE);
  update_validity (self);
}

static void
remove_line_cb (GtkButton       *button,
                PdInvoiceDialog *self)
{
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = self->lines->pdata[i];

      if (line->remove_button == GTK_WIDGET (button))
        {
          Line *neighbour;

          gtk_list_box_remove (self->lines_box, line->row);
          g_ptr_array_remove_index (self->lines, i);
          /* Keep the keyboard focus in the list rather than losing it. */
          if (self->lines->len > 0)
            {
              neighbour = self->lines->pdata[MIN (i, self->lines->len - 1)];
              gtk_widget_grab_focus (GTK_WIDGET (neighbour->product));
            }
          break;
        }
    }
  update_validity (self);
}

/* The drop-down's button shows the product's name, which may have to
 * shrink on a narrow window; its list also shows each price. */
static void
product_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  gboolean with_price = GPOINTER_TO_INT (user_data);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (box), name);

  if (with_price)
    {
      GtkWidget *price = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (price), 1);
      gtk_widget_add_css_class (price, "dim-label");
      gtk_widget_add_css_class (price, "numeric");
      gtk_box_append (GTK_BOX (box), price);
    }
  gtk_list_item_set_child (list_item, box);
}

static void
product_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  PdProductChoice *product = gtk_list_item_get_item (list_item);
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *price = gtk_widget_get_next_sibling (name);

  gtk_label_set_label (GTK_LABEL (name), product->name);
  if (price != NULL)
    gtk_label_set_label (GTK_LABEL (price), product->price_text);
}

static GtkListItemFactory *
product_factory_new (gboolean with_price)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (product_setup_cb), GINT_TO_POINTER (with_price));
  g_signal_connect (factory, "bind", G_CALLBACK (product_bind_cb), NULL);
  return factory;
}

static Line *
add_line (PdInvoiceDialog *self)
{
  Line *line = g_new0 (Line, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autoptr(GtkListItemFactory) factory = product_factory_new (FALSE);
  g_autoptr(GtkListItemFactory) list_factory = product_factory_new (TRUE);
  GtkExpression *name = gtk_property_expression_new (PD_TYPE_PRODUCT_CHOICE, NULL, "name");

  line->product = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->products)), name));
  gtk_drop_down_set_factory (line->product, factory);
  gtk_drop_down_set_list_factory (line->product, list_factory);
  gtk_drop_down_set_enable_search (line->product, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (line->product), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (line->product), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (line->product), _("Product"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (line->product),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Product"), -1);
  g_signal_connect_object (line->product, "notify::selected", G_CALLBACK (line_changed_cb), self,
                           G_CONNECT_SWAPPED);

  line->quantity = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, MAX_QUANTITY, 1));
  gtk_spin_button_set_numeric (line->quantity, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (line->quantity), 3);
  gtk_widget_set_valign (GTK_WIDGET (line->quantity), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (line->quantity), _("Quantity"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (line->quantity),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Quantity"), -1);
  g_signal_connect_object (line->quantity, "value-changed", G_CALLBACK (line_changed_cb), self,
                           G_CONNECT_SWAPPED);

  line->remove_button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_name (line->remove_button, "remove_line_button");
  gtk_widget_set_valign (line->remove_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (line->remove_button, "flat");
  gtk_widget_set_tooltip_text (line->remove_button, _("Remove this line"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (line->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this line"), -1);
  g_signal_connect_object (line->remove_button, "clicked", G_CALLBACK (remove_line_cb), self, 0);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (line->product));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (line->quantity));
  gtk_box_append (GTK_BOX (box), line->remove_button);

  line->row = g_object_ref_sink (gtk_list_box_row_new ());
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (line->row), FALSE);
  gtk_widget_set_focusable (line->row, FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (line->row), box);
  gtk_list_box_append (self->lines_box, line->row);

  g_ptr_array_add (self->lines, line);
  update_validity (self);
  return line;
}

static void
add_line_cb (PdInvoiceDialog *self)
{
  Line *line = add_line (self);

  gtk_widget_grab_focus (GTK_WIDGET (line->product));
}

static gpointer
list_products_in_thread (PdDatabase  *db,
                         gpointer     data,
                         GError     **error)
{
  return pd_catalog_search_products (db, NULL, FALSE, error);
}

static void
products_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdInvoiceDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = pd_store_read_finish (PD_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (products == NULL)
    {
      adw_status_page_set_title (self->no_products_page, _("Cannot Read the Products"));
      adw_status_page_set_description (self->no_products_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "no-products");
      return;
    }

  for (guint i = 0; i < products->len; i++)
    {
      g_autoptr(PdProductChoice) choice = pd_product_choice_new (products->pdata[i]);

      g_list_store_append (self->products, choice);
    }

  if (products->len == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "no-products");
      gtk_widget_grab_focus (self->products_button);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_grab_focus (GTK_WIDGET (add_line (self)->product));
}

typedef struct
{
  PdInvoiceDialog *dialog;
  GArray          *lines;   /* PdInvoiceLine */
  char            *email;
  char            *phone;
} CreateRequest;

static void
create_request_free (CreateRequest *request)
{
  g_object_unref (request->dialog);
  g_array_unref (request->lines);
  g_free (request->email);
  g_free (request->phone);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CreateRequest, create_request_free)

static void
set_busy (PdInvoiceDialog *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->form, !busy);
  gtk_widget_set_sensitive (self->cancel_button, !busy);
  update_validity (self);
}

static void
show_error (PdInvoiceDialog *self,
            const GError    *error)
{
  gtk_label_set_label (self->error_label, error->message);
  gtk_widget_set_visible (self->error_box, TRUE);
}

/* A REST v2 invoice PayMaster refused was cancelled; the error says what
 * PayMaster asked for. */
static void
invoice_created_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdInvoiceDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invoices = pd_invoice_issuer_issue_finish (result, &error);

  set_busy (self, FALSE);

  if (invoices == NULL)
    {
      show_error (self, error);
      return;
    }

  g_signal_emit (self, signals[INVOICE_CREATED], 0, ((PdInvoice *) invoices->pdata[0])->id);
  gtk_window_close (GTK_WINDOW (self));
}

/* The service reads the API credential after start-up or new settings:
 * the invoice waits for it, since a REST v2 invoice is made with it. */
static void
api_ready_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CreateRequest) request = user_data;
  PdInvoiceDialog *self = request->dialog;
  g_autoptr(PdPaymasterApi) api = pd_service_dup_api_finish (PD_SERVICE (object), result, NULL);
  const PdShop *shop = pd_service_get_shop (self->service);
  PdInvoiceDraft draft = {
    (const PdInvoiceLine *) (gpointer) request->lines->data,
    request->lines->len,
    request->email,
    0,
    request->phone,
  };

  if (shop == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (PD_DATABASE_ERROR, PD_DATABASE_ERROR_NOT_SET_UP,
                                                     _("Paydesk is not set up yet: run the setup wizard."));

      set_busy (self, FALSE);
      show_error (self, error);
      return;
    }
  pd_invoice_issuer_issue_async (pd_service_get_store (self->service), shop, api, &draft, 1,
                                 pd_shop_mode_is_test (shop->mode), NULL, invoice_created_cb,
                                 g_object_ref (self));
}

static void
create_clicked_cb (PdInvoiceDialog *self)
{
  CreateRequest *request;

  /* A quantity being typed counts, even before the field is left. */
  for (guint i = 0; i < self->lines->len; i++)
    gtk_spin_button_update (((Line *) self->lines->pdata[i])->quantity);
  update_validity (self);
  if (!gtk_widget_get_sensitive (self->create_button))
    return;

  request = g_new0 (CreateRequest, 1);
  request->dialog = g_object_ref (self);
  request->lines = g_array_sized_new (FALSE, FALSE, sizeof (PdInvoiceLine), self->lines->len);
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = self->lines->pdata[i];
      PdInvoiceLine invoice_line = {
        line_get_product (line)->id,
        gtk_spin_button_get_value_as_int (line->quantity),
      };

      g_array_append_val (request->lines, invoice_line);
    }
  request->email = get_text (self->email_row);
  request->phone = get_text (self->phone_row);

  gtk_widget_set_visible (self->error_box, FALSE);
  set_busy (self, TRUE);
  pd_service_dup_api_async (self->service, NULL, api_ready_cb, request);
}

/* The invoice is being written: the dialog stays until it is known
 * whether that worked, so that the result is not lost. */
static gboolean
close_request_cb (PdInvoiceDialog *self)
{
  return self->busy;
}

static void
show_products_cb (PdInvoiceDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (PD_IS_WINDOW (parent))
    pd_window_show_page (PD_WINDOW (parent), "products");
  gtk_window_close (GTK_WINDOW (self));
}

GtkWidget *
pd_invoice_dialog_new (PdService *service)
{
  PdInvoiceDialog *self;

  g_return_val_if_fail (PD_IS_SERVICE (service), NULL);

  self = g_object_new (PD_TYPE_INVOICE_DIALOG, NULL);
  self->service = g_object_ref (service);
  pd_store_read_async (pd_service_get_store (service), list_products_in_thread, NULL, NULL,
                       (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                       products_listed_cb, g_object_ref (self));
  return GTK_WIDGET (self);
}

static void
pd_invoice_dialog_dispose (GObject *object)
{
  PdInvoiceDialog *self = PD_INVOICE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_INVOICE_DIALOG);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_object (&self->products);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_invoice_dialog_parent_class)->dispose (object);
}

static void
pd_invoice_dialog_class_init (PdInvoiceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_invoice_dialog_dispose;

  /**
   * PdInvoiceDialog::invoice-created:
   * @self: the dialog
   * @invoice_id: the new invoice's id
   *
   * An invoice was created; the dialog closes right after.
   */
  signals[INVOICE_CREATED] =
    g_signal_new ("invoice-created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-invoice-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, form);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, error_box);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, lines_box);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, email_error);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, phone_error);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, total_label);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, no_products_page);
  gtk_widget_class_bind_template_child (widget_class, PdInvoiceDialog, products_button);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_request_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_line_cb);
  gtk_widget_class_bind_template_callback (widget_class, contact_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_products_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_invoice_dialog_init (PdInvoiceDialog *self)
{
  self->products = g_list_store_new (PD_TYPE_PRODUCT_CHOICE);
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
