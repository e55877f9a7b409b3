/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-catalog.h"
#include "pd-money.h"
#include "pd-product-dialog.h"
#include "pd-receipt-group.h"

struct _PdProductDialog
{
  AdwWindow       parent_instance;

  PdService      *service;
  gint64          product_id;      /* 0 while adding */
  gboolean        name_touched;
  gboolean        saving;
  gboolean        disposed;

  AdwEntryRow    *name_row;
  GtkLabel       *name_error_label;
  AdwEntryRow    *price_row;
  GtkLabel       *price_error_label;
  PdReceiptGroup *receipt_group;
  GtkLabel       *save_error_label;
  GtkButton      *save_button;
};

G_DEFINE_FINAL_TYPE (PdProductDialog, pd_product_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_row_error (AdwEntryRow *row,
                GtkLabel    *label,
                const char  *message)
{
  gtk_label_set_label (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* Checks both fields, says inline what is wrong with each, and returns
 * whether the product may be saved. An empty field is not called an error
 * (the dialog opens with them empty) but still keeps Save off. */
static gboolean
validate (PdProductDialog  *self,
          char            **name_out,
          gint64           *price_out)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *price_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->price_row))));
  g_autoptr(GError) error = NULL;
  const char *price_message = NULL;
  gboolean name_ok = *name != '\0';
  gboolean price_ok = FALSE;
  gint64 price = 0;

  show_row_error (self->name_row, self->name_error_label,
                  !name_ok && self->name_touched ? _("The product needs a name.") : NULL);

  if (*price_text != '\0')
    {
      if (!pd_money_parse_input (price_text, &price, &error))
        price_message = error->message;
      else if (price <= 0)
        price_message = _("The price must be more than zero.");
      else
        price_ok = TRUE;
    }
  show_row_error (self->price_row, self->price_error_label, price_message);

  if (name_out != NULL)
    *name_out = g_steal_pointer (&name);
  if (price_out != NULL)
    *price_out = price;
  return name_ok && price_ok;
}

static void
update_save_button (PdProductDialog *self)
{
  gboolean valid = validate (self, NULL, NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), valid && !self->saving);
}

static void
name_changed_cb (PdProductDialog *self)
{
  self->name_touched = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
  update_save_button (self);
}

static void
price_changed_cb (PdProductDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
  update_save_button (self);
}

typedef struct
{
  gint64      id;
  char       *name;
  gint64      price;
  const char *vat;       /* of the VAT table; NULL, like 0, for the default */
  guint       subject;
  guint       method;
} SaveOp;

static void
save_op_free (SaveOp *op)
{
  g_free (op->name);
  g_free (op);
}

/* Runs on the store's writer thread. An edit reads the product again so
 * that only what the dialog shows is changed (an archived product stays
 * archived); issued invoices keep their own copies of their lines. */
static gpointer
save_locked (PdDatabase  *db,
             gpointer     data,
             GError     **error)
{
  SaveOp *op = data;
  gint64 id = op->id;

  if (id == 0)
    {
      PdProduct product = { 0, op->name, op->price, (char *) op->vat, op->subject, op->method, FALSE };

      if (!pd_catalog_add_product_full (db, &product, &id, error))
        return NULL;
    }
  else
    {
      g_autoptr(PdProduct) product = pd_catalog_get_product (db, id, error);

      if (product == NULL)
        return NULL;
      g_free (product->name);
      product->name = g_strdup (op->name);
      product->price = op->price;
      g_free (product->vat);
      product->vat = g_strdup (op->vat);
      product->subject = op->subject;
      product->method = op->method;
      if (!pd_catalog_update_product (db, product, error))
        return NULL;
    }

  return g_memdup2 (&id, sizeof id);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PdProductDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *id = pd_store_write_finish (PD_STORE (object), result, &error);

  self->saving = FALSE;

  if (id != NULL)
    {
      g_signal_emit (self, signals[SAVED], 0, *id);
      if (!self->disposed)
        gtk_window_close (GTK_WINDOW (self));
      return;
    }

  if (self->disposed)
    {
      g_warning ("Could not save a product: %s", error->message);
      return;
    }
  gtk_label_set_label (self->save_error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), TRUE);
  update_save_button (self);
}

static void
save_clicked_cb (PdProductDialog *self)
{
  g_autofree char *name = NULL;
  gint64 price = 0;
  SaveOp *op;

  self->name_touched = TRUE;
  if (self->saving || !validate (self, &name, &price))
    {
      update_save_button (self);
      return;
    }

  op = g_new0 (SaveOp, 1);
  op->id = self->product_id;
  op->name = g_steal_pointer (&name);
  op->price = price;
  op->vat = pd_receipt_group_get_vat (self->receipt_group);
  op->subject = pd_receipt_group_get_subject (self->receipt_group);
  op->method = pd_receipt_group_get_method (self->receipt_group);

  self->saving = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
  update_save_button (self);
  pd_store_write_async (pd_service_get_store (self->service),
                        save_locked, op, (GDestroyNotify) save_op_free, g_free,
                        NULL, save_cb, g_object_ref (self));
}

GtkWidget *
pd_product_dialog_new (PdService       *service,
                       const PdProduct *product)
{
  PdProductDialog *self;

  g_return_val_if_fail (PD_IS_SERVICE (service), NULL);

  self = g_object_new (PD_TYPE_PRODUCT_DIALOG, NULL);
  self->service = g_object_ref (service);

  if (product == NULL)
    pd_receipt_group_show_defaults (self->receipt_group, pd_service_get_store (service));
  else
    {
      g_autofree char *price = pd_money_format_input (product->price);

      self->product_id = product->id;
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Product"));
      gtk_button_set_label (self->save_button, _("_Save"));
      pd_receipt_group_set (self->receipt_group, product->vat, product->subject, product->method);

      gtk_editable_set_text (GTK_EDITABLE (self->name_row), product->name ? product->name : "");
      gtk_editable_set_text (GTK_EDITABLE (self->price_row), price);
      update_save_button (self);
    }

  return GTK_WIDGET (self);
}

static void
pd_product_dialog_dispose (GObject *object)
{
  PdProductDialog *self = PD_PRODUCT_DIALOG (object);

  self->disposed = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PRODUCT_DIALOG);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_product_dialog_parent_class)->dispose (object);
}

static void
pd_product_dialog_class_init (PdProductDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_product_dialog_dispose;

  /**
   * PdProductDialog::saved:
   * @id: the product's id
   *
   * The product was added or changed in the database.
   */
  signals[SAVED] = g_signal_new ("saved",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (PD_TYPE_RECEIPT_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/paydesk/Paydesk/pd-product-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PdProductDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, PdProductDialog, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdProductDialog, price_row);
  gtk_widget_class_bind_template_child (widget_class, PdProductDialog, price_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdProductDialog, receipt_group);
  gtk_widget_class_bind_template_child (widget_class, PdProductDialog, save_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdProductDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, price_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pd_product_dialog_init (PdProductDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_row));
}
