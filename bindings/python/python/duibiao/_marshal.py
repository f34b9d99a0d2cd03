"""把 Python 的值写成协议的 JSON 文本，把响应读回来 · Writing Python values as the protocol's
JSON text and reading responses back. Nothing here knows a rule: it only marshals."""

from __future__ import annotations

import datetime
import decimal
import json
import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _duibiao as _native
from ._errors import Error, FactsError, Problem, error_for
from ._json import plain

#: 数据：字典、JSON 文本（去掉前导空白后以 ``{`` 开头的 ``str``，或 ``bytes``）、或文件路径（其他
#: ``str``、``os.PathLike``）· Facts: a dict, JSON text (a ``str`` whose first character after
#: white space is ``{``, or ``bytes``), or a path (any other ``str``, or an ``os.PathLike``).
FactsLike = Union[Mapping[str, Any], str, bytes, "os.PathLike[str]"]

#: 一次假设修改：``"UNIT.KEY=VALUE"``、``{"unit", "key", "value"}`` 或 ``(unit, key, value)`` ·
#: One what-if change.
AssignmentLike = Union[str, Mapping[str, Any], Tuple[str, str, Any]]


def _default(value: Any) -> Any:
    """JSON for values json cannot write itself: dates as ``YYYY-MM-DD``, exact decimals as
    numbers."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        if value == value.to_integral_value():
            return int(value)
        f = float(value)
        if decimal.Decimal(repr(f)) == value:
            return f
        raise TypeError(f"the decimal {value} has no exact JSON number that Python's json writes")
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON: {value!r}")


def dumps(value: Any) -> str:
    """Compact JSON text, non-ASCII kept as it is. Without json's check for cycles (a fifth of the
    time of writing the haiyan demo's facts): a value that contains itself nests without end,
    which Python stops with ``RecursionError``, said here as a ``ValueError``."""
    try:
        return json.dumps(
            value, ensure_ascii=False, separators=(",", ":"), check_circular=False, default=_default
        )
    except RecursionError:
        raise ValueError("the value contains itself (or nests too deep) and cannot be written as JSON") from None


def _read(path: Union[str, "os.PathLike[str]"]) -> str:
    with open(path, encoding="utf-8-sig") as f:
        return f.read()


def facts_text(facts: FactsLike) -> str:
    """数据的 JSON 文本 · The facts as JSON text (see :data:`FactsLike`)."""
    if isinstance(facts, Mapping):
        return dumps(facts)
    if isinstance(facts, str):
        if facts.lstrip("\ufeff \t\r\n").startswith("{"):
            return facts
        return _read(facts)
    if isinstance(facts, (bytes, bytearray)):
        return bytes(facts).decode("utf-8-sig")
    if isinstance(facts, os.PathLike):
        return _read(facts)
    raise TypeError(
        "facts must be a dict, JSON text (str or bytes) or a path, "
        f"not {type(facts).__name__}"
    )


def assignment(change: AssignmentLike) -> Any:
    """One assignment as the protocol writes it."""
    if isinstance(change, str):
        return change
    if isinstance(change, Mapping):
        return dict(change)
    if isinstance(change, tuple) and len(change) == 3:
        unit, key, value = change
        return {"unit": unit, "key": key, "value": value}
    raise TypeError(
        "a change is 'UNIT.KEY=VALUE', {'unit', 'key', 'value'} or (unit, key, value), "
        f"not {change!r}"
    )


def options(
    params: Optional[Mapping[str, Any]] = None,
    as_of: Union[None, str, datetime.date] = None,
    set: Optional[Iterable[AssignmentLike]] = None,
    detail: Optional[str] = None,
    lang: Optional[str] = None,
    threads: Optional[str] = None,
) -> Optional[Dict[str, Any]]:
    """The protocol's ``options`` object for these keywords (``None`` when all are defaults)."""
    o: Dict[str, Any] = {}
    if params is not None:
        o["params"] = dict(params)
    if as_of is not None:
        o["as_of"] = as_of if isinstance(as_of, str) else _default(as_of)
    if set is not None:
        if isinstance(set, (str, Mapping)):
            set = [set]
        o["set"] = [assignment(c) for c in set]
    if detail is not None:
        o["detail"] = detail
    if lang is not None:
        o["lang"] = lang
    if threads is not None:
        o["threads"] = threads
    return o or None


#: The fields every response has; any other is the call's own.
STAMP = frozenset(("protocol", "engine", "call", "standard", "fingerprint", "ok", "problems"))


#: What makes a result of a response: its data and its reply.
Maker = Callable[[Mapping[str, Any], Any], Any]


def failed(reply: _native.Reply, result: Optional[Maker]) -> Error:
    """The exception for a response that is not ``ok``, with ``result`` made of it when the
    call answered its own fields all the same (an evaluation of facts some values of which were
    wrong, the changes of a live session that could be made)."""
    response: Dict[str, Any] = plain(reply.data())
    e = error_for(response)
    e.raw = reply.text
    if result is not None and any(k not in STAMP for k in response):
        e.result = result(response, reply)
    return e


def answer(
    reply: _native.Reply, result: Optional[Maker] = None
) -> Tuple[Mapping[str, Any], _native.Reply]:
    """The response ``reply`` (its data and itself); raises the matching :class:`Error` when it
    is not ``ok``."""
    response = reply.data()
    if not response.get("ok"):
        raise failed(reply, result)
    return response, reply


def call(
    request: Mapping[str, Any],
    spliced: Optional[Mapping[str, str]] = None,
    result: Optional[Maker] = None,
) -> Tuple[Mapping[str, Any], _native.Reply]:
    """Makes the call ``request``, with the fields in ``spliced`` given as JSON text (facts,
    written into the request as they are, never parsed in Python)."""
    text = dumps(request)
    if spliced:
        parts = [text[:-1]]
        for name, value in spliced.items():
            parts.append(f',"{name}":{value}')
        parts.append("}")
        text = "".join(parts)
    reply = _native.call(text)
    response = reply.data()
    if not response.get("ok") and spliced and _codes(response) == ["A0001"]:
        _raise_for_facts(request, spliced)
    if not response.get("ok"):
        raise failed(reply, result)
    return response, reply


def _codes(response: Mapping[str, Any]) -> List[Any]:
    return [p.get("code") for p in response.get("problems") or []]


def _raise_for_facts(request: Mapping[str, Any], spliced: Mapping[str, str]) -> None:
    """A request with facts spliced in that is not JSON: when facts are not JSON, raises the
    loader's own problems for them (``F0001``), as ``evaluate`` would report them."""
    problems = []
    for name, text in spliced.items():
        r = plain(_native.evaluate_text(int(request.get("standard") or 0), text, None).data())
        for p in r.get("problems") or []:
            if str(p.get("code", "")).startswith("F0001"):
                loc = dict(p.get("location") or {})
                if loc.get("input") == "facts":
                    loc["input"] = name
                    p = dict(p, location=loc)
                problems.append(p)
    if problems:
        raise FactsError([Problem(p) for p in problems], {"call": request.get("call"), "ok": False, "problems": problems})
