/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-application.h"
#include "pd-shop.h"

G_BEGIN_DECLS

/* Shared set-up for the UI tests: a private temporary folder holding the
 * database and a file keyring, a Paydesk application that needs no D-Bus,
 * and ways to wait for the main loop without fixed sleeps. */

typedef gboolean (*PdUiCondition) (gpointer data);

void           pd_ui_test_init               (int            *argc,
                                              char         ***argv);
const char    *pd_ui_test_get_dir            (void);
char          *pd_ui_test_new_database_path  (void);
guint16        pd_ui_test_free_port          (void);
PdShop        *pd_ui_test_sandbox_shop       (guint16         port);
void           pd_ui_test_set_up_shop        (const char     *db_path,
                                              const PdShop   *shop,
                                              const char     *secret);
PdApplication *pd_ui_test_application_new    (const char     *db_path);
gboolean       pd_ui_test_wait_until         (PdUiCondition   condition,
                                              gpointer        data,
                                              guint           timeout_ms);
void           pd_ui_test_iterate            (guint           milliseconds);
GtkWidget     *pd_ui_test_find_widget        (GtkWidget      *root,
                                              GType           type,
                                              const char     *name);
guint          pd_ui_test_post_notification  (guint16         port,
                                              const PdShop   *shop,
                                              const char     *secret,
                                              const char     *invoice_number,
                                              const char     *amount,
                                              const char     *payment_id);
gboolean       pd_ui_test_save_png           (GtkWidget      *widget,
                                              const char     *file_name,
                                              GError        **error);

G_END_DECLS
