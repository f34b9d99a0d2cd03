"""结果对象 · Result objects.

每个结果都是协议响应的一层薄包装：属性与协议字段同名，``to_dict()`` 返回响应的字典，``raw`` 是响应的 JSON
文本。嵌套的对象是 :class:`Record`（属性或下标访问，``to_dict()``）。

Every result is a thin wrapper over the protocol's response: attributes named as the protocol's
fields, ``to_dict()`` giving the response as a dict and ``raw`` its JSON text. Nested objects are
:class:`Record` (attribute or item access, ``to_dict()``).
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

from . import _duibiao as _native
from ._errors import Problem
from ._json import plain

__all__ = [
    "Record",
    "Unit",
    "Result",
    "Evaluation",
    "Explanation",
    "Progress",
    "Gap",
    "Diff",
    "Template",
    "Assignment",
    "LiveAssignment",
]


def _wrap(value: Any) -> Any:
    if isinstance(value, (dict, _native.Object)):
        return Record(value)
    if isinstance(value, (list, _native.Array)):
        return [_wrap(v) for v in value]
    return value


class Record:
    """协议中的一个 JSON 对象：``r.tier`` 或 ``r["tier"]``，``to_dict()`` 取回原样的字典 ·
    One JSON object of the protocol: ``r.tier`` or ``r["tier"]``; ``to_dict()`` gives it back
    as it is. Nested objects are records too; a field the protocol did not write is ``None``
    as an attribute and a ``KeyError`` as an item."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _wrap(self._data.get(name))

    def __getitem__(self, key: str) -> Any:
        return _wrap(self._data[key])

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("duibiao results are read-only")

    def keys(self) -> List[str]:
        """协议写出的字段 · The fields the protocol wrote."""
        return list(self._data.keys())

    def get(self, key: str, default: Any = None) -> Any:
        """字段的值，没有时为 ``default`` · A field's value, or ``default``."""
        return _wrap(self._data[key]) if key in self._data else default

    def to_dict(self) -> Dict[str, Any]:
        """协议中的 JSON 对象（字典）· The protocol's JSON object, as a dict."""
        return dict(plain(self._data))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other._data == self._data

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        text = json.dumps(plain(self._data), ensure_ascii=False)
        return f"{type(self).__name__}({text[:300]}{'…' if len(text) > 300 else ''})"


class Unit(Record):
    """一个单位的评价结果（摘要或完整结果，按 ``detail``）· One unit's outcome (its summary, or
    the full outcome with ``detail="conditions"`` or ``"members"``).

    常用字段 · common fields: ``id``, ``name``, ``kind``, ``parent``, ``score``, ``score_total``
    (十进制数的文本 · decimal text), ``tier``, ``tiers`` (等级 → ``pass``/``fail``/``unknown``),
    ``vetoes``, ``missing``; 完整结果另有 · full outcomes add ``items``, ``conditions``,
    ``requirements``, ``derived``, ``consequences``.
    """

    __slots__ = ()

    @property
    def id(self) -> str:
        """单位编号 · The unit's id."""
        return str(self._data.get("id", ""))

    @property
    def name(self) -> Optional[str]:
        """单位名称 · The unit's name."""
        return _opt_str(self._data.get("name"))

    @property
    def kind(self) -> str:
        """单位类型 · The unit's kind."""
        return str(self._data.get("kind", ""))

    @property
    def parent(self) -> Optional[str]:
        """上级单位编号 · The parent's id."""
        return _opt_str(self._data.get("parent"))

    @property
    def tier(self) -> Optional[str]:
        """达到的最高等级，未知或未达到时为 ``None`` · The highest tier reached, or ``None``."""
        return _opt_str(self._data.get("tier"))

    @property
    def tiers(self) -> Dict[str, str]:
        """每个等级的判定：``pass``、``fail``、``unknown`` · Each tier's verdict."""
        return dict(self._data.get("tiers") or {})

    @property
    def score(self) -> Optional[str]:
        """得分（十进制数的文本），未知时为 ``None`` · The score as decimal text, or ``None``."""
        return _opt_str(self._data.get("score"))

    @property
    def score_total(self) -> Optional[str]:
        """满分（十进制数的文本）· The full score as decimal text."""
        return _opt_str(self._data.get("score_total"))

    @property
    def missing(self) -> List[str]:
        """缺少的数据 · The facts missing."""
        return [str(m) for m in self._data.get("missing") or []]

    def to_record(self) -> Dict[str, Any]:
        """一行扁平的字典（见 :meth:`Evaluation.to_records`）· One flat row (see
        :meth:`Evaluation.to_records`)."""
        d = self._data
        row: Dict[str, Any] = {
            "id": d.get("id"),
            "name": d.get("name"),
            "kind": d.get("kind"),
            "parent": d.get("parent"),
            "score": _number(d.get("score")),
            "score_total": _number(d.get("score_total")),
            "tier": d.get("tier"),
        }
        for tier, verdict in (d.get("tiers") or {}).items():
            row[f"tier:{tier}"] = verdict
        vetoes = d.get("vetoes") or {}
        if isinstance(vetoes, Mapping):  # a summary: those that fired (true) or may have (None)
            for veto, fired in vetoes.items():
                row[f"veto:{veto}"] = fired
        else:  # a full outcome: every veto, one object each; the row keeps the summary's
            for v in vetoes:
                if v.get("fired") is not False:
                    row[f"veto:{v.get('name')}"] = v.get("fired")
        row["missing"] = ";".join(str(m) for m in d.get("missing") or [])
        return row


