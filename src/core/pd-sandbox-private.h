/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pd-api-records.h"
#include "pd-form.h"
#include "pd-sandbox.h"

G_BEGIN_DECLS

/* The sandbox's payments and its classic status API
 * (pd-sandbox-status.c), shared with the checkout (pd-sandbox.c). */

typedef struct _PdSandboxStatus PdSandboxStatus;

PdSandboxStatus *_pd_sandbox_status_new           (void);
void             _pd_sandbox_status_free          (PdSandboxStatus *status);
void             _pd_sandbox_status_set_api_user  (PdSandboxStatus *status,
                                                   const char      *login,
                                                   const char      *password);
void             _pd_sandbox_status_record        (PdSandboxStatus *status,
                                                   const char      *payment_id,
                                                   const PdForm    *link,
                                                   const char      *description,
                                                   PdClassicState   state,
                                                   gboolean         is_test);
PdSandboxStatus *_pd_sandbox_get_status           (PdSandbox       *sandbox);
char            *_pd_sandbox_status_attach        (PdSandbox       *sandbox,
                                                   SoupServer      *server,
                                                   const char      *prefix);

G_END_DECLS
