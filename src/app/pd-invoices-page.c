/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-invoices-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-invoice-dialog.h"
#include "pd-invoice-item.h"
#include "pd-invoice-list.h"
#include "pd-invoice-window.h"
#include "pd-invoices-page.h"
#include "pd-window.h"

/* Below these widths the page drops its least needed columns, so that
 * number, amount and status stay readable on a phone-sized window. */
#define CUSTOMER_MIN_WIDTH 520
#define CREATED_MIN_WIDTH  720

struct _PdInvoicesPage
{
  AdwBin               parent_instance;

  PdService           *service;
  PdLazyList          *list;
  GtkSingleSelection  *selection;
  int                  status;   /* the filter in use: a PdInvoiceStatus or -1 */
  char                *search;   /* the search in use, never NULL */
  guint                columns_source;

  GtkWidget           *toolbar;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *status_dropdown;
  GtkStack            *stack;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *number_column;
  GtkColumnViewColumn *created_column;
  GtkColumnViewColumn *customer_column;
};

G_DEFINE_FINAL_TYPE (PdInvoicesPage, pd_invoices_page, ADW_TYPE_BIN)

static gboolean
is_filtered (PdInvoicesPage *self)
{
  return self->status >= 0 || self->search[0] != '\0';
}

/* Shows the list, or says why it is empty: a new shop, or a filter that
 * matches nothing. While the ids are being read, what is shown stays. */
static void
update_state (PdInvoicesPage *self)
{
  const char *page;

  if (self->list == NULL)
    return;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    page = "list";
  else if (pd_lazy_list_get_loading (self->list))
    return;
  else if (is_filtered (self))
    page = "no-results";
  else
    page = "empty";

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (self->toolbar, g_strcmp0 (page, "empty") != 0);
}

static void
list_changed_cb (PdInvoicesPage *self)
{
  update_state (self);
}

static void
apply_query (PdInvoicesPage *self)
{
  pd_lazy_list_set_query (self->list, pd_invoice_list_query (self->status, self->search));
}

static void
search_changed_cb (PdInvoicesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *search = g_strstrip (g_strdup (text));

  if (g_strcmp0 (search, self->search) == 0)
    return;
  g_free (self->search);
  self->search = g_steal_pointer (&search);
  if (self->list != NULL)
    apply_query (self);
}

static void
stop_search_cb (PdInvoicesPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
status_selected_cb (PdInvoicesPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  /* The first entry is "All Statuses"; the rest follow PdInvoiceStatus. */
  self->status = selected == 0 || selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected - 1;
  if (self->list != NULL)
    apply_query (self);
}

/* A payment changes a row in place (the list reloads it by itself). Only
 * an invoice the list has not seen yet, or a status filter the change may
 * no longer match, needs the matching ids read again. */
static void
invoice_changed_cb (PdStore        *store,
                    gint64          invoice_id,
                    const char     *number,
                    PdInvoicesPage *self)
{
  if (self->list == NULL)
    return;
  if (self->status >= 0 ||
      g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0 ||
      invoice_id > pd_lazy_list_get_id (self->list, 0))
    pd_lazy_list_refresh (self->list);
}

static void
open_invoice (PdInvoicesPage *self,
              gint64          invoice_id)
{
  GtkWidget *window = pd_invoice_window_new (self->service, invoice_id);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

static void
column_view_activate_cb (PdInvoicesPage *self,
                         guint           position)
{
  if (position < g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    open_invoice (self, pd_lazy_list_get_id (self->list, position));
}

static void
invoice_created_cb (PdInvoiceDialog *dialog,
                    gint64           invoice_id,
                    PdInvoicesPage  *self)
{
  pd_lazy_list_refresh (self->list);
  open_invoice (self, invoice_id);
}

static void
new_invoice_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PdInvoicesPage *self = PD_INVOICES_PAGE (widget);
  GtkWidget *dialog = pd_invoice_dialog_new (self->service);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "invoice-created", G_CALLBACK (invoice_created_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdInvoicesPage *self = PD_INVOICES_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_products_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (PD_IS_WINDOW (root))
    pd_window_show_page (PD_WINDOW (root), "products");
}

/* The status cell: a badge coloured by the status, and a TEST badge. The
 * item may still be loading, or be changed later by a payment, so the
 * cell follows its properties while it is bound. */

static void
status_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *status = gtk_label_new (NULL);
  /* Translators: a short badge on invoices made on a test-mode site */
  GtkWidget *test = gtk_label_new (C_("invoice badge", "TEST"));

  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (status, "pd-status-badge");
  gtk_widget_set_valign (test, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (test, "pd-test-badge");
  gtk_widget_set_tooltip_text (test, _("A test invoice: paying it moves no real money"));
  gtk_widget_set_visible (test, FALSE);

  gtk_box_append (GTK_BOX (box), status);
  gtk_box_append (GTK_BOX (box), test);
  gtk_list_item_set_child (list_item, box);
}

static void
update_status_class (GtkWidget     *label,
                     PdInvoiceItem *item)
{
  const PdInvoice *invoice = pd_invoice_item_get_invoice (item);
  const char *classes[] = { "pd-status-badge", NULL, NULL };

  if (invoice != NULL)
    classes[1] = pd_invoice_status_to_string (invoice->status);
  gtk_widget_set_css_classes (label, classes);
}

static void
item_status_changed_cb (PdInvoiceItem *item,
                        GParamSpec    *pspec,
                        GtkWidget     *label)
{
  update_status_class (label, item);
}

static void
status_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  PdInvoiceItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *status = gtk_widget_get_first_child (box);
  GtkWidget *test = gtk_widget_get_next_sibling (status);
  GPtrArray *bindings = g_ptr_array_new ();

  g_ptr_array_add (bindings, g_object_bind_property (item, "status-text", status, "label",
                                                     G_BINDING_SYNC_CREATE));
  g_ptr_array_add (bindings, g_object_bind_property (item, "loaded", status, "visible",
                                                     G_BINDING_SYNC_CREATE));
  g_ptr_array_add (bindings, g_object_bind_property (item, "test", test, "visible",
                                                     G_BINDING_SYNC_CREATE));
  g_object_set_data_full (G_OBJECT (list_item), "pd-bindings", bindings,
                          (GDestroyNotify) g_ptr_array_unref);

  g_signal_connect_object (item, "notify::status", G_CALLBACK (item_status_changed_cb), status, 0);
  update_status_class (status, item);
}

static void
status_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  PdInvoiceItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *status = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GPtrArray *bindings = g_object_get_data (G_OBJECT (list_item), "pd-bindings");

  for (guint i = 0; bindings != NULL && i < bindings->len; i++)
    g_binding_unbind (bindings->pdata[i]);
  g_object_set_data (G_OBJECT (list_item), "pd-bindings", NULL);
  g_signal_handlers_disconnect_by_func (item, item_status_changed_cb, status);
}

static gboolean
update_columns_cb (gpointer data)
{
  PdInvoicesPage *self = data;
  GtkAdjustment *adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->column_view));
  double width = gtk_adjustment_get_page_size (adjustment);
  gboolean show_customer = width >= CUSTOMER_MIN_WIDTH;

  self->columns_source = 0;
  gtk_column_view_column_set_visible (self->customer_column, show_customer);
  gtk_column_view_column_set_visible (self->created_column, width >= CREATED_MIN_WIDTH);
  /* Some column has to take up the room the customer leaves. */
  gtk_column_view_column_set_expand (self->number_column, !show_customer);
  return G_SOURCE_REMOVE;
}

