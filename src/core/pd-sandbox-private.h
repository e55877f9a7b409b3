/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pd-api-records.h"
#include "pd-form.h"
#include "pd-sandbox.h"

G_BEGIN_DECLS

/* The sandbox is one object in several files, one job each:
 *
 *   pd-sandbox.c              the object
 *   pd-sandbox-classic.c      the classic checkout (Payment/Init, Payment/Pay)
 *   pd-sandbox-page.c         what it answers: HTML pages (Russian, English), JSON
 *   pd-sandbox-checkout.c     a pressed button: the page held open, deliveries retried
 *   pd-sandbox-book.c         the payments and refunds it made, and the refund rules
 *   pd-sandbox-status.c       the classic status and refund API over the book
 *   pd-sandbox-v2.c           the REST API v2 over the book
 *   pd-sandbox-v2-invoice.c   its POST /api/v2/invoices
 *   pd-sandbox-v2-checkout.c  the v2 payment page (cpay) and callbacks
 */

typedef struct _PdSandboxBook   PdSandboxBook;
typedef struct _PdSandboxStatus PdSandboxStatus;

struct _PdSandbox
{
  GObject          parent_instance;

  PdHashAlg        hash_alg;
  char            *secret;
  gboolean         test_site;
  char            *prefix;
  SoupSession     *session;
  guint            first_retry_delay_ms;
  guint            n_in_progress;
  gboolean         delivers_notifications;
  PdSandboxBook   *book;
  PdSandboxStatus *status;

  /* REST API v2 */
  char            *api_token;
  guint            page_size;
  gboolean         callback_bom;
  GHashTable      *idempotent_answers;  /* Idempotency-Key -> answer */
};

void           _pd_sandbox_add_handler        (PdSandbox                   *sandbox,
                                               SoupServer                  *server,
                                               const char                  *prefix,
                                               const char                  *path,
                                               SoupServerCallback           callback,
                                               GPtrArray                   *paths);

/* The classic checkout (pd-sandbox-classic.c). */

void           _pd_sandbox_classic_attach     (PdSandbox                   *sandbox,
                                               SoupServer                  *server,
                                               const char                  *prefix,
                                               GPtrArray                   *paths);

/* Pages (pd-sandbox-page.c). The texts are the sandbox's own, like
 * PayMaster's page, not Paydesk's UI, so they are not run through gettext. */

typedef enum
{
  PD_SANDBOX_LANG_EN,
  PD_SANDBOX_LANG_RU,
} PdSandboxLang;

typedef struct
{
  const char *en;
  const char *ru;
} PdSandboxText;

/* The page's language switch, a query parameter. */
#define PD_SANDBOX_LANG_FIELD "pd_sandbox_lang"

/* What a checkout page shows and where its buttons go. */
typedef struct
{
  const char *order_no;
  const char *description;
  gint64      amount;          /* kopecks */
  const char *currency;
  const char *merchant_id;
  const char *form_action;
  const char *payment_field;   /* the hidden "payment" value, or NULL */
  const char *other_lang_url;
} PdSandboxCheckoutPage;

const char    *_pd_sandbox_tr                 (PdSandboxLang                lang,
                                               const PdSandboxText         *text);
const char    *_pd_sandbox_lang_code          (PdSandboxLang                lang);
PdSandboxLang  _pd_sandbox_other_lang         (PdSandboxLang                lang);
PdSandboxLang  _pd_sandbox_choose_lang        (SoupServerMessage           *msg,
                                               GHashTable                  *query);
void           _pd_sandbox_send_checkout_page (SoupServerMessage           *msg,
                                               PdSandboxLang                lang,
                                               const PdSandboxCheckoutPage *checkout);
void           _pd_sandbox_send_message_page  (SoupServerMessage           *msg,
                                               guint                        status,
                                               PdSandboxLang                lang,
                                               const char                  *heading,
                                               const char                  *detail,
                                               const char                  *back_url);
void           _pd_sandbox_send_json          (SoupServerMessage           *msg,
                                               guint                        status,
                                               JsonBuilder                 *builder);

/* A pressed Pay or Decline (pd-sandbox-checkout.c): the page waits for
 * the outcome, and for the first attempt of a delivery; later attempts
 * go on without it. */

typedef struct _PdSandboxCheckout PdSandboxCheckout;

typedef enum
{
  PD_SANDBOX_OUTCOME_PAID,
  PD_SANDBOX_OUTCOME_DECLINED,
  PD_SANDBOX_OUTCOME_REFUSED,
} PdSandboxOutcome;

PdSandboxCheckout *_pd_sandbox_checkout_new      (PdSandbox            *sandbox,
                                                  SoupServerMessage    *page_msg,
                                                  PdSandboxLang         lang);
void               _pd_sandbox_checkout_show     (PdSandboxCheckout    *checkout,
                                                  PdSandboxOutcome      outcome,
                                                  const PdSandboxText  *detail,
                                                  const char           *back_url);
void               _pd_sandbox_checkout_finish   (PdSandboxCheckout    *checkout,
                                                  PdSandboxOutcome      outcome,
                                                  const PdSandboxText  *detail,
                                                  const char           *back_url);
void               _pd_sandbox_checkout_deliver  (PdSandboxCheckout    *checkout,
                                                  const char           *url,
                                                  const char           *content_type,
                                                  GBytes               *body,
                                                  const char           *payment_id,
                                                  const char           *back_url);

/* The book (pd-sandbox-book.c): every payment the sandbox made, by either
 * protocol, and every refund. Both APIs read it. */

