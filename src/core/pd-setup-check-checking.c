/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-setup-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-service.h"
#include "pd-setup-check-private.h"

/* With Checking only, nothing reaches Paydesk: the check has the sync
 * schedule ask PayMaster about the open invoices as soon as the link is
 * out and then every few seconds, and passes once PayMaster says the test
 * invoice is paid. A pass that fails says why in the schedule's words. */

#define CHECKING_INTERVAL 5   /* seconds between passes while the check waits */

static PdSyncSchedule *
schedule_of (PdSetupCheck *self)
{
  return pd_service_get_sync_schedule (self->service);
}

static gboolean
is_waiting (PdSetupCheck *self)
{
  return self->flow == PD_SETUP_FLOW_CHECKING && _pd_setup_check_is_active (self) &&
         self->payment_url != NULL && self->steps[PD_SETUP_STEP_PAID] != PD_SETUP_STEP_DONE;
}

static void
mark_waiting (PdSetupCheck *self)
{
  _pd_setup_check_mark_step (self, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_BUSY,
                             _("Waiting for you to pay, and asking PayMaster every few seconds…"));
}

/* A refused credential stays refused until the merchant changes it:
 * asking again only bothers PayMaster. */
static gboolean
is_lasting (const GError *error)
{
  return g_error_matches (error, PD_API_ERROR, PD_API_ERROR_NO_CREDENTIALS) ||
         g_error_matches (error, PD_API_ERROR, PD_API_ERROR_NOT_AUTHORIZED) ||
         g_error_matches (error, PD_API_ERROR, PD_API_ERROR_BAD_HASH);
}

/* What the last pass found, once it is over. */
static void
schedule_changed_cb (PdSyncSchedule *schedule,
                     GParamSpec     *pspec,
                     PdSetupCheck   *self)
{
  const GError *error;

  if (!is_waiting (self) || pd_sync_schedule_get_busy (schedule))
    return;

  error = pd_sync_schedule_get_error (schedule);
  if (error != NULL)
    {
      _pd_setup_check_fail_step (self, PD_SETUP_STEP_SIGNATURE, error->message,
                                 _pd_setup_check_fix_for_api_error (self, error));
      if (is_lasting (error))
        g_clear_handle_id (&self->checking_id, g_source_remove);
      return;
    }
  if (self->steps[PD_SETUP_STEP_SIGNATURE] == PD_SETUP_STEP_FAILED)
    {
      mark_waiting (self);
      _pd_setup_check_goes_on (self);
    }
}

static gboolean
ask_again_cb (gpointer user_data)
{
  PdSetupCheck *self = user_data;

  if (!is_waiting (self))
    {
      self->checking_id = 0;
      return G_SOURCE_REMOVE;
    }
  pd_sync_schedule_sync_now (schedule_of (self));
  return G_SOURCE_CONTINUE;
}

/* The payment link is out: ask now, and again every few seconds. */
void
_pd_setup_check_checking_begin (PdSetupCheck *self)
{
  PdSyncSchedule *schedule = schedule_of (self);

  mark_waiting (self);
  g_signal_connect_object (schedule, "notify::busy", G_CALLBACK (schedule_changed_cb), self, 0);
  g_signal_connect_object (schedule, "notify::failed", G_CALLBACK (schedule_changed_cb), self, 0);
  self->checking_id = g_timeout_add_seconds (CHECKING_INTERVAL, ask_again_cb, self);

  /* A pass the schedule ran by itself may have failed already. */
  schedule_changed_cb (schedule, NULL, self);
  pd_sync_schedule_sync_now (schedule);
}

/* What a pass recorded about the check's invoice. */
void
_pd_setup_check_checking_event (PdSetupCheck           *self,
                                const PdLedgerDecision *decision)
{
  if (decision->kind != PD_EVENT_RECONCILIATION || decision->invoice_id != self->invoice_id)
    return;

  if (decision->verdict == PD_VERDICT_REJECTED)
    {
      _pd_setup_check_fail_step (self, PD_SETUP_STEP_SIGNATURE, decision->reason, PD_SETUP_FIX_SITE);
      return;
    }
  _pd_setup_check_mark_step (self, PD_SETUP_STEP_SIGNATURE, PD_SETUP_STEP_DONE,
                             _("Paydesk asked PayMaster about the payment, and PayMaster confirmed it."));
  _pd_setup_check_record_payment (self, decision);
}

void
_pd_setup_check_checking_stop (PdSetupCheck *self)
{
  g_clear_handle_id (&self->checking_id, g_source_remove);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_func (schedule_of (self), schedule_changed_cb, self);
}
