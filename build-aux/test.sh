#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with warnings
# as errors, runs every test suite, and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash build-aux/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
if ! bash build-aux/build.sh -Dwerror=true -Dtests=true; then
  echo "The build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

# The UI tests need a display: use a virtual one unless there is a real one.
run=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  run=(xvfb-run -a -s "-screen 0 1280x1024x24")
fi
"${run[@]}" meson test -C _build --print-errorlogs --num-processes 2 "$@"
status=$?

summary=$(python3 build-aux/summarize-tests.py _build/meson-logs/testlog.json)
summary_status=$?
if [ "$status" -ne 0 ] && [ "$summary_status" -eq 0 ]; then
  # meson failed without a failing case on record (a setup error, say).
  summary=$(echo "$summary" | sed -E 's/([0-9]+) failed/1 failed/')
  summary_status=1
fi
echo "$summary"
[ "$status" -eq 0 ] && [ "$summary_status" -eq 0 ]