typedef struct
{
  char               *id;
  char               *merchant_id;
  char               *order_no;
  char               *description;
  gint64              amount;           /* kopecks */
  char               *currency;         /* ISO letters, "RUB" */
  PdApiPaymentStatus  status;
  gboolean            test_mode;
  char               *payment_method;   /* "BankCard", "Test", "SBP", ... */
  GDateTime          *created;          /* UTC, whole seconds */
  GDateTime          *updated;          /* UTC */
  gint64              refunded;         /* kopecks */

  /* Invoices made through the REST API v2 */
  char               *checkout_token;   /* the <hex> of <prefix>/cpay/<hex> */
  char               *callback_url;
  char               *return_url;
  JsonNode           *params;           /* invoice.params as sent, or NULL */
} PdSandboxPayment;

typedef struct
{
  char      *id;
  char      *payment_id;
  char      *external_id;               /* classic externalID, or NULL */
  gint64     amount;                    /* kopecks */
  char      *currency;
  GDateTime *created;                   /* UTC */
} PdSandboxRefund;

typedef enum
{
  PD_SANDBOX_REFUND_DONE,
  PD_SANDBOX_REFUND_NO_PAYMENT,
  PD_SANDBOX_REFUND_NOT_SETTLED,
  PD_SANDBOX_REFUND_NO_AMOUNT,
  PD_SANDBOX_REFUND_TOO_MUCH,
} PdSandboxRefundResult;

PdSandboxBook         *_pd_sandbox_book_new            (void);
void                   _pd_sandbox_book_free           (PdSandboxBook         *book);
char                  *_pd_sandbox_book_new_id         (PdSandboxBook         *book);
PdSandboxPayment      *_pd_sandbox_book_add_payment    (PdSandboxBook         *book,
                                                        const char            *id,
                                                        const char            *merchant_id,
                                                        const char            *order_no,
                                                        const char            *description,
                                                        gint64                 amount,
                                                        const char            *currency,
                                                        PdApiPaymentStatus     status,
                                                        gboolean               test_mode,
                                                        const char            *payment_method);
GPtrArray             *_pd_sandbox_book_get_payments   (PdSandboxBook         *book);
PdSandboxPayment      *_pd_sandbox_book_find_payment   (PdSandboxBook         *book,
                                                        const char            *id);
PdSandboxPayment      *_pd_sandbox_book_find_checkout  (PdSandboxBook         *book,
                                                        const char            *checkout_token);
void                   _pd_sandbox_payment_set_status  (PdSandboxPayment      *payment,
                                                        PdApiPaymentStatus     status);
PdSandboxRefundResult  _pd_sandbox_book_refund         (PdSandboxBook         *book,
                                                        const char            *payment_id,
                                                        gint64                 amount,
                                                        const char            *external_id,
                                                        PdSandboxRefund      **refund);
char                  *_pd_sandbox_book_refusal        (PdSandboxBook         *book,
                                                        PdSandboxRefundResult  result,
                                                        const char            *payment_id);
PdSandboxRefund       *_pd_sandbox_book_find_refund    (PdSandboxBook         *book,
                                                        const char            *id);
PdSandboxRefund       *_pd_sandbox_book_find_external  (PdSandboxBook         *book,
                                                        const char            *external_id);

/* The classic status and refund API (pd-sandbox-status.c). */

PdSandboxStatus *_pd_sandbox_status_new           (void);
void             _pd_sandbox_status_free          (PdSandboxStatus *status);
void             _pd_sandbox_status_set_api_user  (PdSandboxStatus *status,
                                                   const char      *login,
                                                   const char      *password);
void             _pd_sandbox_status_attach        (PdSandbox       *sandbox,
                                                   SoupServer      *server,
                                                   const char      *prefix,
                                                   GPtrArray       *paths);

/* The REST API v2 (pd-sandbox-v2.c), its invoices
 * (pd-sandbox-v2-invoice.c) and its payment page (pd-sandbox-v2-checkout.c). */

#define PD_SANDBOX_CHECKOUT_PATH     "/cpay"
#define PD_SANDBOX_DEFAULT_PAGE_SIZE 50

/* A field a request got wrong, for the "errors" of a validation_error. */
typedef struct
{
  char *field;
  char *message;
} PdSandboxProblem;

GPtrArray   *_pd_sandbox_problems_new        (void);
void         _pd_sandbox_problem_add         (GPtrArray              *problems,
                                              const char             *field,
                                              const char             *format,
                                              ...) G_GNUC_PRINTF (3, 4);
gboolean     _pd_sandbox_read_money          (JsonObject             *object,
                                              const char             *name,
                                              const char             *field,
                                              gint64                 *kopecks,
                                              GPtrArray              *problems);
JsonBuilder *_pd_sandbox_v2_create_invoice   (PdSandbox              *sandbox,
                                              SoupServerMessage      *msg,
                                              JsonObject             *root,
                                              GPtrArray              *problems);
void         _pd_sandbox_v2_answer_free      (gpointer                answer);
void         _pd_sandbox_v2_add_payment      (JsonBuilder            *builder,
                                              const PdSandboxPayment *payment);
void         _pd_sandbox_v2_attach           (PdSandbox              *sandbox,
                                              SoupServer             *server,
                                              const char             *prefix,
                                              GPtrArray              *paths);
void         _pd_sandbox_v2_checkout_attach  (PdSandbox              *sandbox,
                                              SoupServer             *server,
                                              const char             *prefix,
                                              GPtrArray              *paths);

G_END_DECLS
