/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pd-api-records.h"
#include "pd-json.h"

G_BEGIN_DECLS

/* A client for PayMaster's two HTTP APIs (spec sections 1.6 and 2): the
 * REST API v2 (invoices, payments, refunds; bearer token) and the classic
 * status and refund API (login, password, nonce and a SHA1 hash per call).
 * It only talks to PayMaster: what an answer means for an invoice is the
 * ledger's business. */

#define PD_TYPE_PAYMASTER_API (pd_paymaster_api_get_type ())

G_DECLARE_FINAL_TYPE (PdPaymasterApi, pd_paymaster_api, PD, PAYMASTER_API, GObject)

#define PD_API_ERROR (pd_api_error_quark ())

typedef enum
{
  PD_API_ERROR_NETWORK,           /* PayMaster could not be reached */
  PD_API_ERROR_INVALID_URL,       /* the configured address is not a web address */
  PD_API_ERROR_HTTP,              /* an HTTP error without an answer from PayMaster */
  PD_API_ERROR_SERVER,            /* HTTP 5xx: PayMaster's own trouble */
  PD_API_ERROR_INVALID_RESPONSE,  /* an answer that is not what the API sends */
  PD_API_ERROR_NO_CREDENTIALS,    /* no token, or no API user, is set */
  PD_API_ERROR_NOT_AUTHORIZED,    /* v2 not_authorized, HTTP 401 and 403 */
  PD_API_ERROR_VALIDATION,        /* v2 validation_error */
  PD_API_ERROR_IDEMPOTENCY_KEY,   /* v2 idempotency_key_violation */
  PD_API_ERROR_INVALID_OPERATION, /* v2 invalid_operation */
  PD_API_ERROR_NOT_FOUND,         /* HTTP 404, classic -13 */
  PD_API_ERROR_BAD_HASH,          /* classic -7: wrong password */
  PD_API_ERROR_NONCE_REUSED,      /* classic -14 */
  PD_API_ERROR_TOO_MANY_PAGES,    /* a listing longer than the page limit */
  PD_API_ERROR_FAILED,            /* any other refusal */
} PdApiError;

GQuark   pd_api_error_quark         (void);
gboolean pd_api_error_is_unanswered (const GError *error);

/* Adds members of the caller's own to the invoice object being built
 * (e.g. "receipt" or "paymentMethod"). Money goes in with
 * pd_json_builder_add_money(). */
typedef void (*PdApiAddMembersFunc) (JsonBuilder *builder,
                                     gpointer     user_data);

/* What POST /api/v2/invoices takes. Read only while
 * pd_paymaster_api_create_invoice_async() runs: nothing needs to outlive
 * the call. */
typedef struct
{
  const char          *merchant_id;
  gboolean             test_mode;
  const char          *description;
  const char          *order_no;
  gint64               expires_at;      /* Unix seconds, 0 for none */
  gint64               amount;          /* kopecks, > 0 */
  const char          *currency;
  const char          *return_url;
  const char          *callback_url;
  const char          *customer_email;  /* NULL or "" for none */
  const char          *customer_phone;  /* NULL or "" for none */
  JsonNode            *receipt;         /* copied in as "receipt" unless NULL */
  PdApiAddMembersFunc  add_members;     /* called last, may be NULL */
  gpointer             add_members_data;
} PdApiInvoiceRequest;

char         *pd_api_new_idempotency_key        (void);

/* Classic status and refund API */

char             *pd_classic_api_hash           (const char         *login,
                                                 const char         *password,
                                                 const char         *nonce,
                                                 const char * const *params);

/* The client */

PdPaymasterApi *pd_paymaster_api_new            (const char         *base_url);
const char     *pd_paymaster_api_get_base_url   (PdPaymasterApi     *self);
const char     *pd_paymaster_api_get_classic_url (PdPaymasterApi    *self);
guint           pd_paymaster_api_get_max_pages  (PdPaymasterApi     *self);
void            pd_paymaster_api_set_max_pages  (PdPaymasterApi     *self,
                                                 guint               max_pages);
