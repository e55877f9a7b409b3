/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-catalog.h"
#include "pd-secrets.h"
#include "pd-settings-save.h"
#include "pd-sync-settings.h"

/* Saving how payments arrive, shared by the setup wizard's check and the
 * preferences: the API user's password goes to the keyring first, then
 * the login and the mode to the database (pd_settings_save_async()). The
 * caller restarts the schedule, which reads them again. */

static const char * const choices[PD_SYNC_MODE_N_CHOICES] = {
  PD_SYNC_MODE_NOTIFICATIONS, PD_SYNC_MODE_POLLING, PD_SYNC_MODE_BOTH,
};

/* The mode of @choice, or of @fallback when @choice is out of range. */
const char *
pd_sync_mode_for_choice (guint choice,
                         guint fallback)
{
  return choices[choice < PD_SYNC_MODE_N_CHOICES ? choice : fallback];
}

/* The choice @sync_mode stands for, or @fallback for an unknown one. */
guint
pd_sync_mode_choice (const char *sync_mode,
                     guint       fallback)
{
  for (guint i = 0; i < PD_SYNC_MODE_N_CHOICES; i++)
    if (g_strcmp0 (sync_mode, choices[i]) == 0)
      return i;
  return fallback;
}

/* One sentence on what @choice means for the merchant. */
const char *
pd_sync_mode_describe (guint choice)
{
  switch (choice)
    {
    case 0:
      return _("Payments arrive only when PayMaster calls Paydesk at its public address.");
    case 1:
      return _("Paydesk asks PayMaster about open invoices every minute or so; no public address is needed.");
    default:
      return _("PayMaster’s calls arrive at once, and Paydesk also asks about anything they missed.");
    }
}

void
pd_sync_settings_free (PdSyncSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->sync_mode);
  g_free (settings->api_login);
  g_free (settings);
}

/**
 * pd_sync_settings_read:
 *
 * A #PdStoreFunc for pd_store_read_async().
 *
 * Returns: (transfer full): a #PdSyncSettings, for pd_sync_settings_free()
 */
gpointer
pd_sync_settings_read (PdDatabase  *db,
                       gpointer     data,
                       GError     **error)
{
  GError *local_error = NULL;
  PdSyncSettings *settings = g_new0 (PdSyncSettings, 1);

  settings->api_login = pd_catalog_get_setting (db, "api_login", &local_error);
  if (local_error == NULL)
    settings->sync_mode = pd_catalog_get_setting (db, "sync_mode", &local_error);
  if (local_error != NULL)
    {
      pd_sync_settings_free (settings);
      g_propagate_error (error, local_error);
      return NULL;
    }
  return settings;
}

typedef struct
{
  char *sync_mode;
  char *api_login;
  char *api_password;   /* NULL keeps the stored one */
} Save;

static void
save_free (Save *save)
{
  g_free (save->sync_mode);
  g_free (save->api_login);
  g_free (save->api_password);
  g_free (save);
}

static gpointer
write_settings_in_writer (PdDatabase  *db,
                          gpointer     data,
                          GError     **error)
{
  Save *save = data;

  if (!pd_catalog_set_setting (db, "api_login", save->api_login, error) ||
      !pd_catalog_set_setting (db, "sync_mode", save->sync_mode, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
settings_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdService *service = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pd_settings_save_finish (PD_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (save->api_password != NULL)
    pd_sync_schedule_set_credential (pd_service_get_sync_schedule (service), save->api_password);
  g_task_return_boolean (task, TRUE);
}

/**
 * pd_sync_settings_save_async:
 * @merchant_id: the site the password belongs to
 * @sync_mode: a PD_SYNC_MODE_*
 * @api_login: the API user's login, maybe empty
 * @api_password: (nullable): the API user's password; %NULL or empty
 *   keeps the stored one
 *
 * Stores how payments arrive and gives the password to the service's
 * schedule. It does not restart the schedule.
 */
void
pd_sync_settings_save_async (PdService           *service,
                             const char          *merchant_id,
                             const char          *sync_mode,
                             const char          *api_login,
                             const char          *api_password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *secrets[PD_N_SECRET_KINDS] = { [PD_SECRET_API_PASSWORD] = api_password };
  Save *save;

  g_return_if_fail (PD_IS_SERVICE (service));
  g_return_if_fail (merchant_id != NULL && sync_mode != NULL);

  save = g_new0 (Save, 1);
  save->sync_mode = g_strdup (sync_mode);
  save->api_login = g_strdup (api_login ? api_login : "");
  save->api_password = api_password != NULL && *api_password != '\0' ? g_strdup (api_password) : NULL;

  task = g_task_new (service, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_sync_settings_save_async);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);

  pd_settings_save_async (pd_service_get_store (service), merchant_id, secrets, write_settings_in_writer,
                          save, NULL, cancellable, settings_saved_cb, g_steal_pointer (&task));
}

gboolean
pd_sync_settings_save_finish (PdService     *service,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