def _opt_str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _number(text: Any) -> Optional[float]:
    if text is None:
        return None
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


class Result(Record):
    """一个调用的响应 · One call's response.

    戳记 · the stamp: ``protocol``, ``engine``, ``call``, ``standard`` (标识 · slug),
    ``fingerprint``; ``ok``; ``problems`` (:class:`Problem`，只含警告 · warnings only, since a
    failed call raises); ``raw`` (响应的 JSON 文本 · the response's JSON text).
    """

    __slots__ = ("_reply",)

    def __init__(self, data: Mapping[str, Any], reply: Union[str, _native.Reply] = "") -> None:
        super().__init__(data)
        object.__setattr__(self, "_reply", reply)

    @property
    def raw(self) -> str:
        """响应的 JSON 文本 · The response's JSON text."""
        reply = self._reply
        return reply if isinstance(reply, str) else reply.text

    @property
    def problems(self) -> List[Problem]:
        """响应中的问题（警告）· The response's problems (warnings)."""
        return [Problem(p) for p in self._data.get("problems") or []]

    @property
    def ok(self) -> bool:
        """调用是否完成且没有错误 · Whether the call did all it was asked, without errors."""
        return bool(self._data.get("ok"))

    @property
    def fingerprint(self) -> Optional[str]:
        """标准的指纹 · The standard's fingerprint."""
        v = self._data.get("fingerprint")
        return None if v is None else str(v)


