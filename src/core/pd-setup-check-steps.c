/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-setup-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-setup-check-private.h"
#include "pd-sync-schedule.h"

/* The steps as each flow has them: what they are called, which the flow
 * does without (a REST v2 payment is not confirmed first; with Checking
 * only, PayMaster does not call Paydesk at all), and which settings fix
 * what PayMaster's API refused. */

PdSetupFlow
_pd_setup_check_choose_flow (const PdShop *shop,
                             const char   *sync_mode)
{
  if (g_strcmp0 (sync_mode, PD_SYNC_MODE_POLLING) == 0)
    return PD_SETUP_FLOW_CHECKING;
  return shop->protocol == PD_PROTOCOL_V2 ? PD_SETUP_FLOW_CALLBACKS : PD_SETUP_FLOW_NOTIFICATIONS;
}

const char *
_pd_setup_check_step_title (PdSetupFlow flow,
                            PdSetupStep step)
{
  switch (step)
    {
    case PD_SETUP_STEP_LISTENER:
      return _("Paydesk Is Listening");

    case PD_SETUP_STEP_PREREQUEST:
      return _("PayMaster Asked to Confirm the Invoice");

    case PD_SETUP_STEP_NOTIFICATION:
      return _("PayMaster Reported the Payment");

    case PD_SETUP_STEP_SIGNATURE:
      return flow == PD_SETUP_FLOW_NOTIFICATIONS ? _("The Signature Is Valid")
                                                 : _("PayMaster Confirmed the Payment");

    case PD_SETUP_STEP_PAID:
      return _("The Invoice Is Paid");

    default:
      g_return_val_if_reached (NULL);
    }
}

/* Marks the steps the check's flow does without, with why. */
void
_pd_setup_check_skip_unused_steps (PdSetupCheck *self)
{
  switch (self->flow)
    {
    case PD_SETUP_FLOW_CALLBACKS:
      _pd_setup_check_mark_step (self, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_SKIPPED,
                                 _("Not used: with REST API v2, PayMaster does not ask before a "
                                   "payment."));
      break;

    case PD_SETUP_FLOW_CHECKING:
      _pd_setup_check_mark_step (self, PD_SETUP_STEP_PREREQUEST, PD_SETUP_STEP_SKIPPED,
                                 _("Not used: with Checking only, PayMaster does not call Paydesk."));
      _pd_setup_check_mark_step (self, PD_SETUP_STEP_NOTIFICATION, PD_SETUP_STEP_SKIPPED,
                                 _("Not used: Paydesk asks PayMaster about the payment instead."));
      break;

    case PD_SETUP_FLOW_NOTIFICATIONS:
    default:
      break;
    }
}

/* The step that waits once the payment link is out: where what stops the
 * check before the payment is shown. */
PdSetupStep
_pd_setup_check_first_wait (PdSetupCheck *self)
{
  switch (self->flow)
    {
    case PD_SETUP_FLOW_CALLBACKS:
      return PD_SETUP_STEP_NOTIFICATION;

    case PD_SETUP_FLOW_CHECKING:
      return PD_SETUP_STEP_SIGNATURE;

    case PD_SETUP_FLOW_NOTIFICATIONS:
    default:
      return PD_SETUP_STEP_PREREQUEST;
    }
}

/* The REST v2 token is on the site page; the classic API user, who only
 * checks, is with the other ways payments arrive on the address page. */
PdSetupFix
_pd_setup_check_fix_for_api_error (PdSetupCheck *self,
                                   const GError *error)
{
  if (error == NULL || error->domain != PD_API_ERROR)
    return PD_SETUP_FIX_NONE;

  switch ((PdApiError) error->code)
    {
    case PD_API_ERROR_NO_CREDENTIALS:
    case PD_API_ERROR_NOT_AUTHORIZED:
      return self->shop->protocol == PD_PROTOCOL_V2 ? PD_SETUP_FIX_SITE : PD_SETUP_FIX_ADDRESS;

    case PD_API_ERROR_BAD_HASH:
      return PD_SETUP_FIX_ADDRESS;

    case PD_API_ERROR_VALIDATION:
    case PD_API_ERROR_INVALID_OPERATION:
    case PD_API_ERROR_FAILED:
      return PD_SETUP_FIX_SITE;

    case PD_API_ERROR_NETWORK:
    case PD_API_ERROR_INVALID_URL:
    case PD_API_ERROR_HTTP:
    case PD_API_ERROR_SERVER:
    case PD_API_ERROR_INVALID_RESPONSE:
    case PD_API_ERROR_IDEMPOTENCY_KEY:
    case PD_API_ERROR_NOT_FOUND:
    case PD_API_ERROR_NONCE_REUSED:
    case PD_API_ERROR_TOO_MANY_PAGES:
    default:
      return PD_SETUP_FIX_NONE;
    }
}
