"""The Python API on the haiyan standard: compile/open, facts as dict/text/path, every call,
results, options, to_records, templates."""

import datetime
import json
import pathlib

import pytest

import duibiao
from conftest import DEMO, HAIYAN


def test_open_and_compile_agree(haiyan):
    again = duibiao.Standard.compile(HAIYAN.read_text(encoding="utf-8"), file="haiyan.std")
    assert haiyan.slug == again.slug == "haiyan-2021"
    assert haiyan.fingerprint == again.fingerprint
    assert haiyan.fingerprint.startswith("sha256:")
    assert "社区" in haiyan.kinds
    assert haiyan.title
    assert again.handle != haiyan.handle
    again.close()
    assert again.closed


def test_facts_as_dict_text_path_give_the_same(haiyan, demo_dict):
    text = DEMO.read_text(encoding="utf-8")
    results = [
        haiyan.evaluate(demo_dict),
        haiyan.evaluate(text),
        haiyan.evaluate("  \n" + text),
        haiyan.evaluate(text.encode("utf-8")),
        haiyan.evaluate(DEMO),
        haiyan.evaluate(str(DEMO)),
    ]
    first = results[0].to_dict()
    for r in results[1:]:
        assert r.to_dict() == first


def test_sq2_tier_and_explanation(haiyan):
    result = haiyan.evaluate(DEMO)
    sq2 = result["SQ2"]
    assert sq2 is not None and sq2.id == "SQ2"
    assert result.unit("SQ2").to_dict() == sq2.to_dict()
    assert sq2.tier == "标准型"
    assert sq2.tiers["示范型"] == "fail"
    assert result.ok and result.problems == []
    assert result.fingerprint == haiyan.fingerprint
    assert result.as_of == "2021-12-31"
    assert len(result) == 18 and [u.id for u in result][:2] == ["JD", "SQ1"]
    why = haiyan.explain(DEMO, "SQ2")
    assert why.unit.id == "SQ2" and why.unit.tier == "标准型"
    assert "示范型" in why.text and str(why) == why.text
    en = haiyan.explain(DEMO, "SQ2", lang="en")
    assert en.text != why.text
    with pytest.raises(KeyError):
        result.unit("NOPE")
    assert json.loads(result.raw) == result.to_dict()


def test_options(haiyan, demo_dict):
    base = haiyan.evaluate(demo_dict)
    full = haiyan.evaluate(demo_dict, detail="conditions")
    assert "conditions" in full["SQ2"] and "conditions" not in base["SQ2"]
    dated = haiyan.evaluate(demo_dict, as_of=datetime.date(2021, 12, 31))
    assert dated.to_dict() == haiyan.evaluate(demo_dict, as_of="2021-12-31").to_dict()
    what_if = haiyan.evaluate(
        demo_dict, set=["SQ2.6.1=10", ("XQ21", "一票否决", False), {"unit": "SQ2", "key": "社会组织充分融入", "value": True}]
    )
    assert what_if.to_dict() != base.to_dict()
    single = haiyan.evaluate(demo_dict, threads="single")
    assert single.to_dict() == base.to_dict()


def test_records(haiyan):
    rows = haiyan.evaluate(DEMO).to_records()
    assert len(rows) == 18
    sq2 = next(r for r in rows if r["id"] == "SQ2")
    assert sq2["tier"] == "标准型" and sq2["tier:示范型"] == "fail"
    assert isinstance(sq2["score"], float)
    for r in rows:
        assert all(not isinstance(v, (dict, list)) for v in r.values()), r
    try:
        import pandas  # noqa: F401
    except ImportError:
        return
    frame = pandas.DataFrame(rows)
    assert list(frame["id"])[:2] == ["JD", "SQ1"]


def test_progress_gap_diff_template(haiyan, demo_dict):
    p = haiyan.progress(DEMO)
    assert isinstance(p.all_hard_met, bool) and p.targets
    assert p.targets[0].name
    g = haiyan.gap(DEMO, "SQ2", "示范型")
    assert g.unit == "SQ2" and g.target == "示范型" and g.current == "标准型"
    assert g.reachable is True and g.changes and g.changes[0].unit
    after = json.loads(json.dumps(demo_dict))
    after["units"][2]["facts"]["社会组织充分融入"] = True
    d = haiyan.diff(demo_dict, after)
    assert isinstance(d.changed, list) and d.changed
    t = haiyan.template("小区")
    assert t.facts["units"][0]["kind"] == "小区"
    assert haiyan.evaluate(t.facts | {"units": []}).units == []


def test_schema_and_raw_call():
    s = duibiao.schema("facts")
    assert s["title"] == "duibiao facts file"
    r = json.loads(duibiao.call('{"call": "version"}'))
    assert r["ok"] and "evaluate" in r["calls"] and r["protocol"] == duibiao.PROTOCOL
    bad = json.loads(duibiao.call("not json"))
    assert bad["ok"] is False and bad["problems"][0]["code"] == "A0001"


def test_live_session(haiyan):
    with haiyan.live(DEMO) as live:
        assert live.units == 18 and live.as_of == "2021-12-31"
        assert live.unit("SQ2").tier == "标准型"
        done = live.assign("SQ2.社会组织充分融入=true", ("XQ21", "一票否决", False))
        assert len(done.assigned) == 2 and done.assigned[0].units
        assert live["SQ2"].id == "SQ2"
        with pytest.raises(duibiao.FactsError) as e:
            live.assign("XQ33.15.1=10", {"unit": "NOPE", "key": "x", "value": 1})
        assert e.value.code == "F0015"
        assert [a.change["unit"] for a in e.value.result.assigned] == ["XQ33"]
        with pytest.raises(duibiao.FactsError):
            live.unit("NOPE")
    with pytest.raises(duibiao.HandleError) as e:
        live.unit("SQ2")
    assert e.value.code == "A0005"
    live.close()  # again: a no-op


def test_warnings_are_on_the_result_not_raised():
    source = HAIYAN.read_text(encoding="utf-8")
    std = duibiao.Standard.compile(source)
    assert all(isinstance(w, duibiao.Problem) for w in std.warnings)


def test_facts_path_errors(haiyan, tmp_path):
    with pytest.raises(FileNotFoundError):
        haiyan.evaluate(tmp_path / "none.json")
    with pytest.raises(TypeError):
        haiyan.evaluate(42)  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        duibiao.Standard.open(pathlib.Path(tmp_path / "none.std"))


def test_limits():
    source = HAIYAN.read_text(encoding="utf-8")
    small = duibiao.Standard.compile(source, limits={"units": 5})
    with pytest.raises(duibiao.FactsError) as e:
        small.evaluate(DEMO)
    assert "F0018" in [p.code for p in e.value.problems]
    with pytest.raises(duibiao.ProtocolError) as e:
        duibiao.Standard.compile(source, limits={"units": -1})
    assert e.value.code == "A0002"


def test_records_and_problems_round_trip(haiyan):
    r = haiyan.evaluate(DEMO, detail="conditions")
    sq2 = r["SQ2"]
    assert isinstance(sq2, duibiao.Unit) and isinstance(sq2.items[0], duibiao.Record)
    assert sq2.items[0].to_dict() == r.to_dict()["units"][2]["items"][0]
    assert sq2["items"][0]["parts"][0].key == sq2.items[0].parts[0]["key"]
    assert sq2.get("nothing", 1) == 1 and sq2.nothing is None
    with pytest.raises(AttributeError):
        sq2.tier = "x"
    assert r["as_of"] == "2021-12-31"
    with pytest.raises(KeyError):
        r["NOPE"]
