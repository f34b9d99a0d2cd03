#!/usr/bin/env python3
"""Compares the responses a runner wrote (one a line, in RESPONSES/NAME.responses) with the
conformance suite's expected responses (SUITE/NAME.json): a response must hold everything the
expected one holds; `engine` is not compared. Used by the C example and the bindings' runners.

Usage: check.py SUITE_DIR RESPONSES_DIR
"""
import json
import pathlib
import sys


def holds(actual, expected, at=""):
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{at}: expected an object, got {json.dumps(actual, ensure_ascii=False)[:200]}"
        for k, v in expected.items():
            if k not in actual:
                return f"{at}/{k}: missing"
            e = holds(actual[k], v, f"{at}/{k}")
            if e:
                return e
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{at}: expected {len(expected)} elements, got {json.dumps(actual, ensure_ascii=False)[:200]}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            err = holds(a, e, f"{at}/{i}")
            if err:
                return err
        return None
    # Numbers compare by value (1 and 1.0), anything else exactly.
    if actual == expected and type(actual) is type(expected) or (
        isinstance(actual, (int, float)) and isinstance(expected, (int, float))
        and not isinstance(actual, bool) and not isinstance(expected, bool) and actual == expected
    ):
        return None
    return f"{at}: expected {json.dumps(expected, ensure_ascii=False)}, got {json.dumps(actual, ensure_ascii=False)[:200]}"


def main():
    suite, responses = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    passed = failed = 0
    for f in sorted(suite.glob("*.json")):
        steps = json.loads(f.read_text(encoding="utf-8"))["steps"]
        got_file = responses / (f.stem + ".responses")
        got = got_file.read_text(encoding="utf-8").splitlines() if got_file.exists() else []
        if len(got) != len(steps):
            print(f"{f}: {len(steps)} steps, {len(got)} responses")
            failed += len(steps)
            continue
        for i, (step, line) in enumerate(zip(steps, got)):
            err = holds(json.loads(line), step["expect"])
            if err:
                print(f"{f} step {i}: {err}")
                failed += 1
            else:
                passed += 1
    print(f"conformance: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