/* Column visibility follows the width; changing it while the view is
 * being allocated would relayout inside the layout, so it waits a turn. */
static void
page_size_changed_cb (PdInvoicesPage *self)
{
  if (self->columns_source == 0 && self->column_view != NULL)
    self->columns_source = g_idle_add (update_columns_cb, self);
}

void
pd_invoices_page_set_service (PdInvoicesPage *self,
                              PdService      *service)
{
  PdStore *store;

  g_return_if_fail (PD_IS_INVOICES_PAGE (self));
  g_return_if_fail (PD_IS_SERVICE (service));
  g_return_if_fail (self->service == NULL);

  self->service = g_object_ref (service);
  store = pd_service_get_store (service);

  self->list = pd_invoice_list_new (store);
  g_signal_connect_object (self->list, "items-changed", G_CALLBACK (list_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::loading", G_CALLBACK (list_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "invoice-changed", G_CALLBACK (invoice_changed_cb), self, 0);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoices.new", TRUE);
  apply_query (self);
}

static void
pd_invoices_page_dispose (GObject *object)
{
  PdInvoicesPage *self = PD_INVOICES_PAGE (object);

  g_clear_handle_id (&self->columns_source, g_source_remove);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  /* Let AdwBin unparent its child before the template drops it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_INVOICES_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_invoices_page_parent_class)->dispose (object);
}

static void
pd_invoices_page_finalize (GObject *object)
{
  PdInvoicesPage *self = PD_INVOICES_PAGE (object);

  g_free (self->search);

  G_OBJECT_CLASS (pd_invoices_page_parent_class)->finalize (object);
}

static void
pd_invoices_page_class_init (PdInvoicesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_invoices_page_dispose;
  object_class->finalize = pd_invoices_page_finalize;

  /* The cell templates look up the item's properties by type name. */
  g_type_ensure (PD_TYPE_INVOICE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-invoices-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdInvoicesPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, PdInvoicesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdInvoicesPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdInvoicesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PdInvoicesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, PdInvoicesPage, number_column);
  gtk_widget_class_bind_template_child (widget_class, PdInvoicesPage, created_column);
  gtk_widget_class_bind_template_child (widget_class, PdInvoicesPage, customer_column);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_unbind_cb);

  gtk_widget_class_install_action (widget_class, "invoices.new", NULL, new_invoice_action);
  gtk_widget_class_install_action (widget_class, "invoices.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "invoices.show-products", NULL, show_products_action);
}

static void
pd_invoices_page_init (PdInvoicesPage *self)
{
  GtkAdjustment *adjustment;

  self->status = -1;
  self->search = g_strdup ("");

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invoices.new", FALSE);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->column_view));
  g_signal_connect_object (adjustment, "notify::page-size", G_CALLBACK (page_size_changed_cb), self,
                           G_CONNECT_SWAPPED);
}
