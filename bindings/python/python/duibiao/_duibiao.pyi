"""duibiao 的原生模块：只传递协议的 JSON 文本，响应按需读取 · The native module: passes the
protocol's JSON text; responses are read as they are needed."""

from typing import Any, Dict, Iterator, Mapping, Optional, Sequence, overload

ENGINE: str
PROTOCOL: int

class Reply:
    """运行时的一个响应：JSON 文本，首次读取时在 Rust 中解析 · One response of the runtime: its JSON
    text, parsed in Rust when first read."""

    def __init__(self, text: str) -> None:
        """由响应的 JSON 文本得到 · The reply of a response's JSON text (parsed when first read)."""
    @property
    def text(self) -> str:
        """响应的 JSON 文本 · The response's JSON text."""
    def data(self) -> "Object":
        """整个响应 · The whole response, as a view."""

class Object(Mapping[str, Any]):
    """响应中的 JSON 对象，按需转换；``keys()``、``values()``、``items()`` 给出列表 · A JSON object
    of a response, converted as read; ``keys()``, ``values()`` and ``items()`` give lists."""

    def __len__(self) -> int: ...
    def __getitem__(self, key: str) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def to_py(self) -> Any:
        """整个对象转成 ``dict`` · The whole object as a ``dict``, as ``json.loads`` gives it."""

class Array(Sequence[Any]):
    """响应中的 JSON 数组，按需转换 · A JSON array of a response, converted as read."""

    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...
    def index_by(self, key: str) -> Dict[Any, int]:
        """对象的字段 ``key`` 的值 → 下标（第一个）· Each object item's value of ``key`` → its index."""
    def to_py(self) -> Any:
        """整个数组转成 ``list`` · The whole array as a ``list``, as ``json.loads`` gives it."""

def call(request: str) -> Reply:
    """回答一个协议请求，期间释放 GIL · Answers one protocol request, the GIL released."""

def evaluate_text(standard: int, facts: str, options: Optional[str] = None) -> Reply:
    """以 JSON 文本形式的数据回答 ``evaluate`` · Answers ``evaluate`` for facts as JSON text."""

def live_open_text(standard: int, facts: str, options: Optional[str] = None) -> Reply:
    """以 JSON 文本形式的数据回答 ``live_open`` · Answers ``live_open`` for facts as JSON text."""

def _panic_inside() -> Reply:
    """仅供测试 · For the tests only: a panic inside, answered as ``A0008``."""

class LocalRuntime:
    """独立的运行时，句柄从 1 编号 · A runtime of its own, its handles numbered from 1."""

    def __init__(self) -> None: ...
    def call(self, request: str) -> str:
        """回答一个协议请求，返回响应文本 · Answers one protocol request with the response text."""
