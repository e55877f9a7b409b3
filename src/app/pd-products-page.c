/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-money.h"
#include "pd-product-dialog.h"
#include "pd-products-page.h"
#include "pd-receipt-group.h"

/* One row of the list: a product as it was read, with its texts ready.
 * A shop has few products, so the page reads them all again after every
 * change instead of updating rows in place. */
#define PD_TYPE_PRODUCTS_PAGE_ITEM (pd_products_page_item_get_type ())

G_DECLARE_FINAL_TYPE (PdProductsPageItem, pd_products_page_item, PD, PRODUCTS_PAGE_ITEM, GObject)

struct _PdProductsPageItem
{
  GObject    parent_instance;

  PdProduct *product;
  char      *price_text;
};

G_DEFINE_FINAL_TYPE (PdProductsPageItem, pd_products_page_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_ID,
  ITEM_PROP_NAME,
  ITEM_PROP_PRICE_TEXT,
  ITEM_PROP_VAT_TEXT,
  ITEM_PROP_ARCHIVED,
  ITEM_PROP_ARCHIVED_TEXT,
  ITEM_PROP_ACTIONS_TEXT,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

static PdProductsPageItem *
pd_products_page_item_new (PdProduct *product)
{
  PdProductsPageItem *self = g_object_new (PD_TYPE_PRODUCTS_PAGE_ITEM, NULL);

  self->product = product;
  self->price_text = pd_money_format_display (product->price, "RUB");
  return self;
}

static void
pd_products_page_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PdProductsPageItem *self = PD_PRODUCTS_PAGE_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ID:
      g_value_set_int64 (value, self->product->id);
      break;

    case ITEM_PROP_NAME:
      g_value_set_string (value, self->product->name);
      break;

    case ITEM_PROP_PRICE_TEXT:
      g_value_set_string (value, self->price_text);
      break;

    case ITEM_PROP_VAT_TEXT:
      g_value_set_string (value, pd_receipt_describe_vat (self->product->vat));
      break;

    case ITEM_PROP_ARCHIVED:
      g_value_set_boolean (value, self->product->archived);
      break;

    case ITEM_PROP_ARCHIVED_TEXT:
      g_value_set_string (value, self->product->archived ? _("Archived") : NULL);
      break;

    case ITEM_PROP_ACTIONS_TEXT:
      g_value_set_string (value, self->product->archived ? _("Edit or Restore") : _("Edit or Archive"));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_products_page_item_finalize (GObject *object)
{
  PdProductsPageItem *self = PD_PRODUCTS_PAGE_ITEM (object);

  g_clear_pointer (&self->product, pd_product_free);
  g_free (self->price_text);

  G_OBJECT_CLASS (pd_products_page_item_parent_class)->finalize (object);
}

static void
pd_products_page_item_class_init (PdProductsPageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = pd_products_page_item_get_property;
  object_class->finalize = pd_products_page_item_finalize;

  item_properties[ITEM_PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_PRICE_TEXT] =
    g_param_spec_string ("price-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_VAT_TEXT] =
    g_param_spec_string ("vat-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ARCHIVED] =
    g_param_spec_boolean ("archived", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ARCHIVED_TEXT] =
    g_param_spec_string ("archived-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ACTIONS_TEXT] =
    g_param_spec_string ("actions-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
pd_products_page_item_init (PdProductsPageItem *self)
{
}

struct _PdProductsPage
{
  AdwBin           parent_instance;

  PdService       *service;
  GCancellable    *reload_cancellable;

  GListStore      *products;
  GtkWidget       *toolbar;
  GtkSearchEntry  *search_entry;
  GtkToggleButton *archived_button;
  GtkStack        *stack;
  AdwStatusPage   *no_results_page;
};

G_DEFINE_FINAL_TYPE (PdProductsPage, pd_products_page, ADW_TYPE_BIN)

typedef struct
{
  char     *search;
  gboolean  show_archived;
} Query;

typedef struct
{
  GPtrArray *products;
  gboolean   catalog_empty;
} QueryResult;

static void
query_free (Query *query)
{
  g_free (query->search);
  g_free (query);
}

static void
query_result_free (QueryResult *result)
{
  g_clear_pointer (&result->products, g_ptr_array_unref);
  g_free (result);
}

/* Runs on a reader thread. Filtering happens in SQL, where case folding
 * knows Cyrillic; when nothing matches, a second look tells "no products
 * at all" from "none that match". */
static gpointer
query_products (PdDatabase  *db,
                gpointer     data,
                GError     **error)
{
  Query *query = data;
  g_autoptr(GPtrArray) products = pd_catalog_search_products (db, query->search,
                                                              query->show_archived, error);
  QueryResult *result;

  if (products == NULL)
    return NULL;

  result = g_new0 (QueryResult, 1);
  if (products->len == 0)
    {
      g_autoptr(GPtrArray) all = pd_catalog_search_products (db, NULL, TRUE, error);

      if (all == NULL)
        {
          query_result_free (result);
          return NULL;
        }
      result->catalog_empty = all->len == 0;
    }
  result->products = g_steal_pointer (&products);
  return result;
}

static void
show_toast (PdProductsPage *self,
            AdwToast       *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
show_error_toast (PdProductsPage *self,
                  const GError   *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  show_toast (self, toast);
}

static char *
get_search_text (PdProductsPage *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
}

static void
show_state (PdProductsPage *self,
            guint           n_products,
            gboolean        catalog_empty)
{
  g_autofree char *search = get_search_text (self);

  /* A first-time user sees one thing to do: the status page's button. */
  gtk_widget_set_visible (self->toolbar, !catalog_empty);
  gtk_search_entry_set_key_capture_widget (self->search_entry, catalog_empty ? NULL : GTK_WIDGET (self));

  if (n_products > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (catalog_empty)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (*search != '\0')
    {
      adw_status_page_set_description (self->no_results_page,
                                       gtk_toggle_button_get_active (self->archived_button)
                                       ? _("Try a different search.")
                                       : _("Try a different search, or show archived products too."));
      gtk_stack_set_visible_child_name (self->stack, "no-results");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "all-archived");
}

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  QueryResult *query_result = pd_store_read_finish (PD_STORE (object), result, &error);
  PdProductsPage *self;
  g_autoptr(GPtrArray) items = NULL;
  GPtrArray *products;

  /* A newer query replaced this one, or the page is gone: either way
   * @user_data may no longer be looked at. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = PD_PRODUCTS_PAGE (user_data);
  g_clear_object (&self->reload_cancellable);

  if (query_result == NULL)
    {
      show_error_toast (self, error);
      return;
    }

  /* The items take over the products. */
  products = query_result->products;
  g_ptr_array_set_free_func (products, NULL);
  items = g_ptr_array_new_full (products->len, g_object_unref);
  for (guint i = 0; i < products->len; i++)
    g_ptr_array_add (items, pd_products_page_item_new (products->pdata[i]));

  g_list_store_splice (self->products, 0, g_list_model_get_n_items (G_LIST_MODEL (self->products)),
                       items->pdata, items->len);
  show_state (self, items->len, query_result->catalog_empty);
  query_result_free (query_result);
}

static void
pd_products_page_reload (PdProductsPage *self)
{
  g_autofree char *search = NULL;
  Query *query;

  if (self->service == NULL)
    return;

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();

  search = get_search_text (self);
  query = g_new0 (Query, 1);
  query->search = *search != '\0' ? g_steal_pointer (&search) : NULL;
  query->show_archived = gtk_toggle_button_get_active (self->archived_button);

  pd_store_read_async (pd_service_get_store (self->service),
                       query_products, query, (GDestroyNotify) query_free,
                       (GDestroyNotify) query_result_free,
                       self->reload_cancellable, reload_cb, self);
}

static void
search_changed_cb (PdProductsPage *self)
{
  pd_products_page_reload (self);
}

static void
stop_search_cb (PdProductsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
archived_toggled_cb (PdProductsPage *self)
{
  pd_products_page_reload (self);
}

static void
product_saved_cb (PdProductsPage *self,
                  gint64          id)
{
  pd_products_page_reload (self);
}

static void
open_dialog (PdProductsPage  *self,
             const PdProduct *product)
{
  GtkWidget *dialog;
  GtkRoot *root;

  if (self->service == NULL)
    return;

  dialog = pd_product_dialog_new (self->service, product);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (product_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static PdProductsPageItem *
find_item (PdProductsPage *self,
           gint64          id)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->products));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(PdProductsPageItem) item = g_list_model_get_item (G_LIST_MODEL (self->products), i);

      if (item->product->id == id)
        return item;
    }
  return NULL;
}

static void
column_view_activate_cb (PdProductsPage *self,
                         guint           position)
{
  g_autoptr(PdProductsPageItem) item = g_list_model_get_item (G_LIST_MODEL (self->products), position);

  if (item != NULL)
    open_dialog (self, item->product);
}

typedef struct
{
  gint64   id;
  gboolean archived;
} ArchiveOp;

/* Runs on the writer thread; reads the product afresh so that archiving
 * changes nothing else about it. */
static gpointer
set_archived_locked (PdDatabase  *db,
                     gpointer     data,
                     GError     **error)
{
  ArchiveOp *op = data;
  g_autoptr(PdProduct) product = pd_catalog_get_product (db, op->id, error);

  if (product == NULL)
    return NULL;
  product->archived = op->archived;
  if (!pd_catalog_update_product (db, product, error))
    return NULL;
  return g_steal_pointer (&product);
}

static void set_archived (PdProductsPage *self,
                          gint64          id,
                          gboolean        archived);

static void
undo_archive_cb (PdProductsPage *self,
                 AdwToast       *toast)
{
  gint64 *id = g_object_get_data (G_OBJECT (toast), "product-id");

  set_archived (self, *id, FALSE);
}

static void
set_archived_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdProductsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdProduct) product = pd_store_write_finish (PD_STORE (object), result, &error);
  AdwToast *toast;

  if (self->service == NULL)
    return;

  if (product == NULL)
    {
      show_error_toast (self, error);
      return;
    }

  pd_products_page_reload (self);
  if (!product->archived)
    return;

  /* Archiving is undone with one click rather than confirmed beforehand. */
  toast = adw_toast_new (_("Product archived"));
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "product-id",
                          g_memdup2 (&product->id, sizeof product->id), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_archive_cb), self, G_CONNECT_SWAPPED);
  show_toast (self, toast);
}

static void
set_archived (PdProductsPage *self,
              gint64          id,
              gboolean        archived)
{
  ArchiveOp *op;

  if (self->service == NULL)
    return;

  op = g_new0 (ArchiveOp, 1);
  op->id = id;
  op->archived = archived;
  pd_store_write_async (pd_service_get_store (self->service),
                        set_archived_locked, op, g_free, (GDestroyNotify) pd_product_free,
                        NULL, set_archived_cb, g_object_ref (self));
}

static void
add_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_dialog (PD_PRODUCTS_PAGE (widget), NULL);
}

static void
edit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdProductsPage *self = PD_PRODUCTS_PAGE (widget);
  PdProductsPageItem *item = find_item (self, g_variant_get_int64 (parameter));

  if (item != NULL)
    open_dialog (self, item->product);
}

