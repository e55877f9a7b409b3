/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-setup-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-money.h"
#include "pd-setup-check-private.h"
#include "pd-sync-settings.h"

/* The check the setup wizard ends with, which merchants are otherwise told
 * to do by hand: it saves the settings, issues a 50 RUB test invoice and
 * follows its payment step by step, saying in words what went wrong when
 * a step fails. How it follows the payment depends on how payments arrive
 * (see pd-setup-check-private.h). It has no pixels: the wizard shows its
 * steps and state, and opens the payment link once it is set. */

G_DEFINE_FINAL_TYPE (PdSetupCheck, pd_setup_check, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PdSetupStep, pd_setup_step,
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_LISTENER, "listener"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_PREREQUEST, "prerequest"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_NOTIFICATION, "notification"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_SIGNATURE, "signature"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_PAID, "paid"))

G_DEFINE_ENUM_TYPE (PdSetupStepState, pd_setup_step_state,
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_BUSY, "busy"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_DONE, "done"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_WARNING, "warning"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_STEP_SKIPPED, "skipped"))

G_DEFINE_ENUM_TYPE (PdSetupCheckState, pd_setup_check_state,
  G_DEFINE_ENUM_VALUE (PD_SETUP_CHECK_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_CHECK_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_CHECK_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_CHECK_PASSED, "passed"))

G_DEFINE_ENUM_TYPE (PdSetupFix, pd_setup_fix,
  G_DEFINE_ENUM_VALUE (PD_SETUP_FIX_NONE, "none"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_FIX_SITE, "site"),
  G_DEFINE_ENUM_VALUE (PD_SETUP_FIX_ADDRESS, "address"))

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_STATE,
  PROP_DESCRIPTION,
  PROP_FIX,
  PROP_SAVING,
  PROP_CONFIGURED,
  PROP_TIMED_OUT,
  PROP_INVOICE_NUMBER,
  PROP_PAYMENT_URL,
  PROP_REQUEST_TIMEOUT,
  N_PROPS
};

