/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pd-application.h"
#include "pd-shop.h"
#include "pd-window.h"

G_BEGIN_DECLS

/* Shared set-up for the UI tests: a private temporary folder holding the
 * database and a file keyring, a Paydesk application that needs no D-Bus,
 * and ways to wait for the main loop without fixed sleeps. */

typedef gboolean (*PdUiCondition) (gpointer data);
typedef gboolean (*PdUiWidgetMatch) (GtkWidget     *widget,
                                     gconstpointer  data);

void           pd_ui_test_init               (int            *argc,
                                              char         ***argv);
const char    *pd_ui_test_get_dir            (void);
char          *pd_ui_test_new_database_path  (void);
guint16        pd_ui_test_free_port          (void);
PdShop        *pd_ui_test_sandbox_shop       (guint16         port);
void           pd_ui_test_set_up_shop        (const char     *db_path,
                                              const PdShop   *shop,
                                              const char     *secret);
char          *pd_ui_test_sandbox_database   (const char     *secret,
                                              guint16        *port,
                                              PdShop        **shop);
PdApplication *pd_ui_test_application_new    (const char     *db_path);
gboolean       pd_ui_test_wait_until         (PdUiCondition   condition,
                                              gpointer        data,
                                              guint           timeout_ms);
void           pd_ui_test_iterate            (guint           milliseconds);
GtkWidget     *pd_ui_test_find_widget        (GtkWidget      *root,
                                              GType           type,
                                              const char     *name);
GtkWidget     *pd_ui_test_find_descendant    (GtkWidget      *root,
                                              PdUiWidgetMatch match,
                                              gconstpointer   data);
guint          pd_ui_test_post_notification  (guint16         port,
                                              const PdShop   *shop,
                                              const char     *secret,
                                              const char     *invoice_number,
                                              const char     *amount,
                                              const char     *payment_id);
gboolean       pd_ui_test_save_png           (GtkWidget      *widget,
                                              const char     *file_name,
                                              GError        **error);

/* The application's windows. */
GtkWidget     *pd_ui_test_get_widget         (GtkWidget      *root,
                                              GType           type,
                                              const char     *name);
GtkWindow     *pd_ui_test_find_toplevel      (GType           type);
GtkWindow     *pd_ui_test_find_window        (PdApplication  *app,
                                              GType           type);
PdWindow      *pd_ui_test_find_main_window   (PdApplication  *app);
PdWindow      *pd_ui_test_open_main_window   (PdApplication  *app);
gboolean       pd_ui_test_wait_listening     (PdApplication  *app,
                                              guint           timeout_ms);
void           pd_ui_test_quit_application   (PdApplication **app);

/* Combo rows over a GtkStringList, as a person reads and picks them: the
 * AdwComboRow with buildable id @row under @root. */
const char    *pd_ui_test_combo_text         (GtkWidget      *root,
                                              const char     *row);
void           pd_ui_test_combo_choose       (GtkWidget      *root,
                                              const char     *row,
                                              const char     *text);
gboolean       pd_ui_test_wait_combo         (GtkWidget      *root,
                                              const char     *row,
                                              const char     *text,
                                              guint           timeout_ms);

/* Screenshots for a reviewer. */
gboolean       pd_ui_test_wait_drawn         (GtkWidget      *widget,
                                              guint           timeout_ms);
gboolean       pd_ui_test_screenshots_wanted (void);
char          *pd_ui_test_screenshot_path    (const char     *file_name);
void           pd_ui_test_save_screenshot    (GtkWidget      *widget,
                                              const char     *file_name);
void           pd_ui_test_review_screenshot  (GtkWidget      *widget,
                                              const char     *file_name,
                                              guint           draw_timeout_ms);

/* A stand-in for the desktop's notification server, on a private bus. */
typedef struct
{
  GPtrArray       *titles;      /* of char *: each notification's title, in order */

  /*< private >*/
  GTestDBus       *bus;
  GDBusConnection *connection;
} PdUiNotifications;

PdUiNotifications *pd_ui_test_start_notification_bus (void);
void               pd_ui_test_stop_notification_bus  (PdUiNotifications *notifications,
                                                      gboolean           apps_finalized);

G_END_DECLS
