/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-event-item"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pd-event-item.h"
#include "pd-form.h"
#include "pd-invoice-item.h"

/* One inbound request as the Payments page shows it. */
struct _PdEventItem
{
  GObject  parent_instance;

  gint64   id;
  PdEvent *event;
};

G_DEFINE_FINAL_TYPE (PdEventItem, pd_event_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LOADED,
  PROP_TIME_TEXT,
  PROP_KIND_TEXT,
  PROP_VERDICT,
  PROP_VERDICT_TEXT,
  PROP_PROBLEM,
  PROP_REASON,
  PROP_REMOTE,
  PROP_INVOICE_NUMBER,
  PROP_FIELDS_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
kind_display (const char *kind)
{
  if (g_strcmp0 (kind, "prerequest") == 0)
    return _("Invoice confirmation");
  if (g_strcmp0 (kind, "notification") == 0)
    return _("Payment notification");
  if (g_strcmp0 (kind, "reconciliation") == 0)
    return _("Status check");
  if (g_strcmp0 (kind, "callback") == 0)
    return _("API v2 callback");
  if (g_strcmp0 (kind, "refund") == 0)
    return _("Refund");
  return _("Invalid request");
}

static const char *
verdict_display (const char *verdict)
{
  if (g_strcmp0 (verdict, "accepted") == 0)
    return C_("event verdict", "Accepted");
  if (g_strcmp0 (verdict, "duplicate") == 0)
    return C_("event verdict", "Duplicate");
  if (g_strcmp0 (verdict, "flagged") == 0)
    return C_("event verdict", "Needs attention");
  return C_("event verdict", "Rejected");
}

/* The request's form as "NAME: value" lines, for a person to read. A body
 * that is not a form (an API v2 callback's JSON) is shown as it came. */
char *
pd_event_format_fields (const char *body)
{
  g_autoptr(PdForm) form = NULL;
  GString *text;

  if (body == NULL || *body == '\0')
    return g_strdup ("");
  if (g_str_has_prefix (body, "{") || g_str_has_prefix (body, "\xEF\xBB\xBF"))
    return g_strdup (body);
  form = pd_form_parse (body, strlen (body), NULL);
  if (form == NULL || pd_form_get_n_fields (form) == 0)
    return g_strdup (body);

  text = g_string_new (NULL);
  for (guint i = 0; i < pd_form_get_n_fields (form); i++)
    {
      const char *name, *value;

      pd_form_get_field (form, i, &name, &value);
      g_string_append_printf (text, "%s%s: %s", i > 0 ? "\n" : "", name, value);
    }
  return g_string_free (text, FALSE);
}

gint64
pd_event_item_get_id (PdEventItem *self)
{
  g_return_val_if_fail (PD_IS_EVENT_ITEM (self), 0);
  return self->id;
}

const PdEvent *
pd_event_item_get_event (PdEventItem *self)
{
  g_return_val_if_fail (PD_IS_EVENT_ITEM (self), NULL);
  return self->event;
}

void
pd_event_item_set_event (PdEventItem   *self,
                         const PdEvent *event)
{
  PdEvent *copy;

  g_return_if_fail (PD_IS_EVENT_ITEM (self));
  g_return_if_fail (event->id == self->id);

  copy = g_memdup2 (event, sizeof *event);
  copy->remote = g_strdup (event->remote);
  copy->method = g_strdup (event->method);
  copy->path = g_strdup (event->path);
  copy->body = g_strdup (event->body);
  copy->kind = g_strdup (event->kind);
  copy->verdict = g_strdup (event->verdict);
  copy->reason = g_strdup (event->reason);
  copy->invoice_number = g_strdup (event->invoice_number);
  copy->payment_id = g_strdup (event->payment_id);
  g_clear_pointer (&self->event, pd_event_free);
  self->event = copy;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint prop = PROP_LOADED; prop < N_PROPS; prop++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
pd_event_item_finalize (GObject *object)
{
  PdEventItem *self = PD_EVENT_ITEM (object);

  g_clear_pointer (&self->event, pd_event_free);

  G_OBJECT_CLASS (pd_event_item_parent_class)->finalize (object);
}

static void
pd_event_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PdEventItem *self = PD_EVENT_ITEM (object);
  const PdEvent *event = self->event;

  if (prop_id == PROP_ID)
    {
      g_value_set_int64 (value, self->id);
      return;
    }
  if (prop_id == PROP_LOADED)
    {
      g_value_set_boolean (value, event != NULL);
      return;
    }
  if (event == NULL)
    return;

  switch (prop_id)
    {
    case PROP_TIME_TEXT:
      g_value_take_string (value, pd_format_time_display (event->at / G_USEC_PER_SEC));
      break;

    case PROP_KIND_TEXT:
      g_value_set_string (value, kind_display (event->kind));
      break;

    case PROP_VERDICT:
      g_value_set_string (value, event->verdict);
      break;

    case PROP_VERDICT_TEXT:
      g_value_set_string (value, verdict_display (event->verdict));
      break;

    case PROP_PROBLEM:
      g_value_set_boolean (value, g_strcmp0 (event->verdict, "accepted") != 0 &&
                                  g_strcmp0 (event->verdict, "duplicate") != 0);
      break;

    case PROP_REASON:
      g_value_set_string (value, event->reason);
      break;

    case PROP_REMOTE:
      g_value_set_string (value, event->remote);
      break;

    case PROP_INVOICE_NUMBER:
      g_value_set_string (value, event->invoice_number);
      break;

    case PROP_FIELDS_TEXT:
      g_value_take_string (value, pd_event_format_fields (event->body));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_event_item_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PdEventItem *self = PD_EVENT_ITEM (object);

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
pd_event_item_class_init (PdEventItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_event_item_finalize;
  object_class->get_property = pd_event_item_get_property;
  object_class->set_property = pd_event_item_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, READABLE);
  properties[PROP_TIME_TEXT] = g_param_spec_string ("time-text", NULL, NULL, NULL, READABLE);
  properties[PROP_KIND_TEXT] = g_param_spec_string ("kind-text", NULL, NULL, NULL, READABLE);
  properties[PROP_VERDICT] = g_param_spec_string ("verdict", NULL, NULL, NULL, READABLE);
  properties[PROP_VERDICT_TEXT] = g_param_spec_string ("verdict-text", NULL, NULL, NULL, READABLE);
  properties[PROP_PROBLEM] = g_param_spec_boolean ("problem", NULL, NULL, FALSE, READABLE);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, READABLE);
  properties[PROP_REMOTE] = g_param_spec_string ("remote", NULL, NULL, NULL, READABLE);
  properties[PROP_INVOICE_NUMBER] = g_param_spec_string ("invoice-number", NULL, NULL, NULL, READABLE);
  properties[PROP_FIELDS_TEXT] = g_param_spec_string ("fields-text", NULL, NULL, NULL, READABLE);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_event_item_init (PdEventItem *self)
{
}
