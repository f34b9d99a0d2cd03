#!/usr/bin/env python3
"""Benchmark of the Python binding: a prepared evaluation (the standard compiled once) of the
haiyan demo, and of generated facts of 10^3 and 10^5 units, each repeated; reports the time per
call through the API (`Standard.evaluate` on JSON text, on JSON text and reading one unit's tier,
and on a dict) and its parts: writing the facts as JSON (`json.dumps`), the native call (Rust:
loading the facts, evaluating, writing the response; the GIL released), reading one unit's tier
(`result["SQ2"].tier`: the response parsed in Rust, that unit's fields made Python values),
reading the whole response (`to_dict()`, what `json.loads` gives) and `to_records()`.

Usage (with a release wheel installed — `DUIBIAO_PY_PROFILE=release bash bindings/python/run_tests.sh`
puts one in target/python-venv — from the repository's root):
    target/python-venv/bin/python bindings/python/bench.py [--quick]
"""

import gc
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


def read(raw: str) -> duibiao.Evaluation:
    """The result of a response's text, as `evaluate` makes it."""
    return duibiao.Evaluation(*_marshal.answer(_duibiao.Reply(raw), duibiao.Evaluation))


def measure(std: duibiao.Standard, name: str, facts: dict, repeat: int) -> dict:
    text = _marshal.facts_text(facts)
    raw = _duibiao.evaluate_text(std.handle, text, None).text
    first = "SQ2" if '"id":"SQ2"' in raw else "C0-SQ2"
    api = timed(lambda: std.evaluate(facts), repeat)
    api_text = timed(lambda: std.evaluate(text), repeat)
    api_tier = timed(lambda: std.evaluate(text)[first].tier, repeat)
    dumps = timed(lambda: _marshal.facts_text(facts), repeat)
    native = timed(lambda: _duibiao.evaluate_text(std.handle, text, None), repeat)
    tier = timed(lambda: read(raw)[first].tier, repeat)
    whole = timed(lambda: read(raw).to_dict(), repeat)
    records = timed(lambda: read(raw).to_records(), repeat)
    return {
        "case": name,
        "units": len(facts["units"]),
        "native_ms": native * 1e3,
        "api_text_ms": api_text * 1e3,
        "api_text_tier_ms": api_tier * 1e3,
        "api_dict_ms": api * 1e3,
        "dumps_ms": dumps * 1e3,
        "tier_ms": tier * 1e3,
        "to_dict_ms": whole * 1e3,
        "to_records_ms": records * 1e3,
        "ratio_text": api_text / native,
        "ratio_text_tier": api_tier / native,
        "ratio_dict": api / native,
    }


def main() -> None:
    quick = "--quick" in sys.argv
    std = duibiao.Standard.open(HAIYAN)
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    cases = [
        ("haiyan demo", lambda: demo, 20 if quick else 2000),
        ("10^3 units", lambda: forest(1_000), 5 if quick else 30),
        ("10^5 units", lambda: forest(100_000), 2 if quick else 5),
    ]
    rows = []
    for name, make, n in cases:
        # Each case's facts made just before it is measured, the garbage of the last one
        # collected: the demo is not timed beside the 10^5-unit dicts (the collector would walk
        # them while it runs).
        gc.collect()
        rows.append(measure(std, name, make(), n))
    print(f"{'case':<12} {'units':>7} {'native':>9} {'API(text)':>10} {'+tier':>10} {'API(dict)':>10}"
          f" {'dumps':>9} {'tier':>9} {'to_dict':>9} {'records':>9}")
    for r in rows:
        print(
            f"{r['case']:<12} {r['units']:>7} {r['native_ms']:>7.3f}ms"
            f" {r['api_text_ms']:>8.3f}ms {r['api_text_tier_ms']:>8.3f}ms {r['api_dict_ms']:>8.3f}ms"
            f" {r['dumps_ms']:>7.3f}ms {r['tier_ms']:>7.3f}ms {r['to_dict_ms']:>7.3f}ms"
            f" {r['to_records_ms']:>7.3f}ms"
        )
        print(
            f"{'':<20} ratios to native: text {r['ratio_text']:.2f}x,"
            f" text + tier {r['ratio_text_tier']:.2f}x, dict {r['ratio_dict']:.2f}x"
        )
    print("(medians; API = Standard.evaluate; +tier = and reading one unit's tier; native = the Rust"
          " call on facts already JSON text; tier, to_dict, records = reading a response already made)")
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
