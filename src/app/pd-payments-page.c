/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pd-event-item.h"
#include "pd-invoice-list.h"
#include "pd-paymaster.h"
#include "pd-payments-page.h"
#include "pd-window.h"

/* The event log: every request that reached the listener, newest first,
 * with what Paydesk made of it. Rejections and payments that need
 * attention stand out, and each row opens to the request's raw fields. */

struct _PdPaymentsPage
{
  AdwBin           parent_instance;

  PdService       *service;
  PdLazyList      *list;
  GHashTable      *expanded;     /* event ids whose fields are shown */
  GHashTable      *bound_rows;   /* EventRow *, one per row on screen */

  GtkStack        *stack;
  GtkStack        *list_stack;
  GtkListView     *list_view;
  GtkToggleButton *problems_toggle;
  GtkLabel        *notify_url_label;
};

G_DEFINE_FINAL_TYPE (PdPaymentsPage, pd_payments_page, ADW_TYPE_BIN)

/* The widgets of one row, kept on its GtkListItem. */
typedef struct
{
  PdPaymentsPage *page;
  PdEventItem    *item;
  gulong          loaded_id;

  GtkWidget      *kind_label;
  GtkWidget      *details_label;
  GtkWidget      *badge;
  GtkImage       *badge_icon;
  GtkLabel       *badge_label;
  GtkWidget      *reason_label;
  GtkExpander    *expander;
  GtkLabel       *request_label;
  GtkLabel       *fields_label;
} EventRow;

/* How each verdict looks: the badge reuses the invoice status colours;
 * problems also colour their reason. The last entry is the fallback. */
typedef struct
{
  const char *verdict;
  const char *badge_class;
  const char *reason_class;
  const char *icon_name;
} VerdictStyle;

static const VerdictStyle verdict_styles[] = {
  { "accepted", "paid", NULL, "emblem-ok-symbolic" },
  { "duplicate", "cancelled", NULL, "edit-copy-symbolic" },
  { "flagged", "warning", "warning", "dialog-warning-symbolic" },
  { "rejected", "error", "error", "dialog-error-symbolic" },
};

static const char * const verdict_classes[] = { "paid", "cancelled", "warning", "error" };

/* PayMaster never sends the secret key, but a misconfigured proxy or a
 * site copied from another integration might echo one back in a field of
 * its own: such values are not shown. */
static gboolean
field_name_is_secret (const char *name,
                      gsize       length)
{
  g_autofree char *upper = g_ascii_strup (name, length);

  return strstr (upper, "SECRET") != NULL || strstr (upper, "PASSWORD") != NULL;
}

static char *
mask_secret_fields (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);
  GString *masked = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *separator = strstr (lines[i], ": ");

      if (i > 0)
        g_string_append_c (masked, '\n');
      if (separator != NULL && field_name_is_secret (lines[i], separator - lines[i]))
        {
          g_string_append_len (masked, lines[i], separator - lines[i] + 2);
          g_string_append (masked, "••••••••");
        }
      else
        g_string_append (masked, lines[i]);
    }
  return g_string_free (masked, FALSE);
}

