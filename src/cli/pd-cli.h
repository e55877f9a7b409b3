/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include <json-glib/json-glib.h>

#include "pd-database.h"
#include "pd-paymaster-api.h"
#include "pd-shop.h"
#include "pd-store.h"

G_BEGIN_DECLS

/* Exit statuses of paydesk-cli. */
#define PD_EXIT_OK      0
#define PD_EXIT_FAILURE 1
#define PD_EXIT_USAGE   2

/* Options every command takes. */
typedef struct
{
  char *db_path;
} PdCliGlobals;

typedef int (*PdCliCommand) (PdCliGlobals  *globals,
                             int            argc,
                             char         **argv);

int          pd_cli_setup            (PdCliGlobals *globals, int argc, char **argv);
int          pd_cli_product          (PdCliGlobals *globals, int argc, char **argv);
int          pd_cli_invoice          (PdCliGlobals *globals, int argc, char **argv);
int          pd_cli_invoice_refund   (PdCliGlobals *globals, int argc, char **argv);
int          pd_cli_events           (PdCliGlobals *globals, int argc, char **argv);
int          pd_cli_serve            (PdCliGlobals *globals, int argc, char **argv);
int          pd_cli_sync             (PdCliGlobals *globals, int argc, char **argv);
int          pd_cli_sandbox          (PdCliGlobals *globals, int argc, char **argv);

gboolean     pd_cli_parse_options    (const char    *command,
                                      const char    *parameters,
                                      const char    *summary,
                                      GOptionEntry  *entries,
                                      PdCliGlobals  *globals,
                                      int           *argc,
                                      char        ***argv);
int          pd_cli_usage_error      (const char    *command,
                                      const char    *format,
                                      ...) G_GNUC_PRINTF (2, 3);
int          pd_cli_fail             (const GError  *error);
PdDatabase  *pd_cli_open_database    (PdCliGlobals  *globals,
                                      GError       **error);
char        *pd_cli_database_path    (PdCliGlobals  *globals);
char        *pd_cli_read_secret      (const char    *secret_file,
                                      GError       **error);
void         pd_cli_print_json       (JsonBuilder   *builder);
void         pd_cli_json_add_string  (JsonBuilder   *builder,
                                      const char    *name,
                                      const char    *value);

PdPaymasterApi *pd_cli_open_api      (PdDatabase    *db,
                                      const PdShop  *shop,
                                      const char    *credential_file,
                                      GError       **error);

/* Waits in a main loop for one async call's answer. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} PdCliWait;

void          pd_cli_wait_init       (PdCliWait     *wait);
void          pd_cli_waited          (GObject       *object,
                                      GAsyncResult  *result,
                                      gpointer       wait);
GAsyncResult *pd_cli_wait_run        (PdCliWait     *wait);
void          pd_cli_wait_clear      (PdCliWait     *wait);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdCliWait, pd_cli_wait_clear)

typedef struct
{
  PdShop         *shop;
  PdPaymasterApi *api;
  PdStore        *store;
  PdCliWait       wait;
} PdCliApiSession;

gboolean      pd_cli_api_session_open  (PdCliApiSession  *session,
                                        PdCliGlobals     *globals,
                                        const char       *credential_file,
                                        GError          **error);
void          pd_cli_api_session_clear (PdCliApiSession  *session);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdCliApiSession, pd_cli_api_session_clear)

G_END_DECLS