enum {
  STEP_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The check */

gboolean
_pd_setup_check_is_active (PdSetupCheck *self)
{
  return self->state == PD_SETUP_CHECK_RUNNING || self->state == PD_SETUP_CHECK_FAILED;
}

static PdShopMode
check_mode (PdSetupCheck *self)
{
  return self->shop != NULL ? self->shop->mode : PD_SHOP_MODE_LIVE;
}

gboolean
_pd_setup_check_is_sandbox (PdSetupCheck *self)
{
  return check_mode (self) == PD_SHOP_MODE_SANDBOX;
}

/* What the merchant is to do with the test invoice. */
static char *
describe_payment (PdSetupCheck *self)
{
  PdShopMode mode = check_mode (self);
  g_autofree char *amount = NULL;

  if (mode == PD_SHOP_MODE_SANDBOX)
    return g_strdup (_("Paydesk saved the settings and issued a test invoice. On its "
                       "payment page (see below) press Pay, and watch each step here."));
  if (mode == PD_SHOP_MODE_TEST)
    return g_strdup (_("Paydesk saved the settings and issued a test invoice. Pay it on "
                       "its payment page (see below): the site is in test mode, so no "
                       "money moves."));
  amount = pd_money_format_display (PD_SETUP_CHECK_PRICE, "RUB");
  return g_strdup_printf (_("Paydesk saved the settings and issued a test invoice. "
                            "Pay it on its payment page (see below): the site is in "
                            "working mode, so this is a real payment of %s to your own "
                            "shop."), amount);
}

static char *
build_description (PdSetupCheck *self)
{
  PdShopMode mode = check_mode (self);

  switch (self->state)
    {
    case PD_SETUP_CHECK_IDLE:
    case PD_SETUP_CHECK_RUNNING:
      if (self->payment_url == NULL)
        return g_strdup (_("Saving the settings…"));
      if (self->flow == PD_SETUP_FLOW_CHECKING)
        {
          g_autofree char *payment = describe_payment (self);

          return g_strdup_printf ("%s %s", payment,
                                  _("Nothing needs to reach this computer: Paydesk asks PayMaster "
                                    "about the payment every few seconds."));
        }
      return describe_payment (self);

    case PD_SETUP_CHECK_FAILED:
      return g_strdup (self->timed_out
                       ? _("The step marked below says what is wrong. Paydesk keeps listening "
                           "meanwhile: if the request arrives, the check goes on.")
                       : _("The step marked below says what is wrong. Fix it, then run the "
                           "check again."));

    case PD_SETUP_CHECK_PASSED:
      if (mode == PD_SHOP_MODE_SANDBOX)
        return g_strdup (_("The test payment went through from start to finish. When you have "
                           "a PayMaster site, choose Run Setup Again in the menu to connect it."));
      if (mode == PD_SHOP_MODE_TEST)
        return g_strdup (_("The test payment went through from start to finish. When PayMaster "
                           "switches your site to working mode, run the setup again and choose "
                           "Working Mode."));
      return g_strdup (_("The payment went through from start to finish: Paydesk is ready "
                         "for your customers."));

    default:
      g_return_val_if_reached (NULL);
    }
}

static void
update_description (PdSetupCheck *self)
{
  g_autofree char *description = build_description (self);

  if (g_strcmp0 (description, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_steal_pointer (&description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

static void
set_state (PdSetupCheck      *self,
           PdSetupCheckState  state)
{
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  update_description (self);
}

void
_pd_setup_check_set_timed_out (PdSetupCheck *self,
                               gboolean      timed_out)
{
  if (self->timed_out == timed_out)
    return;
  self->timed_out = timed_out;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMED_OUT]);
  update_description (self);
}

static void
set_saving (PdSetupCheck *self,
            gboolean      saving)
{
  if (self->saving == saving)
    return;
  self->saving = saving;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
}

static void
set_fix (PdSetupCheck *self,
         PdSetupFix    fix)
{
  if (self->fix == fix)
    return;
  self->fix = fix;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIX]);
}

static void
set_payment_url (PdSetupCheck *self,
                 const char   *url)
{
  if (g_strcmp0 (self->payment_url, url) == 0)
    return;
  g_free (self->payment_url);
  self->payment_url = g_strdup (url);
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYMENT_URL]);
}

static void
set_invoice (PdSetupCheck *self,
             gint64        id,
             const char   *number)
{
  self->invoice_id = id;
  if (g_strcmp0 (self->invoice_number, number) == 0)
    return;
  g_free (self->invoice_number);
  self->invoice_number = g_strdup (number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVOICE_NUMBER]);
}

void
_pd_setup_check_mark_step (PdSetupCheck     *self,
                           PdSetupStep       step,
                           PdSetupStepState  state,
                           const char       *detail)
{
  self->steps[step] = state;
  g_free (self->details[step]);
  self->details[step] = g_strdup (detail);
  g_signal_emit (self, signals[STEP_CHANGED], 0, step, state, detail);
}

/* A site fix is the settings PayMaster itself checks; an address fix is
 * what leads PayMaster to the listener. */
void
_pd_setup_check_fail_step (PdSetupCheck *self,
                           PdSetupStep   step,
                           const char   *reason,
                           PdSetupFix    fix)
{
  _pd_setup_check_mark_step (self, step, PD_SETUP_STEP_FAILED, reason);
  set_fix (self, fix);
  set_state (self, PD_SETUP_CHECK_FAILED);
}

/* A request arrived and went well: whatever failed before (a timeout, a
 * signature PayMaster has since fixed) no longer stands. */
void
_pd_setup_check_goes_on (PdSetupCheck *self)
{
  if (self->state == PD_SETUP_CHECK_FAILED)
    set_state (self, PD_SETUP_CHECK_RUNNING);
}


/* PayMaster's word on the payment is in: a payment the ledger flagged (a
 * test payment on a site in working mode, say) does not pay the invoice. */
