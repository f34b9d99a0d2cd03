"""duibiao 的原生模块：只传递协议的 JSON 文本 · The native module: passes the protocol's JSON text."""

ENGINE: str
PROTOCOL: int

def call(request: str) -> str:
    """回答一个协议请求，期间释放 GIL · Answers one protocol request, the GIL released."""

def evaluate_text(standard: int, facts: str, options: str | None = None) -> str:
    """以 JSON 文本形式的数据回答 ``evaluate`` · Answers ``evaluate`` for facts as JSON text."""

def live_open_text(standard: int, facts: str, options: str | None = None) -> str:
    """以 JSON 文本形式的数据回答 ``live_open`` · Answers ``live_open`` for facts as JSON text."""

def _panic_inside() -> str:
    """仅供测试 · For the tests only: a panic inside, answered as ``A0008``."""

class LocalRuntime:
    """独立的运行时，句柄从 1 编号 · A runtime of its own, its handles numbered from 1."""

    def __init__(self) -> None: ...
    def call(self, request: str) -> str:
        """回答一个协议请求 · Answers one protocol request."""
