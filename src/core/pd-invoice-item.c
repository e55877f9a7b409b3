/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-invoice-item"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-invoice-item.h"
#include "pd-money.h"

/* One invoice as a list shows it. It starts with its id only and is
 * filled in when its row has been read (see PdLazyList). */
struct _PdInvoiceItem
{
  GObject    parent_instance;

  gint64     id;
  PdInvoice *invoice;
};

G_DEFINE_FINAL_TYPE (PdInvoiceItem, pd_invoice_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LOADED,
  PROP_NUMBER,
  PROP_DESCRIPTION,
  PROP_CUSTOMER,
  PROP_AMOUNT,
  PROP_AMOUNT_TEXT,
  PROP_STATUS,
  PROP_STATUS_TEXT,
  PROP_TEST,
  PROP_CREATED_TEXT,
  PROP_PAID_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
pd_invoice_status_display (PdInvoiceStatus status)
{
  switch (status)
    {
    case PD_INVOICE_ISSUED:
      return C_("invoice status", "Issued");
    case PD_INVOICE_PAID:
      return C_("invoice status", "Paid");
    case PD_INVOICE_CANCELLED:
      return C_("invoice status", "Cancelled");
    case PD_INVOICE_EXPIRED:
      return C_("invoice status", "Expired");
    case PD_INVOICE_REFUNDED:
      return C_("invoice status", "Refunded");
    default:
      g_return_val_if_reached ("");
    }
}

/* Local date and time in the user's locale, or NULL for "never". */
char *
pd_format_time_display (gint64 unix_seconds)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_seconds <= 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (unix_seconds);
  local = g_date_time_to_local (utc);
  /* Translators: an invoice's date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%x %H:%M"));
}

gint64
pd_invoice_item_get_id (PdInvoiceItem *self)
{
  g_return_val_if_fail (PD_IS_INVOICE_ITEM (self), 0);
  return self->id;
}

gboolean
pd_invoice_item_get_loaded (PdInvoiceItem *self)
{
  g_return_val_if_fail (PD_IS_INVOICE_ITEM (self), FALSE);
  return self->invoice != NULL;
}

const PdInvoice *
pd_invoice_item_get_invoice (PdInvoiceItem *self)
{
  g_return_val_if_fail (PD_IS_INVOICE_ITEM (self), NULL);
  return self->invoice;
}

void
pd_invoice_item_set_invoice (PdInvoiceItem   *self,
                             const PdInvoice *invoice)
{
  g_return_if_fail (PD_IS_INVOICE_ITEM (self));
  g_return_if_fail (invoice->id == self->id);

  g_clear_pointer (&self->invoice, pd_invoice_free);
  self->invoice = pd_invoice_copy (invoice);

  g_object_freeze_notify (G_OBJECT (self));
  for (guint prop = PROP_LOADED; prop < N_PROPS; prop++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
pd_invoice_item_finalize (GObject *object)
{
  PdInvoiceItem *self = PD_INVOICE_ITEM (object);

  g_clear_pointer (&self->invoice, pd_invoice_free);

  G_OBJECT_CLASS (pd_invoice_item_parent_class)->finalize (object);
}

static void
pd_invoice_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdInvoiceItem *self = PD_INVOICE_ITEM (object);
  const PdInvoice *invoice = self->invoice;

  if (prop_id == PROP_ID)
    {
      g_value_set_int64 (value, self->id);
      return;
    }
  if (prop_id == PROP_LOADED)
    {
      g_value_set_boolean (value, invoice != NULL);
      return;
    }
  if (invoice == NULL)
    return;   /* the defaults: empty until the row is read */

  switch (prop_id)
    {
    case PROP_NUMBER:
      g_value_set_string (value, invoice->number);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, invoice->description);
      break;

    case PROP_CUSTOMER:
      g_value_set_string (value, invoice->email);
      break;

    case PROP_AMOUNT:
      g_value_set_int64 (value, invoice->amount);
      break;

    case PROP_AMOUNT_TEXT:
      g_value_take_string (value, pd_money_format_display (invoice->amount, invoice->currency));
      break;

    case PROP_STATUS:
      g_value_set_int (value, invoice->status);
      break;

    case PROP_STATUS_TEXT:
      g_value_set_string (value, pd_invoice_status_display (invoice->status));
      break;

    case PROP_TEST:
      g_value_set_boolean (value, invoice->test);
      break;

    case PROP_CREATED_TEXT:
      g_value_take_string (value, pd_format_time_display (invoice->created_at));
      break;

    case PROP_PAID_TEXT:
      g_value_take_string (value, pd_format_time_display (invoice->paid_at));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_invoice_item_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdInvoiceItem *self = PD_INVOICE_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READABLE (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
pd_invoice_item_class_init (PdInvoiceItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_invoice_item_finalize;
  object_class->get_property = pd_invoice_item_get_property;
  object_class->set_property = pd_invoice_item_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, READABLE);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, READABLE);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, READABLE);
  properties[PROP_CUSTOMER] = g_param_spec_string ("customer", NULL, NULL, NULL, READABLE);
  properties[PROP_AMOUNT] = g_param_spec_int64 ("amount", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_AMOUNT_TEXT] = g_param_spec_string ("amount-text", NULL, NULL, NULL, READABLE);
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, 0, PD_INVOICE_REFUNDED, 0, READABLE);
  properties[PROP_STATUS_TEXT] = g_param_spec_string ("status-text", NULL, NULL, NULL, READABLE);
  properties[PROP_TEST] = g_param_spec_boolean ("test", NULL, NULL, FALSE, READABLE);
  properties[PROP_CREATED_TEXT] = g_param_spec_string ("created-text", NULL, NULL, NULL, READABLE);
  properties[PROP_PAID_TEXT] = g_param_spec_string ("paid-text", NULL, NULL, NULL, READABLE);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_invoice_item_init (PdInvoiceItem *self)
{
}