void
_pd_setup_check_record_payment (PdSetupCheck           *self,
                                const PdLedgerDecision *decision)
{
  if (decision->verdict == PD_VERDICT_FLAGGED)
    {
      _pd_setup_check_fail_step (self, PD_SETUP_STEP_PAID, decision->reason, PD_SETUP_FIX_SITE);
      return;
    }
  if (self->steps[PD_SETUP_STEP_PAID] != PD_SETUP_STEP_DONE)
    _pd_setup_check_mark_step (self, PD_SETUP_STEP_PAID, PD_SETUP_STEP_BUSY, _("Recording the payment…"));
  _pd_setup_check_goes_on (self);
}

/* The test invoice */

static void
set_payment_id (PdSetupCheck *self,
                const char   *payment_id)
{
  g_free (self->payment_id);
  self->payment_id = g_strdup (payment_id);
}

static void
check_invoice_issued_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(PdSetupCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSetupCheckInvoice) check = _pd_setup_check_issue_finish (result, &error);
  PdInvoice *invoice = check ? check->invoice : NULL;
  PdSetupStep step = _pd_setup_check_first_wait (self);
  g_autofree char *url = NULL;

  set_saving (self, FALSE);

  if (invoice == NULL)
    {
      g_autofree char *text = NULL;

      /* PayMaster's refusal names the invoice it did not make. */
      if (error->domain == PD_API_ERROR)
        {
          _pd_setup_check_fail_step (self, step, error->message,
                                     _pd_setup_check_fix_for_api_error (self, error));
          return;
        }
      text = g_strdup_printf (_("Paydesk could not create the test invoice: %s"), error->message);
      _pd_setup_check_fail_step (self, step, text, PD_SETUP_FIX_ADDRESS);
      return;
    }

  if (self->invoice_id != 0)
    pd_store_invoice_changed (pd_service_get_store (self->service), self->invoice_id, self->invoice_number);

  set_invoice (self, invoice->id, invoice->number);
  set_payment_id (self, invoice->paymaster_invoice_id);
  url = pd_service_payment_url (self->service, invoice, check->lines, &error);
  if (url == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Paydesk could not make the payment link of the "
                                                 "test invoice: %s"),
                                               error->message);

      _pd_setup_check_fail_step (self, step, text, PD_SETUP_FIX_SITE);
      return;
    }
  /* While the check runs, this is when the merchant is to pay. */
  set_payment_url (self, url);

  if (self->state != PD_SETUP_CHECK_RUNNING)
    return;
  if (self->flow == PD_SETUP_FLOW_CHECKING)
    _pd_setup_check_checking_begin (self);
  else
    _pd_setup_check_inbound_begin (self);
}

/* The service has read the credential it asks PayMaster with, so the
 * listener can confirm REST v2 callbacks and the schedule can check. A
 * token given to the check makes its REST v2 invoice. */
static void
api_ready_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PdSetupCheck) self = user_data;
  g_autoptr(PdPaymasterApi) api = pd_service_dup_api_finish (PD_SERVICE (object), result, NULL);

  if (self->state != PD_SETUP_CHECK_RUNNING)
    {
      set_saving (self, FALSE);
      return;
    }

  if (self->api_token != NULL && self->shop->protocol == PD_PROTOCOL_V2)
    {
      g_clear_object (&api);
      api = pd_paymaster_api_new (self->shop->paymaster_url);
      pd_paymaster_api_set_token (api, self->api_token);
    }
  _pd_setup_check_issue_async (self->service, self->shop, api, self->invoice_id,
                               check_invoice_issued_cb, g_object_ref (self));
}

static void
listener_ready (PdSetupCheck *self)
{
  _pd_setup_check_mark_step (self, PD_SETUP_STEP_LISTENER, PD_SETUP_STEP_DONE,
                             pd_service_get_state_text (self->service));
  pd_service_dup_api_async (self->service, NULL, api_ready_cb, g_object_ref (self));
}

