/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-receipt.h"
#include "pd-receipt-group.h"

/* The three choices of a 54-FZ receipt line, over pd-receipt's tables:
 * VAT rate, payment subject, payment method. The product dialog shows a
 * product's, Preferences the defaults of new products. */
struct _PdReceiptGroup
{
  AdwPreferencesGroup  parent_instance;

  GCancellable        *cancellable;
  gboolean             updating;   /* the rows are set from code */
  gboolean             edited;     /* the merchant picked something */
  gboolean             pending;    /* the defaults are being read */

  AdwComboRow         *vat_row;
  AdwComboRow         *subject_row;
  AdwComboRow         *method_row;
};

G_DEFINE_FINAL_TYPE (PdReceiptGroup, pd_receipt_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* How a person reads a VAT tag, or the tag itself when this version does
 * not know it. */
const char *
pd_receipt_describe_vat (const char *vat)
{
  const PdVatRate *rate = pd_vat_rate_lookup (vat);

  return rate ? pd_vat_rate_get_label (rate) : vat;
}

static void
selected_cb (PdReceiptGroup *self)
{
  if (self->updating)
    return;
  self->edited = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Shows @vat, @subject and @method; a value the tables lack shows as no
 * choice, which the catalogue refuses to store. */
void
pd_receipt_group_set (PdReceiptGroup *self,
                      const char     *vat,
                      guint           subject,
                      guint           method)
{
  const PdVatRate *rate = pd_vat_rate_lookup (vat);
  const PdReceiptSubject *subject_row = pd_receipt_subject_lookup (subject);
  const PdReceiptMethod *method_row = pd_receipt_method_lookup (method);
  guint n;

  g_return_if_fail (PD_IS_RECEIPT_GROUP (self));

  self->updating = TRUE;
  self->pending = FALSE;
  adw_combo_row_set_selected (self->vat_row,
                              rate ? (guint) (rate - pd_vat_rate_get_all (&n))
                                   : GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (self->subject_row,
                              subject_row ? (guint) (subject_row - pd_receipt_subject_get_all (&n))
                                          : GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (self->method_row,
                              method_row ? (guint) (method_row - pd_receipt_method_get_all (&n))
                                         : GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;
}

static gpointer
read_defaults_in_thread (PdDatabase  *db,
                         gpointer     data,
                         GError     **error)
{
  g_autofree PdReceiptDefaults *defaults = g_new0 (PdReceiptDefaults, 1);

  if (!pd_catalog_get_receipt_defaults (db, defaults, error))
    return NULL;
  return g_steal_pointer (&defaults);
}

static void
defaults_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PdReceiptGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree PdReceiptDefaults *defaults = pd_store_read_finish (PD_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->pending = FALSE;
  if (defaults == NULL)
    g_warning ("Could not read the receipt defaults: %s", error->message);
  else if (!self->edited)
    pd_receipt_group_set (self, defaults->vat, defaults->subject, defaults->method);
}

/* Shows the defaults of new products once they are read, unless the
 * merchant has picked something by then. Until that, the getters answer
 * NULL and 0, which pd_catalog_add_product_full() takes as the defaults. */
void
pd_receipt_group_show_defaults (PdReceiptGroup *self,
                                PdStore        *store)
{
  g_return_if_fail (PD_IS_RECEIPT_GROUP (self));
  g_return_if_fail (PD_IS_STORE (store));

  self->pending = TRUE;
  pd_store_read_async (store, read_defaults_in_thread, NULL, NULL, g_free, self->cancellable,
                       defaults_read_cb, g_object_ref (self));
}

static gboolean
shows_choice (PdReceiptGroup *self)
{
  return !self->pending || self->edited;
}

/* The VAT tag chosen, or NULL for none. */
const char *
pd_receipt_group_get_vat (PdReceiptGroup *self)
{
  guint selected;
  guint n_rates;
  const PdVatRate *rates = pd_vat_rate_get_all (&n_rates);

  g_return_val_if_fail (PD_IS_RECEIPT_GROUP (self), NULL);

  selected = adw_combo_row_get_selected (self->vat_row);
  return shows_choice (self) && selected < n_rates ? rates[selected].tag : NULL;
}

/* The payment subject code chosen, or 0 for none. */
guint
pd_receipt_group_get_subject (PdReceiptGroup *self)
{
  guint selected;
  guint n_subjects;
  const PdReceiptSubject *subjects = pd_receipt_subject_get_all (&n_subjects);

  g_return_val_if_fail (PD_IS_RECEIPT_GROUP (self), 0);

  selected = adw_combo_row_get_selected (self->subject_row);
  return shows_choice (self) && selected < n_subjects ? subjects[selected].code : 0;
}

/* The payment method code chosen, or 0 for none. */
guint
pd_receipt_group_get_method (PdReceiptGroup *self)
{
  guint selected;
  guint n_methods;
  const PdReceiptMethod *methods = pd_receipt_method_get_all (&n_methods);

  g_return_val_if_fail (PD_IS_RECEIPT_GROUP (self), 0);

  selected = adw_combo_row_get_selected (self->method_row);
  return shows_choice (self) && selected < n_methods ? methods[selected].code : 0;
}

static void
pd_receipt_group_dispose (GObject *object)
{
  PdReceiptGroup *self = PD_RECEIPT_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_RECEIPT_GROUP);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pd_receipt_group_parent_class)->dispose (object);
}

static void
pd_receipt_group_class_init (PdReceiptGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_receipt_group_dispose;

  /**
   * PdReceiptGroup::changed:
   *
   * The merchant picked another VAT rate, subject or method.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-receipt-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PdReceiptGroup, vat_row);
  gtk_widget_class_bind_template_child (widget_class, PdReceiptGroup, subject_row);
  gtk_widget_class_bind_template_child (widget_class, PdReceiptGroup, method_row);
  gtk_widget_class_bind_template_callback (widget_class, selected_cb);
}

static void
pd_receipt_group_init (PdReceiptGroup *self)
{
  g_autoptr(GtkStringList) vat_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) subject_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) method_labels = gtk_string_list_new (NULL);
  const PdVatRate *rates;
  const PdReceiptSubject *subjects;
  const PdReceiptMethod *methods;
  guint n;

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  rates = pd_vat_rate_get_all (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (vat_labels, pd_vat_rate_get_label (&rates[i]));
  subjects = pd_receipt_subject_get_all (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (subject_labels, pd_receipt_subject_get_label (&subjects[i]));
  methods = pd_receipt_method_get_all (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (method_labels, pd_receipt_method_get_label (&methods[i]));

  self->updating = TRUE;
  adw_combo_row_set_model (self->vat_row, G_LIST_MODEL (vat_labels));
  adw_combo_row_set_model (self->subject_row, G_LIST_MODEL (subject_labels));
  adw_combo_row_set_model (self->method_row, G_LIST_MODEL (method_labels));
  self->updating = FALSE;
  pd_receipt_group_set (self, PD_RECEIPT_DEFAULT_VAT, PD_RECEIPT_DEFAULT_SUBJECT,
                        PD_RECEIPT_DEFAULT_METHOD);
}
