/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pd-service.h"
#include "pd-setup-entries.h"

G_BEGIN_DECLS

/* What the setup check invoices: 50 RUB, in kopecks. */
#define PD_SETUP_CHECK_PRICE 5000

/* The steps of the check, in the order a payment passes them. */
typedef enum
{
  PD_SETUP_STEP_LISTENER,
  PD_SETUP_STEP_PREREQUEST,
  PD_SETUP_STEP_NOTIFICATION,
  PD_SETUP_STEP_SIGNATURE,
  PD_SETUP_STEP_PAID,
} PdSetupStep;

#define PD_SETUP_N_STEPS 5

typedef enum
{
  PD_SETUP_STEP_PENDING,
  PD_SETUP_STEP_BUSY,
  PD_SETUP_STEP_DONE,
  PD_SETUP_STEP_WARNING,
  PD_SETUP_STEP_FAILED,
  PD_SETUP_STEP_SKIPPED,   /* not used by the protocol or the way payments arrive */
} PdSetupStepState;

typedef enum
{
  PD_SETUP_CHECK_IDLE,
  PD_SETUP_CHECK_RUNNING,
  PD_SETUP_CHECK_FAILED,
  PD_SETUP_CHECK_PASSED,
} PdSetupCheckState;

/* Which settings a failed check asks the merchant to change. */
typedef enum
{
  PD_SETUP_FIX_NONE,
  PD_SETUP_FIX_SITE,      /* identifier, secret key, signature type, mode */
  PD_SETUP_FIX_ADDRESS,   /* port, public address, what leads to them */
} PdSetupFix;

#define PD_TYPE_SETUP_STEP        (pd_setup_step_get_type ())
#define PD_TYPE_SETUP_STEP_STATE  (pd_setup_step_state_get_type ())
#define PD_TYPE_SETUP_CHECK_STATE (pd_setup_check_state_get_type ())
#define PD_TYPE_SETUP_FIX         (pd_setup_fix_get_type ())
#define PD_TYPE_SETUP_CHECK       (pd_setup_check_get_type ())

GType pd_setup_step_get_type        (void) G_GNUC_CONST;
GType pd_setup_step_state_get_type  (void) G_GNUC_CONST;
GType pd_setup_check_state_get_type (void) G_GNUC_CONST;
GType pd_setup_fix_get_type         (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (PdSetupCheck, pd_setup_check, PD, SETUP_CHECK, GObject)

PdSetupCheck      *pd_setup_check_new                 (PdService     *service);
PdService         *pd_setup_check_get_service         (PdSetupCheck  *self);

void               pd_setup_check_start               (PdSetupCheck  *self,
                                                       const PdShop  *shop,
                                                       const char    *secret,
                                                       const char    *api_token);
void               pd_setup_check_set_sync            (PdSetupCheck          *self,
                                                       const PdSetupEntries  *entries);
void               pd_setup_check_restart             (PdSetupCheck  *self);
void               pd_setup_check_cancel              (PdSetupCheck  *self);

PdSetupCheckState  pd_setup_check_get_state           (PdSetupCheck  *self);
const char        *pd_setup_check_get_description     (PdSetupCheck  *self);
PdSetupFix         pd_setup_check_get_fix             (PdSetupCheck  *self);
gboolean           pd_setup_check_get_saving          (PdSetupCheck  *self);
gboolean           pd_setup_check_get_configured      (PdSetupCheck  *self);
gboolean           pd_setup_check_get_timed_out       (PdSetupCheck  *self);
const char        *pd_setup_check_get_invoice_number  (PdSetupCheck  *self);
const char        *pd_setup_check_get_payment_url     (PdSetupCheck  *self);
guint              pd_setup_check_get_request_timeout (PdSetupCheck  *self);
void               pd_setup_check_set_request_timeout (PdSetupCheck  *self,
                                                       guint          seconds);

PdSetupStepState   pd_setup_check_get_step_state      (PdSetupCheck  *self,
                                                       PdSetupStep    step);
const char        *pd_setup_check_get_step_title      (PdSetupCheck  *self,
                                                       PdSetupStep    step);
const char        *pd_setup_check_get_step_detail     (PdSetupCheck  *self,
                                                       PdSetupStep    step);

G_END_DECLS
