#!/usr/bin/env python3
"""Benchmark of the Python binding: a prepared evaluation (the standard compiled once) of the
haiyan demo, and of generated facts of 10^3 and 10^5 units, each repeated; reports the time per
call through the API (`Standard.evaluate` on a dict) and its parts: writing the facts as JSON
(`json.dumps`), the native call (Rust: loading the facts, evaluating, writing the response; the
GIL released), and reading the response back (`json.loads` and the result object). The
marshalling share is the part of the API call spent outside the native call.

Usage (with a release wheel installed — `DUIBIAO_PY_PROFILE=release bash bindings/python/run_tests.sh`
puts one in target/python-venv — from the repository's root):
    target/python-venv/bin/python bindings/python/bench.py [--quick]
"""

import json
import pathlib
import statistics
import sys
import time

import duibiao
from duibiao import _duibiao
from duibiao import _marshal

ROOT = pathlib.Path(__file__).resolve().parents[2]
HAIYAN = ROOT / "standards" / "haiyan-2021.std"
DEMO = ROOT / "standards" / "haiyan-2021" / "demo.json"


def forest(units: int) -> dict:
    """At least `units` units: copies of the demo's forest, ids prefixed per copy."""
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    out = []
    for c in range(-(-units // len(demo["units"]))):
        for u in demo["units"]:
            v = dict(u, id=f"C{c}-{u['id']}")
            if u.get("parent"):
                v["parent"] = f"C{c}-{u['parent']}"
            out.append(v)
    return {"standard": demo["standard"], "as_of": demo["as_of"], "units": out[:units]}


def timed(f, repeat: int) -> float:
    """The median time of `f()` over `repeat` runs, in seconds (one warm-up run first)."""
    f()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(std: duibiao.Standard, name: str, facts: dict, repeat: int) -> dict:
    text = _marshal.facts_text(facts)
    raw = _duibiao.evaluate_text(std.handle, text, None)
    api = timed(lambda: std.evaluate(facts), repeat)
    api_text = timed(lambda: std.evaluate(text), repeat)
    dumps = timed(lambda: _marshal.facts_text(facts), repeat)
    native = timed(lambda: _duibiao.evaluate_text(std.handle, text, None), repeat)
    loads = timed(lambda: duibiao.Evaluation(_marshal.loads(raw), raw), repeat)
    records = timed(lambda: duibiao.Evaluation(_marshal.loads(raw), raw).to_records(), repeat)
    return {
        "case": name,
        "units": len(facts["units"]),
        "api_dict_ms": api * 1e3,
        "api_text_ms": api_text * 1e3,
        "dumps_ms": dumps * 1e3,
        "native_ms": native * 1e3,
        "loads_ms": loads * 1e3,
        "to_records_ms": records * 1e3,
        "marshalling_share": max(0.0, (api - native) / api),
        "ratio_api_to_native": api / native,
    }


def main() -> None:
    quick = "--quick" in sys.argv
    std = duibiao.Standard.open(HAIYAN)
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    cases = [
        ("haiyan demo", demo, 20 if quick else 200),
        ("10^3 units", forest(1_000), 5 if quick else 30),
        ("10^5 units", forest(100_000), 2 if quick else 5),
    ]
    rows = [measure(std, name, facts, n) for name, facts, n in cases]
    head = f"{'case':<12} {'units':>7} {'API(dict)':>10} {'API(text)':>10} {'dumps':>8} {'native':>8} {'loads':>8} {'records':>8} {'marsh.':>7} {'API/nat':>7}"
    print(head)
    for r in rows:
        print(
            f"{r['case']:<12} {r['units']:>7} {r['api_dict_ms']:>8.3f}ms {r['api_text_ms']:>8.3f}ms"
            f" {r['dumps_ms']:>6.3f}ms {r['native_ms']:>6.3f}ms {r['loads_ms']:>6.3f}ms"
            f" {r['to_records_ms']:>6.2f}ms {r['marshalling_share'] * 100:>6.1f}% {r['ratio_api_to_native']:>6.2f}x"
        )
    print("(medians; API = Standard.evaluate; native = the Rust call on facts already JSON text;"
          " marsh. = share of the API call outside the native call)")
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
