#!/usr/bin/env python3
"""Sums up cargo-mutants runs (docs/reliability.md, section 5).

Usage: scripts/mutants_summary.py OUT_DIR...   (each the `-o` of a run, holding mutants.out/, or
a folder of its lists such as mutants/duibiao-compiler/)

Reads every run's outcomes.json, keeps one outcome per mutant (a later run of the same mutant, for
example after a test was added, replaces an earlier one), and prints per crate the mutants caught,
timed out (counted as caught), missed and unviable, the score, and every missed mutant.

A mutant whose build failed at link time is not unviable: the mutation compiled, and the link
failed because the run's incremental build cache broke (rust-lld's "undefined hidden symbol";
once it happens, every later mutant of the run fails the same way). Such mutants are counted as
not run, and listed so that they can be run again (`--re` with their names, or `--iterate`).
"""
import json
import sys
from collections import defaultdict
from pathlib import Path


LINK_FAILURE = "undefined hidden symbol"


# The lists a run writes (and `mutants/` keeps), by the outcome each holds.
LISTS = {"caught.txt": "CaughtMutant", "timeout.txt": "Timeout",
         "missed.txt": "MissedMutant", "unviable.txt": "Unviable"}


def listed(root):
    """The outcomes of a directory of lists (caught.txt, …) without outcomes.json: the package
    is the crate's folder, `crates/NAME/…`."""
    for file, summary in LISTS.items():
        path = root / file
        if path.is_file():
            for name in path.read_text().splitlines():
                if name.strip():
                    yield name.split("/")[1], name, summary


def outcomes(out_dir):
    root = Path(out_dir) / "mutants.out"
    if not (root / "outcomes.json").exists():
        root = Path(out_dir)
    if not (root / "outcomes.json").exists():
        yield from listed(root)
        return
    for o in json.loads((root / "outcomes.json").read_text())["outcomes"]:
        scenario = o["scenario"]
        if isinstance(scenario, dict) and "Mutant" in scenario:
            m = scenario["Mutant"]
            summary = o["summary"]
            log = root / o.get("log_path", "")
            if summary == "Unviable" and log.is_file() and LINK_FAILURE in log.read_text(errors="replace"):
                summary = "NotRun"
            yield m["package"], m["name"], summary


def main(dirs):
    latest = {}
    for d in dirs:
        for package, name, summary in outcomes(d):
            latest[(package, name)] = summary
    counts = defaultdict(lambda: defaultdict(int))
    missed = defaultdict(list)
    not_run = defaultdict(list)
    for (package, name), summary in sorted(latest.items()):
        counts[package][summary] += 1
        if summary == "MissedMutant":
            missed[package].append(name)
        if summary == "NotRun":
            not_run[package].append(name)
    for package in sorted(counts):
        c = counts[package]
        caught, timeout = c["CaughtMutant"], c["Timeout"]
        miss, unviable = c["MissedMutant"], c["Unviable"]
        viable = caught + timeout + miss
        score = 100.0 * (caught + timeout) / viable if viable else 0.0
        print(f"{package}: {caught} caught, {timeout} timed out, {miss} missed, "
              f"{unviable} unviable, {c['NotRun']} not run (link failures): "
              f"{score:.1f}% of {viable} viable")
        for name in missed[package]:
            print(f"  missed: {name}")
        for name in not_run[package]:
            print(f"  not run: {name}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
