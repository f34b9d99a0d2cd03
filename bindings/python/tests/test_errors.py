"""Exceptions carry the protocol's problems, never a flattened string only; no input crashes
the interpreter."""

import json

import pytest

import duibiao
from duibiao import _duibiao
from conftest import DEMO, HAIYAN

BROKEN = """standard broken-1 {
  title "坏的标准"
}
kind 街道 {
  fact 得分 数
}
tiers 街道 {
  合格: 不存在的名称 >= 60
}
"""


def test_broken_standard_is_a_compile_error_with_code_and_place():
    with pytest.raises(duibiao.CompileError) as e:
        duibiao.Standard.compile(BROKEN, file="broken.std")
    err = e.value
    assert isinstance(err, duibiao.Error)
    assert err.problems and err.code == err.problems[0].code
    p = err.problems[0]
    assert p.code[0] in "EP", p
    assert p.severity == "error"
    assert p.file == "broken.std" and p.line and p.column
    assert p.location["type"] == "source"
    assert p.message_zh and p.message_en
    assert p.to_dict()["code"] == p.code
    assert p.code in str(err)


def test_syntax_error_location():
    with pytest.raises(duibiao.CompileError) as e:
        duibiao.Standard.compile("standard x {\n  title \"未结束\n}\n", file="s.std")
    p = e.value.problems[0]
    assert p.code.startswith("E") and p.line >= 1 and p.column >= 1


def test_malformed_facts_are_a_facts_error(haiyan):
    for call in (
        lambda f: haiyan.evaluate(f),
        lambda f: haiyan.explain(f, "SQ2"),
        lambda f: haiyan.progress(f),
        lambda f: haiyan.gap(f, "SQ2", "示范型"),
        lambda f: haiyan.live(f),
        lambda f: haiyan.diff(f, DEMO),
    ):
        with pytest.raises(duibiao.FactsError) as e:
            call('{"units": [ not json')
        assert e.value.code == "F0001", e.value.problems


def test_wrong_facts_list_every_problem(haiyan):
    facts = {"units": [{"id": "A", "kind": "小区", "scores": {"11.1": 99}}, {"id": "B", "kind": "楼栋"}]}
    with pytest.raises(duibiao.FactsError):
        haiyan.explain(facts, "Z")
    # points out of range are a problem, but the evaluation goes on: ok=false with F codes
    with pytest.raises(duibiao.FactsError) as e:
        haiyan.evaluate(facts)
    codes = [p.code for p in e.value.problems]
    assert "F0012" in codes and "F0005" in codes, codes
    assert e.value.problems[0].unit == "A"
    assert e.value.response["call"] == "evaluate"
    # The evaluation was made all the same (the wrong values count as missing): on `result`.
    partial = e.value.result
    assert isinstance(partial, duibiao.Evaluation) and partial["A"].kind == "小区"
    assert partial.raw == e.value.raw and not partial.ok


def test_usage_errors(haiyan):
    with pytest.raises(duibiao.UsageError) as e:
        haiyan.evaluate(DEMO, params={"无此参数": 1})
    assert e.value.code == "P0001"
    with pytest.raises(duibiao.ProtocolError) as e:
        haiyan.evaluate(DEMO, detail="all")
    assert e.value.code == "A0002" and e.value.problems[0].location["pointer"]
    with pytest.raises(duibiao.UsageError) as e:
        haiyan.gap(DEMO, "SQ2", "金牌")
    assert e.value.code == "G0001"
    with pytest.raises(duibiao.UsageError) as e:
        haiyan.template("楼栋")
    assert e.value.code == "A0007" and e.value.result is None


def test_stale_handle():
    std = duibiao.Standard.open(HAIYAN)
    std.close()
    std.close()
    for call in (lambda: std.evaluate(DEMO), lambda: std.explain(DEMO, "SQ2"), lambda: std.live(DEMO)):
        with pytest.raises(duibiao.HandleError) as e:
            call()
        assert e.value.code == "A0004"
        assert isinstance(e.value, duibiao.UsageError)


def test_context_manager_and_gc_release():
    with duibiao.Standard.open(HAIYAN) as std:
        h = std.handle
        assert std.evaluate(DEMO).ok
    r = json.loads(duibiao.call(json.dumps({"call": "release", "standard": h})))
    assert r["problems"][0]["code"] == "A0004"
    std2 = duibiao.Standard.open(HAIYAN)
    h2 = std2.handle
    del std2
    import gc

    gc.collect()
    r = json.loads(duibiao.call(json.dumps({"call": "release", "standard": h2})))
    assert r["problems"][0]["code"] == "A0004"


def test_a_panic_inside_is_a0008_not_a_crash():
    r = json.loads(_duibiao._panic_inside().text)
    assert r["ok"] is False and r["problems"][0]["code"] == "A0008"
    assert isinstance(duibiao._errors.error_for(r), duibiao.InternalError)


def test_hostile_inputs_never_crash(haiyan):
    for request in ["", "null", "[]", "{", '{"call": 1}', '{"call": "evaluate", "standard": -1}',
                    '{"call": "evaluate", "standard": 18446744073709551615, "facts": {}}',
                    "\x00", '{"call":"compile","source":"' + "(" * 100000 + '"}']:
        r = json.loads(duibiao.call(request))
        assert r["ok"] is False and r["problems"], request[:40]
    deep = "[" * 200000 + "]" * 200000
    with pytest.raises(duibiao.FactsError):
        haiyan.evaluate('{"units": ' + deep + "}")
    with pytest.raises(duibiao.CompileError):
        duibiao.Standard.compile("standard ☃ {")
    # Text Rust cannot take (a lone surrogate) is refused by Python before the call.
    with pytest.raises(UnicodeEncodeError):
        duibiao.call('{"call": "version", "x": "\ud800"}')


def test_facts_that_contain_themselves_are_refused(haiyan, demo_dict):
    unit = dict(demo_dict["units"][0])
    unit["self"] = unit
    with pytest.raises(ValueError, match="contains itself"):
        haiyan.evaluate(dict(demo_dict, units=[unit]))
