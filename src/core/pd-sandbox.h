/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "pd-types.h"

G_BEGIN_DECLS

#define PD_TYPE_SANDBOX (pd_sandbox_get_type ())

G_DECLARE_FINAL_TYPE (PdSandbox, pd_sandbox, PD, SANDBOX, GObject)

/* How many times the sandbox tries to deliver a notification or a v2
 * callback. */
#define PD_SANDBOX_MAX_ATTEMPTS 8

PdSandbox *pd_sandbox_new              (PdHashAlg    hash_alg,
                                        const char  *secret,
                                        gboolean     test_site);
GStrv      pd_sandbox_attach           (PdSandbox   *self,
                                        SoupServer  *server,
                                        const char  *prefix);
void       pd_sandbox_set_retry_delay  (PdSandbox   *self,
                                        guint        first_delay_ms);
guint      pd_sandbox_get_n_in_progress (PdSandbox   *self);
void       pd_sandbox_set_delivers_notifications (PdSandbox *self,
                                                  gboolean   delivers_notifications);
void       pd_sandbox_set_api_user     (PdSandbox   *self,
                                        const char  *login,
                                        const char  *password);
void       pd_sandbox_set_api_token    (PdSandbox   *self,
                                        const char  *token);
void       pd_sandbox_set_page_size    (PdSandbox   *self,
                                        guint        page_size);
void       pd_sandbox_set_callback_bom (PdSandbox   *self,
                                        gboolean     callback_bom);

G_END_DECLS
