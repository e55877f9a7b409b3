/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-types.h"

G_BEGIN_DECLS

#define PD_FORM_ERROR (pd_form_error_quark ())

typedef enum
{
  PD_FORM_ERROR_ESCAPE,
  PD_FORM_ERROR_ENCODING,
} PdFormError;

GQuark       pd_form_error_quark  (void);

PdForm      *pd_form_new          (void);
PdForm      *pd_form_parse        (const char    *body,
                                   gsize          length,
                                   GError       **error);
void         pd_form_free         (PdForm        *form);
void         pd_form_add          (PdForm        *form,
                                   const char    *name,
                                   const char    *value);
void         pd_form_set          (PdForm        *form,
                                   const char    *name,
                                   const char    *value);
void         pd_form_remove       (PdForm        *form,
                                   const char    *name);
const char  *pd_form_get          (const PdForm  *form,
                                   const char    *name);
guint        pd_form_count        (const PdForm  *form,
                                   const char    *name);
guint        pd_form_get_n_fields (const PdForm  *form);
void         pd_form_get_field    (const PdForm  *form,
                                   guint          index,
                                   const char   **name,
                                   const char   **value);
char        *pd_form_encode       (const PdForm  *form);
char        *pd_form_to_json      (const PdForm  *form);
void         pd_form_append_encoded (GString     *out,
                                     const char  *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdForm, pd_form_free)

G_END_DECLS