static void
set_verdict_class (GtkWidget  *widget,
                   const char *css_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    if (g_strcmp0 (verdict_classes[i], css_class) != 0)
      gtk_widget_remove_css_class (widget, verdict_classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (widget, css_class);
}

static void
update_row (EventRow *row)
{
  const PdEvent *event = pd_event_item_get_event (row->item);
  g_autofree char *time_text = NULL;
  g_autofree char *kind_text = NULL;
  g_autofree char *verdict = NULL;
  g_autofree char *verdict_text = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *number = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *details = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const VerdictStyle *style = &verdict_styles[G_N_ELEMENTS (verdict_styles) - 1];

  if (event == NULL)
    {
      gtk_label_set_label (GTK_LABEL (row->kind_label), "");
      gtk_label_set_label (GTK_LABEL (row->details_label), "");
      gtk_widget_set_visible (row->badge, FALSE);
      gtk_widget_set_visible (row->reason_label, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (row->expander), FALSE);
      return;
    }

  g_object_get (row->item,
                "time-text", &time_text,
                "kind-text", &kind_text,
                "verdict", &verdict,
                "verdict-text", &verdict_text,
                "reason", &reason,
                "remote", &remote,
                "invoice-number", &number,
                "fields-text", &fields,
                NULL);

  g_ptr_array_add (parts, g_strdup (time_text));
  if (number != NULL && *number != '\0')
    g_ptr_array_add (parts, g_strdup_printf (_("Invoice %s"), number));
  if (remote != NULL && *remote != '\0')
    /* Translators: where a request came from, e.g. "from 185.120.40.12" */
    g_ptr_array_add (parts, g_strdup_printf (_("from %s"), remote));
  g_ptr_array_add (parts, NULL);
  details = g_strjoinv (" · ", (char **) parts->pdata);

  for (guint i = 0; i < G_N_ELEMENTS (verdict_styles); i++)
    if (g_strcmp0 (verdict, verdict_styles[i].verdict) == 0)
      style = &verdict_styles[i];

  gtk_label_set_label (GTK_LABEL (row->kind_label), kind_text);
  gtk_label_set_label (GTK_LABEL (row->details_label), details);
  gtk_label_set_label (row->badge_label, verdict_text);
  gtk_image_set_from_icon_name (row->badge_icon, style->icon_name);
  set_verdict_class (row->badge, style->badge_class);
  gtk_widget_set_visible (row->badge, TRUE);

  gtk_label_set_label (GTK_LABEL (row->reason_label), reason ? reason : "");
  gtk_widget_set_visible (row->reason_label, reason != NULL && *reason != '\0');
  set_verdict_class (row->reason_label, style->reason_class);

  if (event->http_status > 0)
    /* Translators: e.g. "POST /paymaster/notify, answered 200" */
    request = g_strdup_printf (_("%s %s, answered %u"), event->method ? event->method : "",
                               event->path ? event->path : "", event->http_status);
  else
    request = g_strdup_printf ("%s %s", event->method ? event->method : "", event->path ? event->path : "");
  gtk_label_set_label (row->request_label, request);

  masked = mask_secret_fields (fields);
  gtk_label_set_label (row->fields_label, *masked != '\0' ? masked : _("The request carried no form fields."));
  gtk_widget_set_visible (GTK_WIDGET (row->expander), TRUE);
}

static void
item_loaded_cb (PdEventItem *item,
                GParamSpec  *pspec,
                EventRow    *row)
{
  update_row (row);
}

static void
expander_expanded_cb (GtkExpander *expander,
                      GParamSpec  *pspec,
                      EventRow    *row)
{
  gint64 id;

  if (row->item == NULL)
    return;

  id = pd_event_item_get_id (row->item);
  if (gtk_expander_get_expanded (expander))
    g_hash_table_add (row->page->expanded, g_memdup2 (&id, sizeof id));
  else
    g_hash_table_remove (row->page->expanded, &id);
}

static GtkWidget *
new_label (const char *name,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, name);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
event_row_free (EventRow *row)
{
  g_clear_signal_handler (&row->loaded_id, row->item);
  g_clear_object (&row->item);
  g_free (row);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              PdPaymentsPage           *self)
{
  EventRow *row = g_new0 (EventRow, 1);
  GtkWidget *box, *header, *titles, *raw;

  row->page = self;

  row->kind_label = new_label ("kind", "heading");
  row->details_label = new_label ("details", "dim-label");
  gtk_widget_add_css_class (row->details_label, "caption");

  titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_box_append (GTK_BOX (titles), row->kind_label);
  gtk_box_append (GTK_BOX (titles), row->details_label);

  row->badge = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_add_css_class (row->badge, "pd-status-badge");
  gtk_widget_set_valign (row->badge, GTK_ALIGN_START);
  row->badge_icon = GTK_IMAGE (gtk_image_new ());
  row->badge_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (row->badge_label), "verdict");
  gtk_box_append (GTK_BOX (row->badge), GTK_WIDGET (row->badge_icon));
  gtk_box_append (GTK_BOX (row->badge), GTK_WIDGET (row->badge_label));

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (header), titles);
  gtk_box_append (GTK_BOX (header), row->badge);

  row->reason_label = new_label ("reason", NULL);
  gtk_label_set_selectable (GTK_LABEL (row->reason_label), TRUE);

  row->request_label = GTK_LABEL (new_label ("request", "dim-label"));
  gtk_widget_add_css_class (GTK_WIDGET (row->request_label), "caption");
  row->fields_label = GTK_LABEL (new_label ("fields", "monospace"));
  gtk_label_set_selectable (row->fields_label, TRUE);

  raw = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (raw, 6);
  gtk_widget_set_margin_start (raw, 18);
  gtk_box_append (GTK_BOX (raw), GTK_WIDGET (row->request_label));
  gtk_box_append (GTK_BOX (raw), GTK_WIDGET (row->fields_label));

  row->expander = GTK_EXPANDER (gtk_expander_new_with_mnemonic (_("_Raw Fields")));
  gtk_widget_set_name (GTK_WIDGET (row->expander), "raw");
  gtk_expander_set_child (row->expander, raw);
  g_signal_connect (row->expander, "notify::expanded", G_CALLBACK (expander_expanded_cb), row);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), row->reason_label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->expander));

  gtk_list_item_set_child (list_item, box);
  g_object_set_data_full (G_OBJECT (list_item), "pd-event-row", row, (GDestroyNotify) event_row_free);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             PdPaymentsPage           *self)
{
  EventRow *row = g_object_get_data (G_OBJECT (list_item), "pd-event-row");
  gint64 id;

  row->item = g_object_ref (gtk_list_item_get_item (list_item));
  id = pd_event_item_get_id (row->item);
  row->loaded_id = g_signal_connect (row->item, "notify::loaded", G_CALLBACK (item_loaded_cb), row);
  g_hash_table_add (self->bound_rows, row);

  /* Rows are recycled and rebuilt when a request arrives: what the
   * merchant opened stays open. */
  gtk_expander_set_expanded (row->expander, g_hash_table_contains (self->expanded, &id));
  update_row (row);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               PdPaymentsPage           *self)
{
  EventRow *row = g_object_get_data (G_OBJECT (list_item), "pd-event-row");

  g_hash_table_remove (self->bound_rows, row);
  g_clear_signal_handler (&row->loaded_id, row->item);
  g_clear_object (&row->item);
}