static void
archive_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  set_archived (PD_PRODUCTS_PAGE (widget), g_variant_get_int64 (parameter),
                g_str_equal (action_name, "products.archive"));
}

/* Ctrl+N belongs to whichever page is on screen. */
static gboolean
add_shortcut_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  return gtk_widget_activate_action (widget, "products.add", NULL);
}

static char **
cell_classes_cb (GtkListItem *list_item,
                 gboolean     archived)
{
  const char *classes[] = { archived ? "dim-label" : NULL, NULL };

  return g_strdupv ((char **) classes);
}

static char **
price_classes_cb (GtkListItem *list_item,
                  gboolean     archived)
{
  const char *classes[] = { "numeric", archived ? "dim-label" : NULL, NULL };

  return g_strdupv ((char **) classes);
}

static GMenuModel *
product_menu_cb (GtkListItem *list_item,
                 gint64       id,
                 gboolean     archived)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) edit = g_menu_item_new (_("_Edit"), NULL);
  g_autoptr(GMenuItem) archive = g_menu_item_new (archived ? _("_Restore") : _("_Archive"), NULL);

  g_menu_item_set_action_and_target_value (edit, "products.edit", g_variant_new_int64 (id));
  g_menu_item_set_action_and_target_value (archive, archived ? "products.restore" : "products.archive",
                                           g_variant_new_int64 (id));
  g_menu_append_item (menu, edit);
  g_menu_append_item (menu, archive);
  return G_MENU_MODEL (menu);
}

