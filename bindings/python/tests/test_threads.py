"""One Standard shared by 16 threads; large facts; the GIL released while Rust works."""

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duibiao
from conftest import DEMO, forest


def test_sixteen_threads_share_one_standard(haiyan, demo_dict):
    expected = haiyan.evaluate(demo_dict).to_dict()
    expected_why = haiyan.explain(DEMO, "SQ2").text

    def work(i):
        out = []
        for _ in range(20):
            r = haiyan.evaluate(demo_dict if i % 2 else DEMO)
            out.append(r.to_dict() == expected)
            out.append(haiyan.explain(demo_dict, "SQ2").text == expected_why)
        with haiyan.live(demo_dict) as live:
            live.assign(f"XQ21.一票否决={'true' if i % 2 else 'false'}")
            out.append(live.unit("XQ21").id == "XQ21")
        return all(out)

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert all(pool.map(work, range(16)))


def test_large_facts(haiyan):
    facts = forest(20_000)
    n = len(facts["units"])
    r = haiyan.evaluate(facts)
    assert len(r) == n >= 20_000
    demo = haiyan.evaluate(DEMO)
    assert r["C7-SQ2"].tier == demo["SQ2"].tier
    assert r.unit(f"C{n // 18 - 1}-XQ33").to_dict()["tier"] == demo["XQ33"].tier
    rows = r.to_records()
    assert len(rows) == n
    single = haiyan.evaluate(facts, threads="single")
    assert single.to_dict() == r.to_dict()


def test_large_facts_100k(haiyan):
    facts = forest(100_000)
    r = haiyan.evaluate(facts)
    assert len(r) == len(facts["units"]) >= 100_000
    assert r["C5000-SQ2"].tier == "标准型"


def test_the_gil_is_released_while_rust_works(haiyan):
    """A Python thread makes progress while the main thread is inside one native evaluation.

    Deterministic, without timing asserts: the switch interval is made huge, so the main thread
    never gives the GIL away while it runs Python code; the counter thread (which sleeps between
    steps, releasing the GIL itself) can then only count while the main thread has released the
    GIL, that is inside the native call. Were the GIL held there, `after == before` exactly."""
    text = duibiao._marshal.facts_text(forest(20_000))
    from duibiao import _duibiao

    started = threading.Event()
    stop = threading.Event()
    count = [0]

    def counter():
        started.wait()
        while not stop.is_set():
            count[0] += 1
            time.sleep(0.0005)

    t = threading.Thread(target=counter)
    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        t.start()
        started.set()
        # Up to 20 native calls, until the counter has moved during one (it cannot, with the GIL
        # held, however many calls are made; released, the first call nearly always suffices).
        for _ in range(20):
            before = count[0]
            raw = _duibiao.evaluate_text(haiyan.handle, text, None)
            after = count[0]
            if after > before:
                break
    finally:
        sys.setswitchinterval(old)
        stop.set()
        t.join()
    assert '"ok":true' in raw.text
    assert after > before
