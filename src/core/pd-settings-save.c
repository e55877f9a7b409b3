/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-settings"

#include "config.h"

#include "pd-settings-save.h"

/* Settings that come with secrets are saved in one order everywhere: the
 * secrets to the keyring first, off the main thread (the keyring may ask
 * to be unlocked), then the settings in one write on the store's writer.
 * Nothing is written if the keyring refuses, so the settings never name a
 * secret the keyring does not have. */

typedef struct
{
  char           *merchant_id;
  char           *secrets[PD_N_SECRET_KINDS];
  PdStoreFunc     write;
  gpointer        data;
  GDestroyNotify  data_free;
} Save;

static void
save_free (Save *save)
{
  g_free (save->merchant_id);
  for (guint i = 0; i < PD_N_SECRET_KINDS; i++)
    g_free (save->secrets[i]);
  if (save->data_free != NULL)
    save->data_free (save->data);
  g_free (save);
}

static void
store_secrets_in_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  Save *save = task_data;
  GError *error = NULL;

  for (guint kind = 0; kind < PD_N_SECRET_KINDS; kind++)
    if (save->secrets[kind] != NULL &&
        !pd_secrets_store (kind, save->merchant_id, save->secrets[kind], cancellable, &error))
      {
        g_task_return_error (task, error);
        return;
      }
  g_task_return_boolean (task, TRUE);
}

static void
settings_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (pd_store_write_finish (PD_STORE (object), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
secrets_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  pd_store_write_async (PD_STORE (object), save->write, save->data, NULL, NULL,
                        g_task_get_cancellable (task), settings_written_cb, g_object_ref (task));
}

/**
 * pd_settings_save_async:
 * @merchant_id: the site the secrets belong to
 * @secrets: (array fixed-size=3) (nullable): one secret for each
 *   #PdSecretKind, in that order; a %NULL or empty one keeps the stored
 *   secret of its kind
 * @write: writes the settings on the store's writer thread; it returns
 *   non-%NULL on success
 * @data: (transfer full): for @write, freed with @data_free
 *
 * Stores @secrets in the keyring, then runs @write.
 */
void
pd_settings_save_async (PdStore             *store,
                        const char          *merchant_id,
                        const char * const  *secrets,
                        PdStoreFunc          write,
                        gpointer             data,
                        GDestroyNotify       data_free,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) store_secrets = NULL;
  Save *save;

  g_return_if_fail (PD_IS_STORE (store));
  g_return_if_fail (merchant_id != NULL && write != NULL);

  save = g_new0 (Save, 1);
  save->merchant_id = g_strdup (merchant_id);
  for (guint i = 0; secrets != NULL && i < PD_N_SECRET_KINDS; i++)
    if (secrets[i] != NULL && *secrets[i] != '\0')
      save->secrets[i] = g_strdup (secrets[i]);
  save->write = write;
  save->data = data;
  save->data_free = data_free;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_settings_save_async);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);

  store_secrets = g_task_new (store, cancellable, secrets_stored_cb, g_steal_pointer (&task));
  g_task_set_task_data (store_secrets, save, NULL);
  g_task_run_in_thread (store_secrets, store_secrets_in_thread);
}

gboolean
pd_settings_save_finish (PdStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
