/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-background"

#include "config.h"

#include <glib/gi18n.h>
#if HAVE_LIBPORTAL
# include <libportal-gtk4/portal-gtk4.h>
#endif

#include "pd-background.h"

/* Asks the desktop to let Paydesk keep listening with no window open and,
 * if @autostart, to start it at login: the Background portal, where there
 * is one (Flatpak, GNOME). Elsewhere nothing stops a process from running
 * on, so the request simply succeeds. */

#if HAVE_LIBPORTAL
static void
background_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (xdp_portal_request_background_finish (XDP_PORTAL (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}
#endif

void
pd_background_request_async (GtkWindow           *parent,
                             gboolean             autostart,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, pd_background_request_async);

#if HAVE_LIBPORTAL
  if (xdp_portal_running_under_flatpak () || g_getenv ("PAYDESK_USE_PORTAL") != NULL)
    {
      g_autoptr(XdpPortal) portal = xdp_portal_new ();
      XdpParent *xdp_parent = parent ? xdp_parent_new_gtk (parent) : NULL;
      g_autoptr(GPtrArray) command = g_ptr_array_new ();

      g_ptr_array_add (command, (char *) "paydesk");
      g_ptr_array_add (command, (char *) "--background");
      xdp_portal_request_background (portal, xdp_parent,
                                     (char *) _("Paydesk keeps listening for PayMaster's payment "
                                                "notifications while its window is closed."),
                                     (GPtrArray *) command,
                                     autostart ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                     cancellable, background_cb, g_steal_pointer (&task));
      g_clear_pointer (&xdp_parent, xdp_parent_free);
      return;
    }
#endif

  g_task_return_boolean (task, TRUE);
}

gboolean
pd_background_request_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
