/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "pd-json.h"
#include "pd-types.h"

G_BEGIN_DECLS

#define PD_RECEIPT_ERROR (pd_receipt_error_quark ())

/* What one receipt may hold: 54-FZ cash registers take at most 100 lines,
 * and a line's name at most 128 characters (tag 1030). */
#define PD_RECEIPT_MAX_LINES      100
#define PD_RECEIPT_MAX_NAME_CHARS 128

typedef enum
{
  PD_RECEIPT_ERROR_INVALID,         /* a line or contact no receipt can carry */
  PD_RECEIPT_ERROR_EMPTY,           /* no lines */
  PD_RECEIPT_ERROR_TOTAL,           /* a total of zero or less */
  PD_RECEIPT_ERROR_TOO_SMALL,       /* a line would fall below a kopeck a unit */
  PD_RECEIPT_ERROR_TOO_MANY_LINES,
  PD_RECEIPT_ERROR_OVERFLOW,
  PD_RECEIPT_ERROR_MISMATCH,        /* lines do not add up to the amount sent */
  PD_RECEIPT_ERROR_UNSUPPORTED,     /* the protocol has no code for a value */
} PdReceiptError;

/* One VAT rate. @tag is what Paydesk stores (products.vat); @classic is the
 * `.TAX` value of the classic cart, @v2 the REST v2 `vatType`, NULL where
 * that protocol has no name for the rate. @label is untranslated: show it
 * with pd_vat_rate_get_label(). */
typedef struct
{
  const char *tag;
  const char *classic;
  const char *v2;
  const char *label;
} PdVatRate;

/* A payment subject, "предмет расчёта" (tag 1212): the classic `.SUBJECT`
 * code and the v2 `paymentSubject` name. */
typedef struct
{
  guint       code;
  const char *v2;
  const char *label;
} PdReceiptSubject;

/* A settlement method, "способ расчёта" (tag 1214): the classic `.METHOD`
 * code and the v2 receipt item's `paymentMethod` name. Not to be confused
 * with LMI_PAYMENT_METHOD, the way the customer pays (BankCard, SBP). */
typedef struct
{
  guint       code;
  const char *v2;
  const char *label;
} PdReceiptMethod;

typedef struct
{
  char                   *name;
  gint64                  price;      /* kopecks a unit */
  gint64                  quantity;
  const PdVatRate        *vat;
  const PdReceiptSubject *subject;
  const PdReceiptMethod  *method;
} PdReceiptLine;

typedef struct _PdReceipt PdReceipt;

GQuark                  pd_receipt_error_quark         (void);

const PdVatRate        *pd_vat_rate_lookup             (const char              *tag);
const PdVatRate        *pd_vat_rate_get_all            (guint                   *n_rates);
const char             *pd_vat_rate_get_label          (const PdVatRate         *rate);

const PdReceiptSubject *pd_receipt_subject_lookup      (guint                    code);
const PdReceiptSubject *pd_receipt_subject_get_all     (guint                   *n_subjects);
const char             *pd_receipt_subject_get_label   (const PdReceiptSubject  *subject);

guint                   pd_receipt_parse_code          (const char              *text);
const PdReceiptMethod  *pd_receipt_method_lookup       (guint                    code);
const PdReceiptMethod  *pd_receipt_method_get_all      (guint                   *n_methods);
const char             *pd_receipt_method_get_label    (const PdReceiptMethod   *method);

char                   *pd_receipt_normalize_phone     (const char              *text,
                                                        GError                 **error);
char                   *pd_receipt_normalize_email     (const char              *text,
                                                        GError                 **error);

PdReceipt              *pd_receipt_new                 (void);
void                    pd_receipt_free                (PdReceipt               *self);
gboolean                pd_receipt_add_line            (PdReceipt               *self,
                                                        const char              *name,
                                                        gint64                   price,
                                                        gint64                   quantity,
                                                        const char              *vat,
                                                        guint                    subject,
                                                        guint                    method,
                                                        GError                 **error);
guint                   pd_receipt_get_n_lines         (const PdReceipt         *self);
const PdReceiptLine    *pd_receipt_get_line            (const PdReceipt         *self,
                                                        guint                    index);
gboolean                pd_receipt_get_total           (const PdReceipt         *self,
                                                        gint64                  *total,
                                                        GError                 **error);

gboolean                pd_receipt_set_email           (PdReceipt               *self,
                                                        const char              *email,
                                                        GError                 **error);
gboolean                pd_receipt_set_phone           (PdReceipt               *self,
                                                        const char              *phone,
                                                        GError                 **error);
gboolean                pd_receipt_set_contact         (PdReceipt               *self,
                                                        const char              *contact,
                                                        GError                 **error);
const char             *pd_receipt_get_email           (const PdReceipt         *self);
const char             *pd_receipt_get_phone           (const PdReceipt         *self);

gboolean                pd_receipt_reconcile           (PdReceipt               *self,
                                                        gint64                   total,
                                                        GError                 **error);

gboolean                pd_receipt_add_to_form         (const PdReceipt         *self,
                                                        gint64                   amount,
                                                        PdForm                  *form,
                                                        GError                 **error);
gboolean                pd_receipt_add_to_json         (const PdReceipt         *self,
                                                        gint64                   amount,
                                                        JsonBuilder             *builder,
                                                        GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdReceipt, pd_receipt_free)

G_END_DECLS
