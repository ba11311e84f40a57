#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Validate JSON files against a JSON Schema (draft 2020-12) with python3-jsonschema.

Usage: check_json_schema.py SCHEMA FILE...
Prints one line per file that does not validate (or does not parse) and exits 1 if any
did not; 0 when all did. Exit 77 (automake's skip) when the jsonschema module is missing.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: the python3 jsonschema module is not installed (Debian: python3-jsonschema)")
    sys.exit(77)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2])
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}")
            failed += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{path}: {where}: {e.message}")
        failed += bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
