/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-setup-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "pd-service.h"
#include "pd-setup-check-private.h"

/* What PayMaster sends to the listener about the check's invoice: for the
 * classic protocol a pre-request and a signed notification, for REST v2 a
 * callback that the listener confirms by asking PayMaster with the token.
 * The first of them proves that PayMaster reaches the public address, so
 * the check says so when none comes in time. */

#define REQUEST_TIMEOUT 180       /* seconds to wait for PayMaster's first request */
#define SANDBOX_REQUEST_TIMEOUT 30

/* As the PayMaster cabinet spells them, in PdHashAlg order. */
static const char * const hash_names[PD_N_HASH_ALGS] = { "MD5", "SHA1", "SHA256" };

static guint
request_timeout (PdSetupCheck *self)
{
  if (self->request_timeout > 0)
    return self->request_timeout;
  return _pd_setup_check_is_sandbox (self) ? SANDBOX_REQUEST_TIMEOUT : REQUEST_TIMEOUT;
}

static gboolean
request_timeout_cb (gpointer user_data)
{
  PdSetupCheck *self = user_data;
  PdSetupStep step = _pd_setup_check_first_wait (self);

  self->request_timeout_id = 0;
  if (self->steps[step] != PD_SETUP_STEP_BUSY)
    return G_SOURCE_REMOVE;

  _pd_setup_check_set_timed_out (self, TRUE);
  if (_pd_setup_check_is_sandbox (self))
    {
      guint seconds = request_timeout (self);
      g_autofree char *text =
        g_strdup_printf (ngettext ("No request arrived within %u second. Press Pay on the sandbox page in "
                                   "your browser; if you did, the sandbox cannot reach the public address.",
                                   "No request arrived within %u seconds. Press Pay on the sandbox page in "
                                   "your browser; if you did, the sandbox cannot reach the public address.",
                                   seconds),
                         seconds);

      _pd_setup_check_fail_step (self, step, text, PD_SETUP_FIX_ADDRESS);
    }
  else if (self->flow == PD_SETUP_FLOW_CALLBACKS)
    _pd_setup_check_fail_step (self, step,
                               _("No callback arrived: PayMaster cannot reach this address. Check the "
                                 "public address and the port forwarding, reverse proxy or tunnel that "
                                 "leads to it."),
                               PD_SETUP_FIX_ADDRESS);
  else
    _pd_setup_check_fail_step (self, step,
                               _("No request arrived: PayMaster cannot reach this address. Check the public address, "
                                 "the port forwarding, reverse proxy or tunnel, and the addresses pasted in the "
                                 "PayMaster cabinet."),
                               PD_SETUP_FIX_ADDRESS);
  return G_SOURCE_REMOVE;
}

/* The payment link is out: the first request is PayMaster's next move. */
void
_pd_setup_check_inbound_begin (PdSetupCheck *self)
{
  const char *waiting;

  if (_pd_setup_check_is_sandbox (self))
    waiting = _("Waiting for you to press Pay on the sandbox page…");
  else if (self->flow == PD_SETUP_FLOW_CALLBACKS)
    waiting = _("Waiting for you to pay, and for PayMaster’s callback…");
  else
    waiting = _("Waiting for you to pay, and for PayMaster to ask whether the invoice may be paid…");

  _pd_setup_check_mark_step (self, _pd_setup_check_first_wait (self), PD_SETUP_STEP_BUSY, waiting);
  self->request_timeout_id = g_timeout_add_seconds (request_timeout (self), request_timeout_cb, self);
}

/* A request arrived: the address works after all. */
static void
request_arrived (PdSetupCheck *self)
{
  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  _pd_setup_check_set_timed_out (self, FALSE);
}

