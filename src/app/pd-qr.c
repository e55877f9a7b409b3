/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "paydesk-qr"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <qrencode.h>

#include "pd-qr.h"

/* Quiet zone around the code, in modules, as the QR standard asks. */
#define QUIET_ZONE 4

/* A QR code of @text as a texture, @module_size pixels per module, black
 * on white whatever the theme (phones read dark-on-light best). */
GdkTexture *
pd_qr_texture_new (const char  *text,
                   guint        module_size,
                   GError     **error)
{
  QRcode *code;
  g_autoptr(GBytes) bytes = NULL;
  guchar *pixels;
  guint side, stride;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_size > 0, NULL);

  /* The lowest error correction: the code is read off a screen, where it
   * is never torn or stained, and a payment link is long, so every level
   * more would make the modules smaller in a narrow window. */
  code = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_L);
  if (code == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The payment link cannot be shown as a QR code: %s."), g_strerror (saved_errno));
      return NULL;
    }

  side = ((guint) code->width + 2 * QUIET_ZONE) * module_size;
  stride = side * 3;
  pixels = g_malloc (stride * side);
  memset (pixels, 0xff, stride * side);

  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      {
        if (!(code->data[y * code->width + x] & 1))
          continue;
        for (guint dy = 0; dy < module_size; dy++)
          {
            guint row = ((guint) y + QUIET_ZONE) * module_size + dy;
            guint col = ((guint) x + QUIET_ZONE) * module_size;

            memset (pixels + row * stride + col * 3, 0, module_size * 3);
          }
      }

  QRcode_free (code);
  bytes = g_bytes_new_take (pixels, stride * side);
  return gdk_memory_texture_new ((int) side, (int) side, GDK_MEMORY_R8G8B8, bytes, stride);
}
