#!/usr/bin/env bash
# Installs what Paydesk needs to build and test on Debian 12 or Ubuntu.
# Quiet and quick when everything is already there.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libssl-dev libsecret-1-dev
  libgtk-4-dev libadwaita-1-dev libqrencode-dev libportal-gtk4-dev libportal-dev
  # tests and demos
  desktop-file-utils appstream flatpak-builder libxml2-utils
  curl sqlite3 python3 ca-certificates xvfb xauth dbus
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