static void
notification_event (PdSetupCheck           *self,
                    const PdLedgerDecision *decision)
{
  gboolean timed_out = self->timed_out;
  PdSetupStepState prerequest = self->steps[PD_SETUP_STEP_PREREQUEST];

  if (decision->invoice_id != self->invoice_id)
    return;
  request_arrived (self);

  if (decision->kind == PD_EVENT_PREREQUEST)
    {
      if (decision->verdict != PD_VERDICT_ACCEPTED)
        {
          _pd_setup_check_fail_step (self, PD_SETUP_STEP_PREREQUEST, decision->reason, PD_SETUP_FIX_SITE);
          return;
        }
      _pd_setup_check_mark_step (self, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_DONE, decision->reason);
      if (self->steps[PD_SETUP_STEP_NOTIFICATION] == PD_SETUP_STEP_PENDING)
        _pd_setup_check_mark_step (self, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_BUSY,
                                   _("Waiting for PayMaster to report the payment…"));
      _pd_setup_check_goes_on (self);
      return;
    }

  if (decision->kind != PD_EVENT_NOTIFICATION)
    return;

  /* PayMaster asks first only when the cabinet has the Invoice
   * Confirmation URL; without it payments still work, but unchecked. */
  if (prerequest == PD_SETUP_STEP_PENDING || prerequest == PD_SETUP_STEP_BUSY ||
      (prerequest == PD_SETUP_STEP_FAILED && timed_out))
    _pd_setup_check_mark_step (self, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_WARNING,
                               _("PayMaster did not ask first. Paste the Invoice Confirmation URL in the PayMaster "
                                 "cabinet, so that Paydesk can refuse payments for cancelled or expired invoices."));
  _pd_setup_check_mark_step (self, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_DONE, NULL);

  if (decision->verdict == PD_VERDICT_REJECTED)
    {
      _pd_setup_check_fail_step (self, PD_SETUP_STEP_SIGNATURE, decision->reason, PD_SETUP_FIX_SITE);
      return;
    }

  {
    g_autofree char *text = g_strdup_printf (_("Signed with %s and your secret key."),
                                             hash_names[self->shop->hash_alg]);

    _pd_setup_check_mark_step (self, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_DONE, text);
  }

  _pd_setup_check_record_payment (self, decision);
}

/* A callback the listener could not confirm names no invoice: the
 * payment was never read. The check asks PayMaster about its own payment
 * the way the listener did, to say which setting is wrong. */
typedef struct
{
  PdSetupCheck *check;
  gint64        invoice_id;
  char         *reason;
} Diagnosis;

static void
diagnosis_free (Diagnosis *diagnosis)
{
  g_object_unref (diagnosis->check);
  g_free (diagnosis->reason);
  g_free (diagnosis);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Diagnosis, diagnosis_free)

static void
diagnosed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Diagnosis) diagnosis = user_data;
  PdSetupCheck *self = diagnosis->check;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdApiPayment) payment = pd_paymaster_api_get_payment_finish (PD_PAYMASTER_API (object),
                                                                         result, &error);

  if (self->invoice_id != diagnosis->invoice_id || !_pd_setup_check_is_active (self) ||
      self->steps[PD_SETUP_STEP_SIGNATURE] == PD_SETUP_STEP_DONE)
    return;
  /* PayMaster answers now: it sends the callback again, and then it goes through. */
  if (payment != NULL)
    _pd_setup_check_mark_step (self, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_BUSY,
                               _("PayMaster could not be asked when its callback came; waiting for "
                                 "PayMaster to send it again…"));
  else
    _pd_setup_check_fail_step (self, PD_SETUP_STEP_SIGNATURE, diagnosis->reason,
                               _pd_setup_check_fix_for_api_error (self, error));
}

