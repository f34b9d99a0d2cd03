"""duibiao（对标）的 Python 绑定 · The Python binding of duibiao.

编译一次标准，之后反复评价；每个结果都是嵌入协议的响应（见 docs/python.md 与 docs/embedding.md）。
Compile a standard once, then evaluate as often as needed; every result is a response of the
embedding protocol (see docs/python.md and docs/embedding.md).

>>> import duibiao
>>> std = duibiao.Standard.open("standards/haiyan-2021.std")
>>> result = std.evaluate("standards/haiyan-2021/demo.json")
>>> result["SQ2"].tier
'标准型'
"""

from __future__ import annotations

from typing import Any, Dict

from . import _duibiao
from ._errors import (
    CompileError,
    Error,
    FactsError,
    HandleError,
    InternalError,
    Problem,
    ProtocolError,
    UsageError,
)
from ._marshal import AssignmentLike, FactsLike
from ._results import (
    Assignment,
    Diff,
    Evaluation,
    Explanation,
    Gap,
    LiveAssignment,
    Progress,
    Record,
    Result,
    Template,
    Unit,
)
from ._standard import Live, Standard

__all__ = [
    "Standard",
    "Live",
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
    "Problem",
    "Error",
    "CompileError",
    "FactsError",
    "UsageError",
    "ProtocolError",
    "HandleError",
    "InternalError",
    "FactsLike",
    "AssignmentLike",
    "call",
    "schema",
    "ENGINE",
    "PROTOCOL",
    "__version__",
]

#: 引擎版本 · The engine's version.
ENGINE: str = _duibiao.ENGINE
#: 协议版本 · The protocol's version.
PROTOCOL: int = _duibiao.PROTOCOL
__version__: str = ENGINE


def call(request: str) -> str:
    """直接发送一个协议请求（JSON 文本），返回响应文本，不抛出异常 · Sends one protocol request
    (JSON text) as it is and returns the response text; never raises for a failed call."""
    return _duibiao.call(request).text


def schema(name: str) -> Dict[str, Any]:
    """协议的 JSON Schema：``"facts"``、``"request"`` 或 ``"response"`` · One of the protocol's
    JSON Schemas."""
    from ._marshal import call as _call

    response, _ = _call({"call": "schema", "name": name})
    result: Dict[str, Any] = response["schema"]
    return result