/* Enter (or a double click) on a row opens or closes its raw fields. */
static void
row_activated_cb (PdPaymentsPage *self,
                  guint           position)
{
  GHashTableIter iter;
  EventRow *row;
  gint64 id;

  if (self->list == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    return;

  id = pd_lazy_list_get_id (self->list, position);
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, (gpointer *) &row, NULL))
    {
      if (row->item != NULL && pd_event_item_get_id (row->item) == id)
        {
          gtk_expander_set_expanded (row->expander, !gtk_expander_get_expanded (row->expander));
          return;
        }
    }
}

static void
update_visible_page (PdPaymentsPage *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->list));

  /* Until the first answer arrives, an empty list means nothing yet. */
  if (n_items == 0 && pd_lazy_list_get_loading (self->list))
    return;

  if (n_items == 0 && !gtk_toggle_button_get_active (self->problems_toggle))
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "events");
  gtk_stack_set_visible_child_name (self->list_stack, n_items == 0 ? "no-problems" : "list");
}

static void
list_items_changed_cb (PdPaymentsPage *self)
{
  update_visible_page (self);
}

static void
problems_toggled_cb (PdPaymentsPage *self)
{
  if (self->list != NULL)
    pd_lazy_list_set_query (self->list,
                            pd_event_list_query (gtk_toggle_button_get_active (self->problems_toggle)));
}

static char *
get_notify_url (PdPaymentsPage *self)
{
  const PdShop *shop = self->service ? pd_service_get_shop (self->service) : NULL;

  /* A shop that only checks by itself may have no public address. */
  if (shop == NULL || shop->public_url == NULL || *shop->public_url == '\0')
    return NULL;
  return pd_shop_endpoint_url (shop, PD_PATH_NOTIFY);
}

static void
update_notify_url (PdPaymentsPage *self)
{
  g_autofree char *url = get_notify_url (self);

  gtk_label_set_label (self->notify_url_label, url ? url : "");
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->notify_url_label)), url != NULL);
}

static void
copy_url_cb (PdPaymentsPage *self)
{
  g_autofree char *url = get_notify_url (self);
  GtkWidget *window;

  if (url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
  window = gtk_widget_get_ancestor (GTK_WIDGET (self), PD_TYPE_WINDOW);
  if (window != NULL)
    pd_window_show_toast (PD_WINDOW (window), _("Address copied"));
}

void
pd_payments_page_set_service (PdPaymentsPage *self,
                              PdService      *service)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (PD_IS_PAYMENTS_PAGE (self));
  g_return_if_fail (PD_IS_SERVICE (service));

  if (!g_set_object (&self->service, service))
    return;

  g_clear_object (&self->list);
  self->list = pd_event_list_new (pd_service_get_store (service));
  g_signal_connect_object (self->list, "items-changed", G_CALLBACK (list_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::loading", G_CALLBACK (list_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  pd_lazy_list_set_query (self->list,
                          pd_event_list_query (gtk_toggle_button_get_active (self->problems_toggle)));

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  g_signal_connect_object (service, "notify::set-up", G_CALLBACK (update_notify_url), self,
                           G_CONNECT_SWAPPED);
  update_notify_url (self);
}

static void
pd_payments_page_dispose (GObject *object)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (object);

  /* Let AdwBin unparent its child before the template drops it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PAYMENTS_PAGE);
  g_clear_object (&self->list);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_payments_page_parent_class)->dispose (object);
}

static void
pd_payments_page_finalize (GObject *object)
{
  PdPaymentsPage *self = PD_PAYMENTS_PAGE (object);

  g_clear_pointer (&self->expanded, g_hash_table_unref);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);

  G_OBJECT_CLASS (pd_payments_page_parent_class)->finalize (object);
}

static void
pd_payments_page_class_init (PdPaymentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_payments_page_dispose;
  object_class->finalize = pd_payments_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-payments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, problems_toggle);
  gtk_widget_class_bind_template_child (widget_class, PdPaymentsPage, notify_url_label);
  gtk_widget_class_bind_template_callback (widget_class, problems_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_url_cb);
}

static void
pd_payments_page_init (PdPaymentsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->expanded = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->bound_rows = g_hash_table_new (NULL, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
}
