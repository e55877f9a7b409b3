#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, sets up a
# demo shop on the built-in PayMaster sandbox (its own database, nothing
# real is touched) with a 50 RUB invoice, and starts Paydesk on it. Open the
# invoice, open its link, press Pay, and watch it turn Paid. Without a
# display it runs the headless listener instead and prints the link.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/deps.sh
bash build-aux/build.sh

listen=${PAYDESK_LISTEN:-127.0.0.1:8080}
data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/paydesk
export PAYDESK_DB=${PAYDESK_DB:-$data_dir/sandbox.db}
mkdir -p "$(dirname "$PAYDESK_DB")"

# Without a desktop session there is no keyring service: keep the demo's
# made-up key in libsecret's file backend next to the demo database.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  export SECRET_BACKEND=file
  export SECRET_FILE_TEST_PATH=${SECRET_FILE_TEST_PATH:-$data_dir/sandbox-keyring}
  export SECRET_FILE_TEST_PASSWORD=${SECRET_FILE_TEST_PASSWORD:-paydesk-sandbox}
fi

cli=_build/src/cli/paydesk-cli
$cli setup --merchant-id 00000000-0000-4000-8000-000000000001 --hash sha256 \
  --mode sandbox --listen "$listen" </dev/null >/dev/null

if [ "$($cli product list | wc -l)" -eq 0 ]; then
  $cli product add --name "Консультация / Consultation" --price 50.00 >/dev/null
fi
product=$($cli product list | head -n 1 | cut -f 1)

invoice=$($cli invoice create --product "$product")
echo
echo "Demo shop on the built-in sandbox (database: $PAYDESK_DB)"
echo "$invoice" | head -n 1
echo "Its payment link (open it in a browser and press Pay):"
echo "$invoice" | tail -n 1
echo

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  echo "Starting Paydesk. Closing its window keeps it listening; use Quit in its menu to stop."
  export GSETTINGS_SCHEMA_DIR=$PWD/_build/data
  exec _build/src/app/paydesk --db "$PAYDESK_DB"
fi

echo "No display: running the headless listener. Press Ctrl+C to stop."
echo "Then:  PAYDESK_DB=$PAYDESK_DB $cli invoice list"
exec $cli serve