static void
listener_failed (PdSetupCheck *self,
                 const GError *error)
{
  set_saving (self, FALSE);
  /* A missing key is fixed where it is entered; anything else is the
   * address the listener could not take. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    _pd_setup_check_fail_step (self, PD_SETUP_STEP_LISTENER, error->message, PD_SETUP_FIX_SITE);
  else
    _pd_setup_check_fail_step (self, PD_SETUP_STEP_LISTENER, pd_service_get_state_text (self->service),
               PD_SETUP_FIX_ADDRESS);
}

static void
service_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdSetupCheck) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pd_service_start_finish (PD_SERVICE (object), result, &error))
    {
      if (self->state == PD_SETUP_CHECK_RUNNING)
        listener_failed (self, error);
      return;
    }
  if (self->state == PD_SETUP_CHECK_RUNNING)
    listener_ready (self);
}

static void
configured_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdSetupCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved = pd_service_configure_finish (PD_SERVICE (object), result, &error);
  gboolean configured = pd_service_is_set_up (self->service);

  if (self->configured != configured)
    {
      self->configured = configured;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIGURED]);
    }
  if (self->state != PD_SETUP_CHECK_RUNNING)
    {
      set_saving (self, FALSE);
      return;
    }

  if (!saved)
    {
      /* The listener says why it did not start in the service's state;
       * anything else stopped the settings from being saved. */
      if (self->state_changes != self->state_changes_before &&
          pd_service_get_state (self->service) == PD_SERVICE_FAILED)
        listener_failed (self, error);
      else
        {
          g_autofree char *text = g_strdup_printf (_("Paydesk could not save the settings: %s"),
                                                   error->message);

          set_saving (self, FALSE);
          _pd_setup_check_fail_step (self, PD_SETUP_STEP_LISTENER, text, PD_SETUP_FIX_SITE);
        }
      return;
    }

  /* Keeping the current key, the service may not have read it yet. */
  if (pd_service_get_state (self->service) != PD_SERVICE_LISTENING)
    {
      pd_service_start_async (self->service, NULL, service_started_cb, g_object_ref (self));
      return;
    }

  listener_ready (self);
}

static void
paid_invoice_read_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PdSetupCheck) self = user_data;
  g_autoptr(PdInvoice) invoice = pd_store_read_finish (PD_STORE (object), result, NULL);
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;

  if (invoice == NULL || invoice->id != self->invoice_id || invoice->status != PD_INVOICE_PAID ||
      !_pd_setup_check_is_active (self))
    return;

  amount = pd_money_format_display (invoice->amount, invoice->currency);
  text = g_strdup_printf (_("Invoice %s is paid: %s."), invoice->number, amount);
  for (guint i = 0; i < PD_SETUP_N_STEPS; i++)
    if (self->steps[i] == PD_SETUP_STEP_PENDING || self->steps[i] == PD_SETUP_STEP_BUSY)
      _pd_setup_check_mark_step (self, i, PD_SETUP_STEP_DONE, NULL);
  _pd_setup_check_mark_step (self, PD_SETUP_STEP_PAID, PD_SETUP_STEP_DONE, text);
  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  _pd_setup_check_checking_stop (self);
  _pd_setup_check_set_timed_out (self, FALSE);
  set_fix (self, PD_SETUP_FIX_NONE);
  set_state (self, PD_SETUP_CHECK_PASSED);
}

static void
invoice_changed_cb (PdStore      *store,
                    gint64        invoice_id,
                    const char   *number,
                    PdSetupCheck *self)
{
  if (invoice_id == 0 || invoice_id != self->invoice_id || !_pd_setup_check_is_active (self))
    return;

  pd_store_read_invoice_async (store, invoice_id, NULL, paid_invoice_read_cb, g_object_ref (self));
}


