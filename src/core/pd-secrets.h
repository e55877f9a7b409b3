/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The PayMaster secret key, the password of the API user the status API
 * is asked with, and the REST API v2 token live in the keyring only, keyed
 * by the merchant identifier they belong to. */

typedef enum
{
  PD_SECRET_KEY,
  PD_SECRET_API_PASSWORD,
  PD_SECRET_API_TOKEN,       /* the REST API v2 bearer token */
} PdSecretKind;

#define PD_N_SECRET_KINDS 3

gboolean  pd_secrets_store       (PdSecretKind   kind,
                                  const char    *merchant_id,
                                  const char    *secret,
                                  GCancellable  *cancellable,
                                  GError       **error);
char     *pd_secrets_lookup      (PdSecretKind   kind,
                                  const char    *merchant_id,
                                  GCancellable  *cancellable,
                                  GError       **error);

gboolean  pd_secrets_store_key   (const char    *merchant_id,
                                  const char    *secret,
                                  GCancellable  *cancellable,
                                  GError       **error);
char     *pd_secrets_lookup_key  (const char    *merchant_id,
                                  GCancellable  *cancellable,
                                  GError       **error);
gboolean  pd_secrets_clear_key   (const char    *merchant_id,
                                  GCancellable  *cancellable,
                                  GError       **error);
char     *pd_secrets_read_file   (const char    *path,
                                  GError       **error);
char     *pd_secrets_read_file_for (PdSecretKind  kind,
                                    const char   *path,
                                    GError      **error);

G_END_DECLS
