/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-callback"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "pd-api-inbound.h"
#include "pd-callback.h"

/* PayMaster's REST v2 callbacks carry no signature, so a callback is only
 * a hint that a payment changed: Paydesk reads the payment again with its
 * own token and judges what PayMaster answers, never what the body says.
 * Only a Settled payment goes on to the ledger; anything else is kept as
 * a refused callback event. */

typedef struct
{
  PdShop    *shop;
  PdInbound *inbound;
} Check;

static void
check_free (Check *check)
{
  g_clear_pointer (&check->shop, pd_shop_free);
  g_clear_pointer (&check->inbound, pd_inbound_free);
  g_free (check);
}

static void
refuse (GTask      *task,
        guint       http_status,
        const char *reason)
{
  Check *check = g_task_get_task_data (task);

  check->inbound->refused_status = http_status;
  check->inbound->refused_reason = g_strdup (reason);
  g_task_return_pointer (task, g_steal_pointer (&check->inbound), (GDestroyNotify) pd_inbound_free);
}

static void
payment_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = NULL;
  g_autofree char *reason = NULL;

  payment = pd_paymaster_api_get_payment_finish (PD_PAYMASTER_API (object), result, &error);
  if (payment == NULL)
    {
      /* A payment PayMaster does not know was made up; any other failure
       * may pass, and a 5xx makes PayMaster send the callback again. */
      if (g_error_matches (error, PD_API_ERROR, PD_API_ERROR_NOT_FOUND))
        reason = g_strdup_printf (_("PayMaster knows no such payment: the callback was not "
                                    "sent by PayMaster. %s"), error->message);
      else
        reason = g_strdup_printf (_("Paydesk could not confirm the callback with PayMaster: %s"),
                                  error->message);
      refuse (task, g_error_matches (error, PD_API_ERROR, PD_API_ERROR_NOT_FOUND)
                      ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_SERVICE_UNAVAILABLE,
              reason);
      return;
    }

  check->inbound->form = pd_api_form_from_v2 (check->shop, payment);
  if (payment->status != PD_API_PAYMENT_SETTLED)
    {
      reason = g_strdup_printf (_("PayMaster says payment %s is “%s”, not Settled: the invoice "
                                  "stays open until it is."),
                                payment->id, payment->status_text ? payment->status_text : "");
      refuse (task, SOUP_STATUS_OK, reason);
      return;
    }

  check->inbound->from_status_api = TRUE;
  g_task_return_pointer (task, g_steal_pointer (&check->inbound), (GDestroyNotify) pd_inbound_free);
}

/* Takes @inbound, whose body is the callback as it came, and returns it
 * ready for pd_store_record_async(): with the re-read payment's fields,
 * or refused with the reason. Never fails. */
void
pd_callback_check_async (PdPaymasterApi      *api,
                         const PdShop        *shop,
                         PdInbound           *inbound,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(PdApiPayment) hint = NULL;
  g_autoptr(GError) error = NULL;
  Check *check = g_new0 (Check, 1);

  check->shop = pd_shop_copy (shop);
  check->inbound = inbound;
  inbound->is_callback = TRUE;
  g_task_set_source_tag (task, pd_callback_check_async);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  hint = pd_api_payment_from_json (inbound->body ? inbound->body : "",
                                   inbound->body ? strlen (inbound->body) : 0, &error);
  if (hint == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("The callback is not a PayMaster payment: %s"),
                                                 error->message);

      refuse (task, SOUP_STATUS_BAD_REQUEST, reason);
      return;
    }

  if (api == NULL)
    {
      refuse (task, SOUP_STATUS_SERVICE_UNAVAILABLE,
              _("Paydesk has no PayMaster API token to confirm callbacks with: enter it in "
                "Preferences or run the setup again."));
      return;
    }

  pd_paymaster_api_get_payment_async (api, hint->id, cancellable, payment_read_cb,
                                      g_steal_pointer (&task));
}

PdInbound *
pd_callback_check_finish (GAsyncResult *result)
{
  return g_task_propagate_pointer (G_TASK (result), NULL);
}