static void
event_recorded_cb (PdStore      *store,
                   gpointer      data,
                   PdSetupCheck *self)
{
  const PdLedgerDecision *decision = data;

  if (self->invoice_id == 0 || !_pd_setup_check_is_active (self))
    return;

  if (self->flow == PD_SETUP_FLOW_CHECKING)
    _pd_setup_check_checking_event (self, decision);
  else
    _pd_setup_check_inbound_event (self, decision);
}

static void
service_state_cb (PdService    *service,
                  GParamSpec   *pspec,
                  PdSetupCheck *self)
{
  self->state_changes++;

  /* The listener stopped under a running check, say by another program. */
  if (self->state == PD_SETUP_CHECK_RUNNING && self->steps[PD_SETUP_STEP_LISTENER] == PD_SETUP_STEP_DONE &&
      pd_service_get_state (service) == PD_SERVICE_FAILED)
    _pd_setup_check_fail_step (self, PD_SETUP_STEP_LISTENER, pd_service_get_state_text (service), PD_SETUP_FIX_ADDRESS);
}

/**
 * pd_setup_check_new:
 * @service: the service whose settings the check saves and whose listener
 *   it follows
 *
 * Returns: (transfer full): an idle check
 */
PdSetupCheck *
pd_setup_check_new (PdService *service)
{
  g_return_val_if_fail (PD_IS_SERVICE (service), NULL);

  return g_object_new (PD_TYPE_SETUP_CHECK, "service", service, NULL);
}

PdService *
pd_setup_check_get_service (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), NULL);
  return self->service;
}

static void
sync_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdSetupCheck) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pd_sync_settings_save_finish (PD_SERVICE (object), result, &error))
    {
      if (self->state == PD_SETUP_CHECK_RUNNING)
        {
          g_autofree char *text = g_strdup_printf (_("Paydesk could not save the settings: %s"),
                                                   error->message);

          set_saving (self, FALSE);
          _pd_setup_check_fail_step (self, PD_SETUP_STEP_LISTENER, text, PD_SETUP_FIX_ADDRESS);
        }
      else
        set_saving (self, FALSE);
      return;
    }
  if (self->state != PD_SETUP_CHECK_RUNNING)
    {
      set_saving (self, FALSE);
      return;
    }
  pd_service_configure_async (self->service, self->shop, self->secret, self->api_token, NULL,
                              configured_cb, g_object_ref (self));
}

/**
 * pd_setup_check_set_sync:
 * @entries: how payments arrive, in its sync_mode, api_login and
 *   api_password; a %NULL sync_mode leaves the stored settings alone
 *
 * What the next pd_setup_check_start() stores with the site's settings,
 * before the listener restarts.
 */
void
pd_setup_check_set_sync (PdSetupCheck         *self,
                         const PdSetupEntries *entries)
{
  g_return_if_fail (PD_IS_SETUP_CHECK (self));
  g_return_if_fail (entries != NULL);

  g_free (self->sync_mode);
  g_free (self->api_login);
  g_free (self->api_password);
  self->sync_mode = g_strdup (entries->sync_mode);
  self->api_login = entries->sync_mode ? pd_setup_clean_api_login (entries->api_login) : NULL;
  self->api_password = entries->sync_mode && entries->api_password && *entries->api_password != '\0'
                       ? g_strdup (entries->api_password) : NULL;
}

/**
 * pd_setup_check_start:
 * @shop: the settings to save and check
 * @secret: (nullable): the secret key to save; %NULL keeps the one the
 *   keyring has for a PayMaster site, and makes up a new one for the
 *   sandbox, which signs with whatever key it is given
 * @api_token: (nullable): the REST API v2 token to save; %NULL or empty
 *   keeps the stored one
 *
 * Saves @shop, (re)starts the listener, issues a test invoice (cancelling
 * the unpaid one of an earlier run) and follows its payment. Every step
 * starts over as pending. Start a check that is not #PdSetupCheck:saving:
 * what an earlier start saves and issues would cross this one's.
 */