void            pd_paymaster_api_set_token      (PdPaymasterApi     *self,
                                                 const char         *token);
void            pd_paymaster_api_set_classic_credentials (PdPaymasterApi *self,
                                                          const char     *login,
                                                          const char     *password);

void          pd_paymaster_api_create_invoice_async  (PdPaymasterApi            *self,
                                                      const PdApiInvoiceRequest *request,
                                                      const char                *idempotency_key,
                                                      GCancellable              *cancellable,
                                                      GAsyncReadyCallback        callback,
                                                      gpointer                   user_data);
gboolean      pd_paymaster_api_create_invoice_finish (PdPaymasterApi            *self,
                                                      GAsyncResult              *result,
                                                      char                     **payment_id,
                                                      char                     **url,
                                                      GError                   **error);
void          pd_paymaster_api_get_payment_async     (PdPaymasterApi            *self,
                                                      const char                *payment_id,
                                                      GCancellable              *cancellable,
                                                      GAsyncReadyCallback        callback,
                                                      gpointer                   user_data);
PdApiPayment *pd_paymaster_api_get_payment_finish    (PdPaymasterApi            *self,
                                                      GAsyncResult              *result,
                                                      GError                   **error);
void          pd_paymaster_api_list_payments_async   (PdPaymasterApi            *self,
                                                      const char                *merchant_id,
                                                      GDateTime                 *start,
                                                      GDateTime                 *end,
                                                      GCancellable              *cancellable,
                                                      GAsyncReadyCallback        callback,
                                                      gpointer                   user_data);
GPtrArray    *pd_paymaster_api_list_payments_finish  (PdPaymasterApi            *self,
                                                      GAsyncResult              *result,
                                                      GError                   **error);
void          pd_paymaster_api_create_refund_async   (PdPaymasterApi            *self,
                                                      const char                *payment_id,
                                                      gint64                     amount,
                                                      const char                *currency,
                                                      const char                *idempotency_key,
                                                      GCancellable              *cancellable,
                                                      GAsyncReadyCallback        callback,
                                                      gpointer                   user_data);
PdApiRefund  *pd_paymaster_api_create_refund_finish  (PdPaymasterApi            *self,
                                                      GAsyncResult              *result,
                                                      GError                   **error);
void          pd_paymaster_api_get_refund_async      (PdPaymasterApi            *self,
                                                      const char                *refund_id,
                                                      GCancellable              *cancellable,
                                                      GAsyncReadyCallback        callback,
                                                      gpointer                   user_data);
PdApiRefund  *pd_paymaster_api_get_refund_finish     (PdPaymasterApi            *self,
                                                      GAsyncResult              *result,
                                                      GError                   **error);

void              pd_paymaster_api_get_payment_by_invoice_async  (PdPaymasterApi       *self,
                                                                  const char           *invoice_id,
                                                                  const char           *site_alias,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
PdClassicPayment *pd_paymaster_api_get_payment_by_invoice_finish (PdPaymasterApi       *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);
void              pd_paymaster_api_list_payments_filter_async    (PdPaymasterApi       *self,
                                                                  const char           *account_id,
                                                                  const char           *site_alias,
                                                                  GDateTime            *period_from,
                                                                  GDateTime            *period_to,
                                                                  const char           *invoice_id,
                                                                  PdClassicState        state,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
GPtrArray        *pd_paymaster_api_list_payments_filter_finish   (PdPaymasterApi       *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);
void              pd_paymaster_api_refund_payment_async          (PdPaymasterApi       *self,
                                                                  const char           *payment_id,
                                                                  gint64                amount,
                                                                  const char           *external_id,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
gboolean          pd_paymaster_api_refund_payment_finish         (PdPaymasterApi       *self,
                                                                  GAsyncResult         *result,
                                                                  char                **refund_id,
                                                                  char                **state,
                                                                  GError              **error);

G_END_DECLS
