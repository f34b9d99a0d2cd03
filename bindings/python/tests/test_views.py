"""Responses read through views (duibiao._duibiao.Reply, Object, Array): every view gives what
`json.loads` gives for the same text, field by field and as a whole, whatever the numbers, the
nesting and the characters; results built on views behave as those built on dicts did."""

import collections.abc
import json

import pytest

import duibiao
from duibiao import _duibiao
from duibiao._json import plain

TEXTS = [
    '{"a": 1, "b": -2, "c": 9223372036854775807, "d": 9223372036854775808}',
    '{"big": 123456789012345678901234567890, "neg": -123456789012345678901234567890}',
    '{"f": 1.5, "g": -0.25, "e": 1e3, "E": 2.5E-3, "z": 0.1, "long": 3.141592653589793238462643}',
    '{"n": null, "t": true, "f": false, "s": "城西社区 \\u00e9 \\ud83d\\ude00 \\"q\\""}',
    '{"nested": {"x": [1, [2, [3, {"y": []}]], {}], "k": {"": ""}}, "order": {"z": 1, "a": 2}}',
    '{"empty": {}, "list": [], "units": [{"id": "A"}, {"id": "B", "tiers": {"甲": "pass"}}]}',
]


def walk(view, expected):
    """Reads `view` field by field, as a program would, and compares with `expected`."""
    if isinstance(expected, dict):
        assert isinstance(view, _duibiao.Object)
        assert isinstance(view, collections.abc.Mapping)
        assert len(view) == len(expected)
        assert list(view) == list(expected) == view.keys()
        for k, v in expected.items():
            assert k in view
            walk(view[k], v)
            walk(view.get(k), v)
        assert [k for k, _ in view.items()] == list(expected)
        assert len(view.values()) == len(expected)
    elif isinstance(expected, list):
        assert isinstance(view, _duibiao.Array)
        assert isinstance(view, collections.abc.Sequence)
        assert len(view) == len(expected)
        for i, v in enumerate(expected):
            walk(view[i], v)
            walk(view[i - len(expected)], v)
        assert len(list(view)) == len(expected)
        assert [plain(v) for v in view[1:]] == expected[1:]
        assert [plain(v) for v in view[::-2]] == expected[::-2]
    else:
        assert type(view) is type(expected)
        assert view == expected


@pytest.mark.parametrize("text", TEXTS)
def test_a_view_reads_as_json_loads(text):
    expected = json.loads(text)
    reply = _duibiao.Reply(text)
    assert reply.text == text
    data = reply.data()
    walk(data, expected)
    whole = data.to_py()
    assert whole == expected and list(whole) == list(expected)
    assert json.dumps(whole) == json.dumps(expected)
    assert data == expected and data == _duibiao.Reply(text).data()
    assert json.loads(repr(data)) == expected


def test_a_view_says_what_is_not_there():
    data = _duibiao.Reply('{"a": [1, 2], "b": {}}').data()
    with pytest.raises(KeyError):
        data["missing"]
    assert data.get("missing") is None and data.get("missing", 7) == 7
    assert 1 not in data and None not in data
    with pytest.raises(IndexError):
        data["a"][2]
    with pytest.raises(IndexError):
        data["a"][-3]
    with pytest.raises(TypeError):
        data["a"]["x"]
    assert not data["b"] and data["a"] != [1, 2, 3]


def test_an_array_is_indexed_by_a_field_of_its_objects():
    data = _duibiao.Reply('[{"id": "A"}, 3, {"id": "B"}, {"x": 1}, {"id": "A"}, {"id": 7}]').data()
    assert data.index_by("id") == {"A": 0, "B": 2, 7: 5}
    assert data.index_by("none") == {}


def test_a_reply_that_is_not_json_raises_when_read():
    reply = _duibiao.Reply("{not json")
    assert reply.text == "{not json"
    with pytest.raises(ValueError, match="not JSON"):
        reply.data()


def test_results_read_through_views_equal_the_response(haiyan, demo_dict):
    for detail in ("summary", "conditions", "members"):
        result = haiyan.evaluate(demo_dict, detail=detail)
        expected = json.loads(result.raw)
        assert result.to_dict() == expected
        assert [u.to_dict() for u in result.units] == expected["units"]
        sq2 = result["SQ2"]
        assert sq2 == result.units[2] and result["SQ2"] == sq2 and result["JD"].id == "JD"
        with pytest.raises(KeyError):
            result.unit("nobody")
        assert sq2.tiers == expected["units"][2]["tiers"]
        assert sq2.to_record()["id"] == "SQ2"
        # Summaries give vetoes as name → fired, full outcomes as a list: rows are the same.
        assert result.to_records() == haiyan.evaluate(demo_dict).to_records()
    why = haiyan.explain(demo_dict, "SQ2")
    assert why.unit.to_dict() == json.loads(why.raw)["unit"]
    template = haiyan.template("小区")
    assert template.facts == json.loads(template.raw)["facts"]