void
pd_setup_check_start (PdSetupCheck *self,
                      const PdShop *shop,
                      const char   *secret,
                      const char   *api_token)
{
  g_return_if_fail (PD_IS_SETUP_CHECK (self));
  g_return_if_fail (shop != NULL && shop->merchant_id != NULL);

  if (shop != self->shop)
    {
      g_clear_pointer (&self->shop, pd_shop_free);
      self->shop = pd_shop_copy (shop);
    }
  if (secret != self->secret || secret == NULL)
    {
      g_free (self->secret);
      self->secret = secret == NULL && shop->mode == PD_SHOP_MODE_SANDBOX ? g_uuid_string_random ()
                                                                          : g_strdup (secret);
    }
  if (api_token != self->api_token)
    {
      g_free (self->api_token);
      self->api_token = api_token != NULL && *api_token != '\0' ? g_strdup (api_token) : NULL;
    }

  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  _pd_setup_check_checking_stop (self);
  self->flow = _pd_setup_check_choose_flow (self->shop, self->sync_mode);
  set_payment_url (self, NULL);
  _pd_setup_check_set_timed_out (self, FALSE);
  set_fix (self, PD_SETUP_FIX_NONE);
  set_saving (self, TRUE);
  self->state_changes_before = self->state_changes;

  for (guint i = 0; i < PD_SETUP_N_STEPS; i++)
    _pd_setup_check_mark_step (self, i, PD_SETUP_STEP_PENDING, NULL);
  _pd_setup_check_skip_unused_steps (self);
  _pd_setup_check_mark_step (self, PD_SETUP_STEP_LISTENER, PD_SETUP_STEP_BUSY,
                             _("Saving the settings and starting the listener…"));
  set_state (self, PD_SETUP_CHECK_RUNNING);

  /* How payments arrive is stored first, so that the schedule the
   * listener restarts with reads it. */
  if (self->sync_mode != NULL)
    pd_sync_settings_save_async (self->service, self->shop->merchant_id, self->sync_mode,
                                 self->api_login, self->api_password, NULL, sync_saved_cb,
                                 g_object_ref (self));
  else
    pd_service_configure_async (self->service, self->shop, self->secret, self->api_token, NULL,
                                configured_cb, g_object_ref (self));
}

/**
 * pd_setup_check_restart:
 *
 * Checks again with the settings of the last pd_setup_check_start().
 */
void
pd_setup_check_restart (PdSetupCheck *self)
{
  g_return_if_fail (PD_IS_SETUP_CHECK (self));
  g_return_if_fail (self->shop != NULL);

  pd_setup_check_cancel (self);
  pd_setup_check_start (self, self->shop, self->secret, self->api_token);
}

/**
 * pd_setup_check_cancel:
 *
 * Stops following the check: it goes idle and steps under way go back to
 * pending. Saving the settings and issuing the invoice, once begun, still
 * finish; the next start cancels that invoice.
 */
void
pd_setup_check_cancel (PdSetupCheck *self)
{
  g_return_if_fail (PD_IS_SETUP_CHECK (self));

  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  _pd_setup_check_checking_stop (self);
  for (guint i = 0; i < PD_SETUP_N_STEPS; i++)
    if (self->steps[i] == PD_SETUP_STEP_BUSY)
      _pd_setup_check_mark_step (self, i, PD_SETUP_STEP_PENDING, NULL);
  set_state (self, PD_SETUP_CHECK_IDLE);
}

PdSetupCheckState
pd_setup_check_get_state (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), PD_SETUP_CHECK_IDLE);
  return self->state;
}

/**
 * pd_setup_check_get_description:
 *
 * Returns: a sentence or two on where the check stands and what the
 *   merchant is to do next
 */
const char *
pd_setup_check_get_description (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), NULL);
  return self->description;
}

/**
 * pd_setup_check_get_fix:
 *
 * Returns: which settings to change, once the check has failed
 */
PdSetupFix
pd_setup_check_get_fix (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), PD_SETUP_FIX_NONE);
  return self->fix;
}

