/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-form.h"
#include "pd-shop.h"

G_BEGIN_DECLS

/* The paths the listener serves: the classic protocol's notifications,
 * REST API v2 callbacks, and the pages PayMaster sends the customer back to
 * (v2's return URL is the success page). */
#define PD_PATH_NOTIFY   "/paymaster/notify"
#define PD_PATH_CALLBACK "/paymaster/callback"
#define PD_PATH_SUCCESS  "/paymaster/success"
#define PD_PATH_FAILURE  "/paymaster/failure"
#define PD_PATH_SANDBOX  "/sandbox"

/* What goes into a payment link. */
typedef struct
{
  const char *number;
  gint64      amount;
  const char *currency;
  const char *description;
  const char *email;
  gint64      expires_at;   /* Unix seconds, 0 for none */
} PdPaymentRequest;

char     *pd_paymaster_digest_base64   (PdHashAlg      alg,
                                        const char    *data,
                                        gsize          length);
char     *pd_paymaster_signed_string   (const PdForm  *form,
                                        const char    *secret);
char     *pd_paymaster_mask_secret     (const char    *text,
                                        const char    *secret);
char     *pd_paymaster_sign            (const PdForm  *form,
                                        PdHashAlg      alg,
                                        const char    *secret);
gboolean  pd_paymaster_verify          (const PdForm  *form,
                                        PdHashAlg      alg,
                                        const char    *secret,
                                        char         **diagnosis);
gboolean  pd_paymaster_is_prerequest   (const PdForm  *form);

PdForm   *pd_paymaster_payment_form    (const PdShop           *shop,
                                        const PdPaymentRequest *request);
char     *pd_paymaster_payment_url     (const PdShop           *shop,
                                        const PdPaymentRequest *request);
char     *pd_paymaster_form_url        (const PdShop           *shop,
                                        const PdForm           *form);

G_END_DECLS
