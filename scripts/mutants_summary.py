#!/usr/bin/env python3
"""Sums up cargo-mutants runs (docs/reliability.md, section 5).

Usage: scripts/mutants_summary.py OUT_DIR...   (each the `-o` of a run, holding mutants.out/)

Reads every run's outcomes.json, keeps one outcome per mutant (a later run of the same mutant, for
example after a test was added, replaces an earlier one), and prints per crate the mutants caught,
timed out (counted as caught), missed and unviable, the score, and every missed mutant.
"""
import json
import sys
from collections import defaultdict
from pathlib import Path


def outcomes(out_dir):
    path = Path(out_dir) / "mutants.out" / "outcomes.json"
    if not path.exists():
        path = Path(out_dir) / "outcomes.json"
    for o in json.loads(path.read_text())["outcomes"]:
        scenario = o["scenario"]
        if isinstance(scenario, dict) and "Mutant" in scenario:
            m = scenario["Mutant"]
            yield m["package"], m["name"], o["summary"]


def main(dirs):
    latest = {}
    for d in dirs:
        for package, name, summary in outcomes(d):
            latest[(package, name)] = summary
    counts = defaultdict(lambda: defaultdict(int))
    missed = defaultdict(list)
    for (package, name), summary in sorted(latest.items()):
        counts[package][summary] += 1
        if summary == "MissedMutant":
            missed[package].append(name)
    for package in sorted(counts):
        c = counts[package]
        caught, timeout = c["CaughtMutant"], c["Timeout"]
        miss, unviable = c["MissedMutant"], c["Unviable"]
        viable = caught + timeout + miss
        score = 100.0 * (caught + timeout) / viable if viable else 0.0
        print(f"{package}: {caught} caught, {timeout} timed out, {miss} missed, "
              f"{unviable} unviable: {score:.1f}% of {viable} viable")
        for name in missed[package]:
            print(f"  missed: {name}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