static void
diagnose (PdSetupCheck           *self,
          const PdLedgerDecision *decision)
{
  g_autoptr(PdPaymasterApi) api = pd_service_dup_api (self->service);
  Diagnosis *diagnosis;

  if (api == NULL || self->payment_id == NULL)
    {
      _pd_setup_check_fail_step (self, PD_SETUP_STEP_SIGNATURE, decision->reason, PD_SETUP_FIX_SITE);
      return;
    }

  diagnosis = g_new0 (Diagnosis, 1);
  diagnosis->check = g_object_ref (self);
  diagnosis->invoice_id = self->invoice_id;
  diagnosis->reason = g_strdup (decision->reason);
  pd_paymaster_api_get_payment_async (api, self->payment_id, NULL, diagnosed_cb, diagnosis);
}

static void
callback_event (PdSetupCheck           *self,
                const PdLedgerDecision *decision)
{
  /* A callback refused before its payment was read names no invoice. */
  gboolean unconfirmed = decision->verdict == PD_VERDICT_REJECTED && decision->invoice_id == 0 &&
                         decision->invoice_number == NULL &&
                         decision->http_status == SOUP_STATUS_SERVICE_UNAVAILABLE;

  if (decision->kind != PD_EVENT_CALLBACK ||
      !(decision->invoice_id == self->invoice_id ||
        g_strcmp0 (decision->invoice_number, self->invoice_number) == 0 || unconfirmed))
    return;

  request_arrived (self);
  _pd_setup_check_mark_step (self, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_DONE, NULL);

  if (unconfirmed)
    {
      diagnose (self, decision);
      return;
    }

  if (decision->verdict == PD_VERDICT_REJECTED)
    {
      /* PayMaster answered about a payment that is not settled yet. */
      if (decision->http_status == SOUP_STATUS_OK)
        _pd_setup_check_mark_step (self, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_BUSY, decision->reason);
      else
        _pd_setup_check_fail_step (self, PD_SETUP_STEP_SIGNATURE, decision->reason, PD_SETUP_FIX_SITE);
      return;
    }

  _pd_setup_check_mark_step (self, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_DONE,
                             _("Paydesk asked PayMaster with the API token: the payment is settled."));
  _pd_setup_check_record_payment (self, decision);
}

/* A request to the listener, or what Paydesk found asking PayMaster. */
void
_pd_setup_check_inbound_event (PdSetupCheck           *self,
                               const PdLedgerDecision *decision)
{
  if (decision->kind == PD_EVENT_RECONCILIATION)
    _pd_setup_check_found_by_asking (self, decision);
  else if (self->flow == PD_SETUP_FLOW_CALLBACKS)
    callback_event (self, decision);
  else
    notification_event (self, decision);
}

/* With both notifications and checking, checking may find the payment
 * before PayMaster calls: the check passes, but says that PayMaster did
 * not call (yet). Only a REST v2 payment was confirmed as a callback
 * would have been; a classic one was never signed. */
void
_pd_setup_check_found_by_asking (PdSetupCheck           *self,
                                 const PdLedgerDecision *decision)
{
  PdSetupStep last_unseen = self->flow == PD_SETUP_FLOW_CALLBACKS ? PD_SETUP_STEP_NOTIFICATION
                                                                  : PD_SETUP_STEP_SIGNATURE;

  if (decision->invoice_id != self->invoice_id || decision->verdict != PD_VERDICT_ACCEPTED)
    return;

  for (guint i = PD_SETUP_STEP_PREREQUEST; i <= last_unseen; i++)
    if (self->steps[i] == PD_SETUP_STEP_PENDING || self->steps[i] == PD_SETUP_STEP_BUSY ||
        (self->steps[i] == PD_SETUP_STEP_FAILED && self->timed_out))
      _pd_setup_check_mark_step (self, i, PD_SETUP_STEP_WARNING,
                                 _("PayMaster did not call Paydesk before Paydesk found the payment by "
                                   "asking PayMaster. Payments still turn Paid, but later: check the "
                                   "public address so that they show at once."));
  request_arrived (self);
  if (self->flow == PD_SETUP_FLOW_CALLBACKS)
    _pd_setup_check_checking_event (self, decision);
  else
    _pd_setup_check_record_payment (self, decision);
}
