#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The include graph of the sources: no loops, and nothing outside lib/
includes a private header of the core (lib/src/).

    check_includes.py ROOT [--allow PATH]...

Reads every C, C++ and CUDA source and header below ROOT (build*/, results/,
.venv/ and hidden folders skipped) and resolves each #include "x" and
#include <x> to a file of the tree: x next to the including file, else the
file whose path ends in /x (headers of the system are not in the tree and
are ignored). Prints every loop (a -> b -> ... -> a) and every include of
lib/src/ from a file outside lib/ (except the --allow paths, relative to
ROOT: white-box tests of the core); exits 1 if there is any, 0 otherwise,
2 on bad usage.
"""
import os
import re
import sys

EXTS = (".c", ".h", ".cu", ".cuh", ".cpp", ".hpp")
SKIP = ("build", "results", ".venv", "node_modules")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def sources(root):
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.startswith(SKIP))
        for f in sorted(files):
            if f.endswith(EXTS):
                yield os.path.relpath(os.path.join(top, f), root)


def resolve(name, here, files, by_tail):
    local = os.path.normpath(os.path.join(os.path.dirname(here), name))
    if local in files:
        return local
    hits = by_tail.get(name.lstrip("./"), [])
    if len(hits) > 1:  # the one closest to the including file: longest common prefix
        hits = sorted(hits, key=lambda h: -len(os.path.commonprefix([h, here])))
    return hits[0] if hits else None


def graph(root):
    files = set(sources(root))
    by_tail = {}
    for f in files:
        parts = f.split(os.sep)
        for i in range(len(parts)):
            by_tail.setdefault("/".join(parts[i:]), []).append(f)
    edges = {}
    for f in sorted(files):
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            names = INCLUDE.findall(fh.read())
        edges[f] = [t for t in (resolve(n, f, files, by_tail) for n in names) if t and t != f]
    return edges


def loops(edges):
    """Every elementary loop found by a depth-first search (each once)."""
    found, seen, state = [], set(), {}
    def visit(v, path):
        state[v] = 1
        path.append(v)
        for w in edges.get(v, []):
            if state.get(w) == 1:
                cyc = path[path.index(w):]
                key = frozenset(cyc)
                if key not in seen:
                    seen.add(key)
                    found.append(cyc + [w])
            elif w not in state:
                visit(w, path)
        path.pop()
        state[v] = 2
    for v in sorted(edges):
        if v not in state:
            visit(v, [])
    return found


def main(argv):
    args, allow = [], set()
    it = iter(argv[1:])
    for a in it:
        if a == "--allow":
            allow.add(os.path.normpath(next(it, "")))
        elif a.startswith("-"):
            print(f"check_includes.py: unknown option '{a}'", file=sys.stderr)
            return 2
        else:
            args.append(a)
    if len(args) != 1 or not os.path.isdir(args[0]):
        print("usage: check_includes.py ROOT [--allow PATH]...", file=sys.stderr)
        return 2
    edges = graph(args[0])
    bad = 0
    for cyc in loops(edges):
        print("include loop: " + " -> ".join(cyc))
        bad += 1
    private = "lib" + os.sep + "src" + os.sep
    for f, ts in sorted(edges.items()):
        if f.startswith("lib" + os.sep) or f in allow:
            continue
        for t in ts:
            if t.startswith(private):
                print(f"private include: {f} includes {t}")
                bad += 1
    print(f"check_includes.py: {len(edges)} files, "
          f"{sum(len(t) for t in edges.values())} includes, {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
