/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pd-service.h"
#include "pd-shop.h"

G_BEGIN_DECLS

/* What the setup check invoices: 50 RUB, in kopecks. */
#define PD_SETUP_CHECK_PRICE 5000
#define PD_SETUP_DEFAULT_PORT 8080

/* The settings the check saves, as the setup wizard's pages hold them:
 * text as typed is cleaned and checked here, and the pages only show it. */
typedef struct
{
  PdShopMode   mode;            /* SANDBOX, or TEST or LIVE for a PayMaster site */
  const char  *merchant_id;     /* as typed; unused for the sandbox */
  PdHashAlg    hash_alg;        /* unused for the sandbox */
  guint        port;
  gboolean     all_interfaces;  /* FALSE listens on this computer only */
  const char  *public_url;      /* as typed */
} PdSetupEntries;

char     *pd_setup_clean_merchant_id   (const char           *text);
gboolean  pd_setup_parse_port          (const char           *text,
                                        guint                *port);
char     *pd_setup_clean_public_url    (const char           *text);
gboolean  pd_setup_public_url_is_valid (const char           *url,
                                        gboolean             *loopback);
char     *pd_setup_local_url           (guint                 port);
void      pd_setup_read_listen         (const PdShop         *shop,
                                        guint                *port,
                                        gboolean             *all_interfaces);
PdShop   *pd_setup_build_shop          (const PdSetupEntries *entries,
                                        const PdShop         *current);

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
                                                       const char    *secret);
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
const char        *pd_setup_check_get_step_detail     (PdSetupCheck  *self,
                                                       PdSetupStep    step);

G_END_DECLS