class Evaluation(Result):
    """``evaluate`` 的结果 · The result of ``evaluate``.

    ``as_of``、``unresolved_params``、``units``（:class:`Unit` 的列表 · a list of :class:`Unit`）；
    ``result["SQ2"]`` 或 ``result.unit("SQ2")`` 按编号取单位；``to_records()`` 给出扁平的行。
    ``result["SQ2"]`` or ``result.unit("SQ2")`` finds a unit by id; ``to_records()`` gives flat rows.
    """

    __slots__ = ("_units", "_by_id")

    def __init__(self, data: Mapping[str, Any], reply: Union[str, _native.Reply] = "") -> None:
        super().__init__(data, reply)
        object.__setattr__(self, "_units", None)
        object.__setattr__(self, "_by_id", None)

    @property
    def units(self) -> List[Unit]:
        """每个单位的结果，按数据中的顺序 · Every unit's outcome, in the facts' order."""
        if self._units is None:
            object.__setattr__(self, "_units", [Unit(u) for u in self._data.get("units") or []])
        return list(self._units)

    @property
    def as_of(self) -> Optional[str]:
        """评价日期 · The evaluation date (``YYYY-MM-DD``) or ``None``."""
        v = self._data.get("as_of")
        return None if v is None else str(v)

    def unit(self, id: str) -> Unit:
        """编号为 ``id`` 的单位；没有时 ``KeyError`` · The unit with this id (``KeyError`` if none)."""
        if self._by_id is None:
            units = self._data.get("units") or []
            if isinstance(units, _native.Array):
                index = units.index_by("id")
            else:
                index = {}
                for i, u in enumerate(units):
                    index.setdefault(u.get("id"), i)
            object.__setattr__(self, "_by_id", index)
        by_id: Dict[str, int] = self._by_id
        made: Optional[List[Unit]] = self._units
        if made is not None:
            return made[by_id[id]]
        return Unit(self._data["units"][by_id[id]])

    def __getitem__(self, key: str) -> Any:
        """编号为 ``key`` 的单位；不是单位编号时取响应的字段 · The unit with this id; else the
        response's field of this name."""
        try:
            return self.unit(key)
        except KeyError:
            if key in self._data:
                return super().__getitem__(key)
            raise

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self._data.get("units") or [])

    def to_records(self) -> List[Dict[str, Any]]:
        """每个单位一行扁平的字典，``pandas.DataFrame(result.to_records())`` 可直接使用 ·
        One flat dict per unit, which ``pandas.DataFrame`` takes as is.

        列 · columns: ``id``, ``name``, ``kind``, ``parent``, ``score``, ``score_total`` (``float``
        或 ``None``), ``tier``, ``tier:等级`` (每个等级的判定 · each tier's verdict),
        ``veto:名称`` (触发或可能触发的否决项：``True``、``None`` · each veto that fired or may have), ``missing`` (缺少的数据，分号分隔 · the missing
        facts, joined by ``;``).
        """
        # Every field of every unit is read: made Python values at once, then read as dicts.
        return [Unit(u).to_record() for u in plain(self._data.get("units")) or []]


class Explanation(Result):
    """``explain`` 的结果：``unit``（:class:`Unit`）、``text``（带条款引用的说明 · the explanation citing
    clauses）、``unresolved_params`` · The result of ``explain``."""

    __slots__ = ()

    @property
    def unit(self) -> Unit:
        """单位的完整结果 · The unit's full outcome (``why.unit.tier``)."""
        return Unit(self._data.get("unit") or {})

    @property
    def text(self) -> str:
        """说明文本 · The explanation's text."""
        return str(self._data.get("text") or "")

    def __str__(self) -> str:
        return self.text


class Progress(Result):
    """``progress`` 的结果：``as_of``、``targets``、``all_hard_met`` · The result of ``progress``."""

    __slots__ = ()


class Gap(Result):
    """``gap`` 的结果：``unit``、``kind``、``current``、``target``、``reachable``、``changes``（达到目标
    等级需要的修改 · the changes that reach the tier）、``issues``、``reasons`` · The result of
    ``gap``."""

    __slots__ = ()


class Diff(Result):
    """``diff`` 的结果：``added``、``removed``、``changed``、``targets`` · The result of ``diff``."""

    __slots__ = ()


class Template(Result):
    """``template`` 的结果：``facts`` 是可填写的数据文件（字典）· The result of ``template``:
    ``facts`` is a facts file to fill in (a dict, as :meth:`Record.to_dict` gives)."""

    __slots__ = ()

    @property
    def facts(self) -> Dict[str, Any]:
        """数据文件模板（字典）· The facts template, as a dict."""
        return dict(plain(self._data.get("facts")) or {})


class Assignment(Record):
    """实时会话中一次修改的结果：``change``、``evaluated``（重新评价的单位数）、``units``（受影响的单位）·
    One change made in a live session: ``change``, ``evaluated`` (units evaluated again),
    ``units`` (the outcomes that changed)."""

    __slots__ = ()

    @property
    def units(self) -> List[Unit]:
        """受影响的单位 · The units whose outcome was recomputed."""
        return [Unit(u) for u in self._data.get("units") or []]


class LiveAssignment(Result):
    """``Live.assign`` 的结果：``assigned`` 列出每次修改；无法执行的修改在 ``problems`` 中 ·
    The result of ``Live.assign``: ``assigned`` lists every change made; changes that could not
    be made are on ``problems``."""

    __slots__ = ()

    @property
    def assigned(self) -> List[Assignment]:
        """已执行的修改 · The changes made."""
        return [Assignment(a) for a in self._data.get("assigned") or []]