/**
 * pd_setup_check_get_saving:
 *
 * Returns: whether the check is saving the settings or issuing its
 *   invoice, which cannot be interrupted
 */
gboolean
pd_setup_check_get_saving (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), FALSE);
  return self->saving;
}

/**
 * pd_setup_check_get_configured:
 *
 * Returns: whether the check has saved settings with which Paydesk is set
 *   up (and so listens, or tries to)
 */
gboolean
pd_setup_check_get_configured (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), FALSE);
  return self->configured;
}

/**
 * pd_setup_check_get_timed_out:
 *
 * Returns: whether no request arrived within the request timeout. The
 *   check keeps following the invoice, so a late request still completes it.
 */
gboolean
pd_setup_check_get_timed_out (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), FALSE);
  return self->timed_out;
}

const char *
pd_setup_check_get_invoice_number (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), NULL);
  return self->invoice_number;
}

/**
 * pd_setup_check_get_payment_url:
 *
 * Returns: (nullable): the payment link of the test invoice, once issued
 */
const char *
pd_setup_check_get_payment_url (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), NULL);
  return self->payment_url;
}

guint
pd_setup_check_get_request_timeout (PdSetupCheck *self)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), 0);
  return self->request_timeout;
}

/**
 * pd_setup_check_set_request_timeout:
 * @seconds: how long to wait, or 0 for the default
 *
 * Sets #PdSetupCheck:request-timeout; a wait already under way keeps its
 * length.
 */
void
pd_setup_check_set_request_timeout (PdSetupCheck *self,
                                    guint         seconds)
{
  g_return_if_fail (PD_IS_SETUP_CHECK (self));
  g_return_if_fail (seconds <= G_MAXUINT / 1000);

  if (self->request_timeout == seconds)
    return;
  self->request_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_TIMEOUT]);
}

PdSetupStepState
pd_setup_check_get_step_state (PdSetupCheck *self,
                               PdSetupStep   step)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), PD_SETUP_STEP_PENDING);
  g_return_val_if_fail (step < PD_SETUP_N_STEPS, PD_SETUP_STEP_PENDING);
  return self->steps[step];
}

/**
 * pd_setup_check_get_step_title:
 *
 * Returns: what @step checks, as the protocol and the way payments arrive
 *   of the check under way have it (those of the notification flow while
 *   none is)
 */
const char *
pd_setup_check_get_step_title (PdSetupCheck *self,
                               PdSetupStep   step)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), NULL);
  g_return_val_if_fail (step < PD_SETUP_N_STEPS, NULL);
  return _pd_setup_check_step_title (self->flow, step);
}

/**
 * pd_setup_check_get_step_detail:
 *
 * Returns: (nullable): what @step is doing, or why it failed
 */
const char *
pd_setup_check_get_step_detail (PdSetupCheck *self,
                                PdSetupStep   step)
{
  g_return_val_if_fail (PD_IS_SETUP_CHECK (self), NULL);
  g_return_val_if_fail (step < PD_SETUP_N_STEPS, NULL);
  return self->details[step];
}

static void
pd_setup_check_constructed (GObject *object)
{
  PdSetupCheck *self = PD_SETUP_CHECK (object);

  G_OBJECT_CLASS (pd_setup_check_parent_class)->constructed (object);

  g_return_if_fail (PD_IS_SERVICE (self->service));

  g_signal_connect_object (self->service, "notify::state", G_CALLBACK (service_state_cb), self, 0);
  g_signal_connect_object (pd_service_get_store (self->service), "event-recorded",
                           G_CALLBACK (event_recorded_cb), self, 0);
  g_signal_connect_object (pd_service_get_store (self->service), "invoice-changed",
                           G_CALLBACK (invoice_changed_cb), self, 0);
}

