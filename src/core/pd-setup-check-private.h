/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-ledger.h"
#include "pd-paymaster-api.h"
#include "pd-setup-check.h"

G_BEGIN_DECLS

/* How the check follows the payment of its invoice, in files by job:
 * pd-setup-check.c the object, saving and the outcome; -steps what each
 * step is called and which a flow leaves out; -invoice the test invoice;
 * -inbound what PayMaster sends to the listener; -checking asking
 * PayMaster through the sync schedule. */
typedef enum
{
  PD_SETUP_FLOW_NOTIFICATIONS,   /* classic: pre-request, signed notification */
  PD_SETUP_FLOW_CALLBACKS,       /* REST API v2: a callback, confirmed with PayMaster */
  PD_SETUP_FLOW_CHECKING,        /* Checking only: Paydesk asks PayMaster itself */
} PdSetupFlow;

struct _PdSetupCheck
{
  GObject            parent_instance;

  PdService         *service;
  PdShop            *shop;               /* the settings being checked */
  char              *secret;             /* NULL keeps the current key */
  char              *api_token;          /* NULL keeps the stored token */
  char              *sync_mode;          /* NULL leaves how payments arrive alone */
  char              *api_login;
  char              *api_password;       /* NULL keeps the stored one */

  PdSetupFlow        flow;
  PdSetupCheckState  state;
  PdSetupFix         fix;
  PdSetupStepState   steps[PD_SETUP_N_STEPS];
  char              *details[PD_SETUP_N_STEPS];
  char              *description;
  gboolean           saving;
  gboolean           configured;
  gboolean           timed_out;
  guint              state_changes;
  guint              state_changes_before;
  gint64             invoice_id;
  char              *invoice_number;
  char              *payment_id;         /* REST v2: PayMaster's id of the invoice's payment */
  char              *payment_url;
  guint              request_timeout;    /* seconds; 0 for the mode's default */
  guint              request_timeout_id;
  guint              checking_id;        /* the next time to ask PayMaster */
};

/* The test invoice as issued, with its lines for the payment link. */
typedef struct
{
  PdInvoice *invoice;
  GPtrArray *lines;
} PdSetupCheckInvoice;

void         _pd_setup_check_invoice_free       (PdSetupCheckInvoice  *check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdSetupCheckInvoice, _pd_setup_check_invoice_free)

/* pd-setup-check.c */
gboolean     _pd_setup_check_is_active          (PdSetupCheck         *self);
gboolean     _pd_setup_check_is_sandbox         (PdSetupCheck         *self);
void         _pd_setup_check_mark_step          (PdSetupCheck         *self,
                                                 PdSetupStep           step,
                                                 PdSetupStepState      state,
                                                 const char           *detail);
void         _pd_setup_check_fail_step          (PdSetupCheck         *self,
                                                 PdSetupStep           step,
                                                 const char           *reason,
                                                 PdSetupFix            fix);
void         _pd_setup_check_goes_on            (PdSetupCheck         *self);
void         _pd_setup_check_record_payment     (PdSetupCheck         *self,
                                                 const PdLedgerDecision *decision);
void         _pd_setup_check_set_timed_out      (PdSetupCheck         *self,
                                                 gboolean              timed_out);

/* pd-setup-check-steps.c */
PdSetupFlow  _pd_setup_check_choose_flow        (const PdShop         *shop,
                                                 const char           *sync_mode);
const char  *_pd_setup_check_step_title         (PdSetupFlow           flow,
                                                 PdSetupStep           step);
void         _pd_setup_check_skip_unused_steps  (PdSetupCheck         *self);
PdSetupStep  _pd_setup_check_first_wait         (PdSetupCheck         *self);
PdSetupFix   _pd_setup_check_fix_for_api_error  (PdSetupCheck         *self,
                                                 const GError         *error);

/* pd-setup-check-invoice.c */
void         _pd_setup_check_issue_async        (PdService            *service,
                                                 const PdShop         *shop,
                                                 PdPaymasterApi       *api,
                                                 gint64                previous_invoice_id,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
PdSetupCheckInvoice *_pd_setup_check_issue_finish (GAsyncResult       *result,
                                                   GError            **error);

/* pd-setup-check-inbound.c */
void         _pd_setup_check_inbound_begin      (PdSetupCheck         *self);
void         _pd_setup_check_inbound_event      (PdSetupCheck         *self,
                                                 const PdLedgerDecision *decision);
void         _pd_setup_check_found_by_asking    (PdSetupCheck         *self,
                                                 const PdLedgerDecision *decision);

/* pd-setup-check-checking.c */
void         _pd_setup_check_checking_begin     (PdSetupCheck         *self);
void         _pd_setup_check_checking_event     (PdSetupCheck         *self,
                                                 const PdLedgerDecision *decision);
void         _pd_setup_check_checking_stop      (PdSetupCheck         *self);

G_END_DECLS
