/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pd-shop.h"

G_BEGIN_DECLS

#define PD_SETUP_DEFAULT_PORT 8080

/* The settings the check saves, as the setup wizard's pages hold them:
 * text as typed is cleaned and checked here, and the pages only show it. */
typedef struct
{
  PdShopMode   mode;            /* SANDBOX, or TEST or LIVE for a PayMaster site */
  const char  *merchant_id;     /* as typed; unused for the sandbox */
  PdHashAlg    hash_alg;        /* unused for the sandbox */
  guint        port;
  gboolean     all_interfaces;  /* FALSE listens on this computer only */
  const char  *public_url;      /* as typed */
  const char  *sync_mode;       /* a PD_SYNC_MODE_*; NULL leaves how payments arrive alone */
  const char  *api_login;       /* as typed */
  const char  *api_password;    /* empty keeps the stored one */
  PdProtocol   protocol;
  const char  *api_token;       /* as typed; empty keeps the stored one */
} PdSetupEntries;

char     *pd_setup_clean_merchant_id   (const char           *text);
gboolean  pd_setup_parse_port          (const char           *text,
                                        guint                *port);
char     *pd_setup_clean_public_url    (const char           *text);
gboolean  pd_setup_public_url_is_valid (const char           *url,
                                        gboolean             *loopback);
char     *pd_setup_local_url           (guint                 port);
void      pd_setup_read_listen         (const PdShop         *shop,
                                        guint                *port,
                                        gboolean             *all_interfaces);
gboolean  pd_setup_sync_mode_checks   (const char           *sync_mode);
gboolean  pd_setup_public_url_needed  (const PdSetupEntries *entries);
char     *pd_setup_clean_api_login     (const char           *text);
const char *pd_setup_api_user_problem  (const PdSetupEntries *entries,
                                        gboolean              password_stored);
const char *pd_setup_describe_protocol (PdProtocol           protocol);
char     *pd_setup_clean_api_token     (const char           *text);
gboolean  pd_setup_api_token_is_valid  (const char           *token);
const char *pd_setup_api_token_problem (const PdSetupEntries *entries,
                                        gboolean              token_stored);
PdShop   *pd_setup_build_shop          (const PdSetupEntries *entries,
                                        const PdShop         *current);

G_END_DECLS
