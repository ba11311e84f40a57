#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""No file-level circles: within each library or program of the tree, if file A calls a
function defined in file B, then B calls nothing defined in A (directly or round about).

Reads the object files of a built tree with nm: each target's objects (the automake prefix
before the first '-' in their name) form one group, the call graph is drawn from each
object's undefined symbols to the object of the same group that defines them, and every
strongly connected component larger than one file is a circle. Exit status 1 names them.
"""
import collections
import os
import subprocess
import sys

PARTS = ("common", "mssclient", "conf", "pkcs11", "refmssp", "ui")


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "TDBR":
            defined.add(fields[2])
        elif len(fields) == 2 and fields[0] == "U":
            undefined.add(fields[1])
    return defined, undefined


def groups(top):
    found = collections.defaultdict(dict)
    for part in PARTS:
        for folder in (os.path.join(top, part), os.path.join(top, part, ".libs")):
            if not os.path.isdir(folder):
                continue
            for name in os.listdir(folder):
                if name.endswith(".o") and "-" in name:
                    prefix, source = name[:-2].split("-", 1)
                    found[(part, prefix)][source] = os.path.join(folder, name)
    return found


def circles(objects):
    defined, calls = {}, {}
    for source, obj in objects.items():
        defined[source], calls[source] = symbols(obj)
    owner = {sym: source for source, syms in defined.items() for sym in syms}
    graph = {s: {owner[u] for u in calls[s] if u in owner and owner[u] != s} for s in objects}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "."
    bad = 0
    all_groups = groups(top)
    if not all_groups:
        print("check_circles: no object files under %s (build first)" % top)
        return 1
    for (part, prefix), objects in sorted(all_groups.items()):
        for component in circles(objects):
            bad += 1
            print("circle in %s (%s): %s" % (part, prefix, " <-> ".join(component)))
    print("check_circles: %d targets, %d circles" % (len(all_groups), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