static void
pd_setup_check_dispose (GObject *object)
{
  PdSetupCheck *self = PD_SETUP_CHECK (object);

  g_clear_handle_id (&self->request_timeout_id, g_source_remove);
  _pd_setup_check_checking_stop (self);
  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_signal_handlers_disconnect_by_data (pd_service_get_store (self->service), self);
    }
  g_clear_object (&self->service);

  G_OBJECT_CLASS (pd_setup_check_parent_class)->dispose (object);
}

static void
pd_setup_check_finalize (GObject *object)
{
  PdSetupCheck *self = PD_SETUP_CHECK (object);

  g_clear_pointer (&self->shop, pd_shop_free);
  g_free (self->secret);
  g_free (self->api_token);
  g_free (self->sync_mode);
  g_free (self->api_login);
  g_free (self->api_password);
  for (guint i = 0; i < PD_SETUP_N_STEPS; i++)
    g_free (self->details[i]);
  g_free (self->description);
  g_free (self->invoice_number);
  g_free (self->payment_id);
  g_free (self->payment_url);

  G_OBJECT_CLASS (pd_setup_check_parent_class)->finalize (object);
}

static void
pd_setup_check_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdSetupCheck *self = PD_SETUP_CHECK (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_FIX:
      g_value_set_enum (value, self->fix);
      break;

    case PROP_SAVING:
      g_value_set_boolean (value, self->saving);
      break;

    case PROP_CONFIGURED:
      g_value_set_boolean (value, self->configured);
      break;

    case PROP_TIMED_OUT:
      g_value_set_boolean (value, self->timed_out);
      break;

    case PROP_INVOICE_NUMBER:
      g_value_set_string (value, self->invoice_number);
      break;

    case PROP_PAYMENT_URL:
      g_value_set_string (value, self->payment_url);
      break;

    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_setup_check_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PdSetupCheck *self = PD_SETUP_CHECK (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;

    case PROP_REQUEST_TIMEOUT:
      pd_setup_check_set_request_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_setup_check_class_init (PdSetupCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pd_setup_check_constructed;
  object_class->dispose = pd_setup_check_dispose;
  object_class->finalize = pd_setup_check_finalize;
  object_class->get_property = pd_setup_check_get_property;
  object_class->set_property = pd_setup_check_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, PD_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PD_TYPE_SETUP_CHECK_STATE, PD_SETUP_CHECK_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * PdSetupCheck:description:
   *
   * A sentence or two on where the check stands, for the top of the page
   * that shows it.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FIX] =
    g_param_spec_enum ("fix", NULL, NULL, PD_TYPE_SETUP_FIX, PD_SETUP_FIX_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SAVING] =
    g_param_spec_boolean ("saving", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONFIGURED] =
    g_param_spec_boolean ("configured", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TIMED_OUT] =
    g_param_spec_boolean ("timed-out", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INVOICE_NUMBER] =
    g_param_spec_string ("invoice-number", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * PdSetupCheck:payment-url:
   *
   * The payment link of the check's test invoice, once issued. It is set
   * while the check runs when the merchant is to pay: a UI opens it then.
   */
  properties[PROP_PAYMENT_URL] =
    g_param_spec_string ("payment-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * PdSetupCheck:request-timeout:
   *
   * How many seconds the check waits for PayMaster's first request before
   * it says that PayMaster cannot reach Paydesk; 0 waits 3 minutes for a
   * PayMaster site and 30 seconds for the sandbox. The check keeps
   * following the invoice after that, so a late request still completes it.
   */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 0, G_MAXUINT / 1000, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdSetupCheck::step-changed:
   * @step: the #PdSetupStep
   * @state: its new #PdSetupStepState
   * @detail: (nullable): what it is doing, what it found, or why it failed
   */
  signals[STEP_CHANGED] =
    g_signal_new ("step-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  PD_TYPE_SETUP_STEP, PD_TYPE_SETUP_STEP_STATE, G_TYPE_STRING);
}

static void
pd_setup_check_init (PdSetupCheck *self)
{
  self->description = build_description (self);
}

