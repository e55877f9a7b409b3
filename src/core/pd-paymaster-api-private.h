/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "pd-paymaster-api.h"

G_BEGIN_DECLS

/* Shared by pd-paymaster-api.c (the object, sending and errors),
 * pd-paymaster-api-v2.c, pd-paymaster-api-classic.c and pd-api-records.c. */

struct _PdPaymasterApi
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;      /* no trailing slash */
  char        *classic_url;   /* ends in a slash */
  guint        max_pages;

  /* Secrets: never logged, wiped when replaced. */
  char        *token;
  char        *classic_login;
  char        *classic_password;
};

typedef enum
{
  PD_API_V2,
  PD_API_CLASSIC,
} PdApiKind;

typedef void (*PdApiReplyFunc) (GTask      *task,
                                JsonObject *reply);

/* What a task remembers between sending and the answer. */
typedef struct
{
  PdApiKind       kind;
  PdApiReplyFunc  reply_func;

  /* list_payments: the first page's path, what came so far, and the
   * cursors seen, to stop a server that goes round in circles. */
  char           *path;
  GPtrArray      *payments;
  GHashTable     *cursors;
} PdApiCall;

GTask            *_pd_api_call_task_new               (PdPaymasterApi       *self,
                                                       PdApiKind             kind,
                                                       PdApiReplyFunc        reply_func,
                                                       gpointer              source_tag,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
SoupMessage      *_pd_api_message_new                 (const char           *method,
                                                       const char           *url,
                                                       const char           *base,
                                                       GError              **error);
void              _pd_api_send_message                (GTask                *task,
                                                       SoupMessage          *msg);
void              _pd_api_send_or_fail                (GTask                *task,
                                                       SoupMessage          *msg,
                                                       GError               *error);
char             *_pd_api_format_date                 (GDateTime            *date,
                                                       const char           *format);

JsonNode         *_pd_api_parse_object                (const char           *data,
                                                       gsize                 length,
                                                       GError              **error);
gpointer          _pd_api_missing_member              (GError              **error,
                                                       const char           *name);
PdApiPayment     *_pd_api_payment_from_object         (JsonObject           *object,
                                                       GError              **error);
PdApiRefund      *_pd_api_refund_from_object          (JsonObject           *object,
                                                       GError              **error);
PdClassicPayment *_pd_api_classic_payment_from_object (JsonObject           *object,
                                                       GError              **error);

G_END_DECLS