static void
map_cb (PdProductsPage *self)
{
  /* Products also come from elsewhere (the setup check, paydesk-cli), and
   * there are few of them: read them again whenever the page is shown. */
  pd_products_page_reload (self);
}

void
pd_products_page_set_service (PdProductsPage *self,
                              PdService      *service)
{
  g_return_if_fail (PD_IS_PRODUCTS_PAGE (self));
  g_return_if_fail (!service || PD_IS_SERVICE (service));

  if (g_set_object (&self->service, service))
    pd_products_page_reload (self);
}

static void
pd_products_page_dispose (GObject *object)
{
  PdProductsPage *self = PD_PRODUCTS_PAGE (object);

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  /* Let AdwBin unparent its child before the template drops it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PRODUCTS_PAGE);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_products_page_parent_class)->dispose (object);
}

static void
pd_products_page_class_init (PdProductsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_products_page_dispose;

  g_type_ensure (PD_TYPE_PRODUCTS_PAGE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-products-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdProductsPage, products);
  gtk_widget_class_bind_template_child (widget_class, PdProductsPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, PdProductsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdProductsPage, archived_button);
  gtk_widget_class_bind_template_child (widget_class, PdProductsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PdProductsPage, no_results_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, archived_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, cell_classes_cb);
  gtk_widget_class_bind_template_callback (widget_class, price_classes_cb);
  gtk_widget_class_bind_template_callback (widget_class, product_menu_cb);

  gtk_widget_class_install_action (widget_class, "products.add", NULL, add_action_cb);
  gtk_widget_class_install_action (widget_class, "products.edit", "x", edit_action_cb);
  gtk_widget_class_install_action (widget_class, "products.archive", "x", archive_action_cb);
  gtk_widget_class_install_action (widget_class, "products.restore", "x", archive_action_cb);
}

static void
pd_products_page_init (PdProductsPage *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_n, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (add_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}
