#!/usr/bin/env python3
"""Prints an `--exclude-re` argument of cargo-mutants for each mutant judged equivalent.

Usage: scripts/mutants_excludes.py mutants/CRATE/equivalent.txt

Each line of the file names a mutant as cargo-mutants names it (`FILE:LINE:COLUMN: replace … with
… in FUNCTION`): a survivor judged equivalent, with its reason, in docs/reliability.md §5. A run
with `--iterate` runs every missed mutant again; these would survive again, so they are left out
(one argument a line, to read with `mapfile`). A mutant whose code moves has another name and is
run again, as it should be.
"""
import sys

# The characters a Rust regex gives a meaning to; every other character stands for itself.
SPECIAL = set("\\.+*?()|[]{}^$#&-~")


def escaped(name):
    """`name` as a regex matching exactly it."""
    return "^" + "".join("\\" + c if c in SPECIAL else c for c in name) + "$"


def main(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            name = line.strip()
            if name:
                print("--exclude-re=" + escaped(name))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
