#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks Flatpak manifests for what flatpak-builder does not: every
downloaded source is pinned, and the sandbox is no wider than Paydesk needs.

A source is pinned when an archive or file has a sha256 or sha512, a git
source has a full commit id (with or without a tag), and a bzr or svn source
has a revision. Local sources (dir, a file or patch by path, script, inline,
shell) come with the manifest and need no pin.

Prints TAP: one test per manifest for the pins, one for finish-args, one for
the identity (id matches the file name, GNOME runtime and SDK of the same
version, command paydesk).

Usage: check-manifest-pins.py MANIFEST.json...
"""

import json
import os
import re
import sys

ALLOWED_FINISH_ARGS = {
    "--share=network",     # the listener and calls to PayMaster
    "--share=ipc",         # X11 shared memory
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",        # GPU rendering
}

COMMIT = re.compile(r"^[0-9a-f]{40}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SHA512 = re.compile(r"^[0-9a-f]{128}$")
LOCAL_TYPES = {"dir", "script", "inline", "shell"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def source_problem(source):
    """Returns why a source is not pinned, or None when it is."""
    kind = source.get("type", "archive")
    if kind in LOCAL_TYPES:
        return None
    if kind in ("archive", "file", "patch", "extra-data"):
        if "url" not in source and "path" in source:
            return None
        if "url" not in source:
            return "%s source without url or path" % kind
        if SHA256.match(source.get("sha256", "")) or SHA512.match(source.get("sha512", "")):
            return None
        return "%s %s has no sha256 or sha512" % (kind, source["url"])
    if kind == "git":
        if "url" not in source and "path" in source:
            return None
        if not COMMIT.match(source.get("commit", "")):
            return "git %s is not pinned to a full commit id" % source.get("url")
        if "branch" in source:
            return "git %s names a branch besides its commit" % source.get("url")
        return None
    if kind in ("bzr", "svn"):
        if source.get("revision"):
            return None
        return "%s %s has no revision" % (kind, source.get("url"))
    return "source of unknown type %r" % kind


def walk_modules(modules, base_dir, trail=""):
    """Yields (module path, source) for every source, nested modules and
    modules in separate files included."""
    for module in modules:
        if isinstance(module, str):
            path = os.path.join(base_dir, module)
            module = load(path)
            module_dir = os.path.dirname(path)
        else:
            module_dir = base_dir
        name = trail + module.get("name", "?")
        for source in module.get("sources", []):
            if isinstance(source, str):
                path = os.path.join(module_dir, source)
                loaded = load(path)
                for item in loaded if isinstance(loaded, list) else [loaded]:
                    yield name, item
            else:
                yield name, source
        yield from walk_modules(module.get("modules", []), module_dir, name + "/")


def check(path, number):
    manifest = load(path)
    base_dir = os.path.dirname(os.path.abspath(path))
    results = []

    problems = ["%s: %s" % (name, problem)
                for name, source in walk_modules(manifest.get("modules", []), base_dir)
                for problem in [source_problem(source)] if problem]
    results.append(("every source is pinned", problems))

    finish_args = manifest.get("finish-args", [])
    problems = []
    for arg in sorted(set(finish_args) - ALLOWED_FINISH_ARGS):
        problems.append("not allowed: " + arg)
    for arg in sorted(ALLOWED_FINISH_ARGS - set(finish_args)):
        problems.append("missing: " + arg)
    if len(finish_args) != len(set(finish_args)):
        problems.append("duplicates in finish-args")
    results.append(("finish-args are exactly the allowed set", problems))

    problems = []
    app_id = manifest.get("id", manifest.get("app-id"))
    expected_id = os.path.basename(path)
    for suffix in (".json", ".yaml", ".yml"):
        if expected_id.endswith(suffix):
            expected_id = expected_id[: -len(suffix)]
    if app_id != expected_id:
        problems.append("id %r does not match the file name" % app_id)
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problems.append("not on org.gnome.Platform and org.gnome.Sdk")
    if not manifest.get("runtime-version"):
        problems.append("no runtime-version")
    if manifest.get("command") != "paydesk":
        problems.append("command is not paydesk")
    results.append(("id, runtime and command", problems))

    lines = []
    for description, problems in results:
        number += 1
        status = "not ok" if problems else "ok"
        lines.append("%s %d - %s: %s" % (status, number, os.path.basename(path), description))
        lines.extend("# " + problem for problem in problems)
    return number, lines, all(not problems for _, problems in results)


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    number = 0
    output = []
    passed = True
    for path in paths:
        try:
            number, lines, ok = check(path, number)
        except (OSError, ValueError) as error:
            number += 1
            lines, ok = ["not ok %d - %s: %s" % (number, os.path.basename(path), error)], False
        output.extend(lines)
        passed = passed and ok
    print("1..%d" % number)
    print("\n".join(output))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
