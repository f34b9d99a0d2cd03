"""问题与异常 · Problems and exceptions.

每个问题都是协议中的形式（代码、严重程度、中英文消息和帮助、位置）；调用失败（响应的 ``ok`` 为假）时抛出
:class:`Error` 的子类，``.problems`` 列出全部问题。只有警告的调用不抛出，警告在结果的 ``.problems`` 中。

Every problem has the protocol's shape (code, severity, message and help in Chinese and English,
location). A call that fails (``ok`` false in its response) raises a subclass of :class:`Error`
whose ``.problems`` lists every problem; warnings never raise: they are on the result's
``.problems``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Type

from ._json import plain

__all__ = [
    "Problem",
    "Error",
    "CompileError",
    "FactsError",
    "UsageError",
    "HandleError",
    "InternalError",
    "ProtocolError",
    "error_for",
]


class Problem:
    """一个问题，字段与协议相同 · One problem, with the protocol's fields.

    - ``code``：问题代码，如 ``E0104``、``F0012``、``A0004`` · the problem's code
    - ``severity``：``"error"`` 或 ``"warning"``
    - ``message``：``{"zh": ..., "en": ...}``；``message_zh``、``message_en`` 分别取出 · the message in
      both languages
    - ``help``：``{"zh", "en"}`` 或 ``None`` · the help, if any
    - ``location``：位置字典或 ``None``（源文件：``type="source"``、``file``、``line``、``column``、
      ``start``、``end``；数据：``type="data"``、``input``、``unit``、``key``、``pointer``、``sheet``、
      ``cell``）· where it is, as the protocol writes it
    - ``related``：相关位置（协议中有时才有）· related locations, when the protocol gives them
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data: Dict[str, Any] = dict(plain(data))

    @property
    def code(self) -> str:
        """问题代码 · The problem's code."""
        return str(self._data.get("code", ""))

    @property
    def severity(self) -> str:
        """严重程度：``error`` 或 ``warning`` · ``error`` or ``warning``."""
        return str(self._data.get("severity", ""))

    @property
    def is_error(self) -> bool:
        """是否错误级 · Whether the severity is ``error``."""
        return self.severity == "error"

    @property
    def message(self) -> Dict[str, str]:
        """中英文消息 · The message, ``{"zh": ..., "en": ...}``."""
        return dict(self._data.get("message") or {})

    @property
    def message_zh(self) -> str:
        """中文消息 · The message in Chinese."""
        return str(self.message.get("zh", ""))

    @property
    def message_en(self) -> str:
        """英文消息 · The message in English."""
        return str(self.message.get("en", ""))

    @property
    def help(self) -> Optional[Dict[str, str]]:
        """中英文帮助或 ``None`` · The help in both languages, or ``None``."""
        h = self._data.get("help")
        return dict(h) if h else None

    @property
    def location(self) -> Optional[Dict[str, Any]]:
        """位置或 ``None`` · The location as the protocol writes it, or ``None``."""
        loc = self._data.get("location")
        return dict(loc) if loc else None

    @property
    def related(self) -> List[Dict[str, Any]]:
        """相关位置 · Related locations (empty when none)."""
        return list(self._data.get("related") or [])

    def _at(self, key: str) -> Any:
        loc = self._data.get("location") or {}
        return loc.get(key)

    def _int(self, key: str) -> Optional[int]:
        v = self._at(key)
        return None if v is None else int(v)

    def _str(self, key: str) -> Optional[str]:
        v = self._at(key)
        return None if v is None else str(v)

    @property
    def file(self) -> Optional[str]:
        """源文件名（源文件中的问题）· The file, for a problem in a ``.std`` source."""
        v = self._at("file")
        return None if v is None else str(v)

    @property
    def line(self) -> Optional[int]:
        """行号，从 1 起 · The line (from 1), for a problem in a source."""
        return self._int("line")

    @property
    def column(self) -> Optional[int]:
        """列号，按字符计，从 1 起 · The column (in characters, from 1), for a problem in a source."""
        return self._int("column")

    @property
    def unit(self) -> Optional[str]:
        """数据中的单位编号 · The unit's id, for a problem in data."""
        return self._str("unit")

    @property
    def key(self) -> Optional[str]:
        """数据中的键 · The key, for a problem in data."""
        return self._str("key")

    def to_dict(self) -> Dict[str, Any]:
        """协议中的 JSON 对象 · The problem as the protocol's JSON object."""
        return dict(self._data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and other._data == self._data

    def __hash__(self) -> int:
        return hash((self.code, self.message_en))

    def __str__(self) -> str:
        where = ""
        if self.line is not None:
            where = f"{self.file or ''}:{self.line}:{self.column}: "
        elif self.unit is not None or self.key is not None:
            where = ":".join(str(x) for x in (self.unit, self.key) if x is not None) + ": "
        return f"{self.code} {where}{self.message_en} / {self.message_zh}"

    def __repr__(self) -> str:
        return f"Problem({self._data!r})"


class Error(Exception):
    """duibiao 的全部异常的基类 · The base of every duibiao exception.

    ``problems`` 列出响应中的全部问题（:class:`Problem`），``code`` 是第一个错误的代码，``response``
    是响应的字典，``call`` 是调用名，``result`` 是调用仍给出的结果（或 ``None``）。· ``problems``
    lists every problem of the response, ``code`` is the first error's code, ``response`` the
    response as a dict, ``call`` the call's name, ``result`` the result the call gave all the
    same (or ``None``).
    """

    def __init__(self, problems: List[Problem], response: Optional[Dict[str, Any]] = None) -> None:
        self.problems: List[Problem] = list(problems)
        self.response: Dict[str, Any] = dict(response or {})
        self.call: Optional[str] = self.response.get("call")
        errors = [p for p in self.problems if p.is_error] or self.problems
        self.code: Optional[str] = errors[0].code if errors else None
        #: 响应的 JSON 文本 · The response's JSON text.
        self.raw: str = ""
        #: 调用仍给出了自己的字段时的结果（如部分值有误的数据的评价），否则 ``None`` · The
        #: result, when the call answered its own fields all the same (such as the evaluation of
        #: facts some values of which were wrong: those values count as missing), else ``None``.
        self.result: Optional[Any] = None
        text = "; ".join(str(p) for p in errors[:5])
        if len(errors) > 5:
            text += f"; … ({len(errors) - 5} more)"
        super().__init__(text or "the call failed")

    @property
    def errors(self) -> List[Problem]:
        """错误级的问题 · The problems of severity ``error``."""
        return [p for p in self.problems if p.is_error]


class CompileError(Error):
    """标准无法编译（``E…`` 代码，或编译时超出上限）· The standard cannot be compiled."""


class FactsError(Error):
    """数据有误（``F…`` 代码）· The facts are wrong (``F…`` codes)."""


class UsageError(Error):
    """调用本身不对：参数、选项、等级、单位类型、评价日期（``A…``、``P…``、``G…`` 代码）·
    The call itself is wrong: arguments, options, parameters, tiers, kinds, no date."""


class ProtocolError(UsageError):
    """请求不合协议（``A0001``–``A0003``、``A0009``）· The request does not fit the protocol."""


class HandleError(UsageError):
    """标准或实时会话已释放（``A0004``、``A0005``）· The standard or live session was released."""


class InternalError(Error):
    """duibiao 内部错误（``A0008``，解释器不会崩溃）· An internal error (``A0008``); the
    interpreter never crashes."""


def error_for(response: Dict[str, Any]) -> Error:
    """按响应的调用和第一个错误的代码选择异常 · The exception for a failed response, chosen by
    its call and its first error's code."""
    problems = [Problem(p) for p in response.get("problems") or []]
    errors = [p for p in problems if p.is_error] or problems
    code = errors[0].code if errors else ""
    cls: Type[Error] = Error
    if code in ("A0004", "A0005"):
        cls = HandleError
    elif code == "A0008":
        cls = InternalError
    elif code in ("A0001", "A0002", "A0003", "A0009"):
        cls = ProtocolError
    elif response.get("call") == "compile" or code.startswith("E"):
        cls = CompileError
    elif code.startswith("F"):
        cls = FactsError
    elif code[:1] in ("A", "P", "G"):
        cls = UsageError
    return cls(problems, response)
