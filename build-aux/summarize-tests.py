#!/usr/bin/env python3
"""Counts test cases in meson's testlog.json and prints "N passed, N failed".

A TAP test contributes each of its cases; a test that crashed or timed out
without reporting a failing case counts as one failure more."""
import json
import re
import sys

passed = failed = skipped = 0
try:
    log = open(sys.argv[1], encoding="utf-8")
except OSError as error:
    print(f"No test log ({error.strerror}): the tests did not run.")
    print("0 passed, 1 failed")
    sys.exit(1)
with log:
    for line in log:
        test = json.loads(line)
        stdout = test.get("stdout") or ""
        oks = nots = skips = 0
        for case in stdout.splitlines():
            if re.match(r"ok\b", case):
                if re.search(r"#\s*SKIP", case, re.I):
                    skips += 1
                else:
                    oks += 1
            elif re.match(r"not ok\b", case):
                if re.search(r"#\s*TODO", case, re.I):
                    skips += 1
                else:
                    nots += 1
        result = test.get("result")
        if oks + nots + skips == 0:
            oks, nots, skips = (1, 0, 0) if result == "OK" else (0, 0, 1) if result == "SKIP" else (0, 1, 0)
        elif result not in ("OK", "SKIP", "EXPECTEDFAIL") and nots == 0:
            nots = 1
        passed += oks
        failed += nots
        skipped += skips

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
