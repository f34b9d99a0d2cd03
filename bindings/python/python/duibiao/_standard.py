"""编译好的标准和实时会话 · Compiled standards and live sessions."""

from __future__ import annotations

import datetime
import os
import threading
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, TypeVar, Union

from . import _duibiao as _native
from . import _marshal as m
from ._errors import Problem
from ._json import plain
from ._marshal import AssignmentLike, FactsLike
from ._results import (
    Diff,
    Evaluation,
    Explanation,
    Gap,
    LiveAssignment,
    Progress,
    Template,
    Unit,
)

__all__ = ["Standard", "Live"]

DateLike = Union[str, datetime.date]
_H = TypeVar("_H", bound="_Handle")


class _Handle:
    """A handle of the runtime (a standard's or a live session's), released once: on
    :meth:`close`, at the end of ``with``, or when the object is garbage collected."""

    #: The call that releases the handle, and the field naming it in that call.
    _RELEASE: Tuple[str, str] = ("", "")

    def __init__(self, handle: int) -> None:
        self._handle: Optional[int] = handle
        self._lock = threading.Lock()

    @property
    def handle(self) -> int:
        """句柄；释放后为 0（之后的调用得到 :class:`HandleError`）· The handle; 0 once released
        (later calls then raise :class:`HandleError`)."""
        return 0 if self._handle is None else self._handle

    @property
    def closed(self) -> bool:
        """句柄是否已释放 · Whether the handle was released."""
        return self._handle is None

    def close(self) -> None:
        """释放句柄（可重复调用）；之后的调用抛出 :class:`HandleError` · Releases the handle
        (again is a no-op); later calls raise :class:`HandleError`."""
        with self._lock:
            h, self._handle = self._handle, None
        self._release(h)

    def _release(self, h: Optional[int]) -> None:
        """Releases handle ``h`` (if any); quietly, since it may run while the interpreter shuts
        down."""
        if h is None:
            return
        call, field = self._RELEASE
        try:
            _native.call(m.dumps({"call": call, field: h}))
        except Exception:  # noqa: BLE001 - nothing to report to from a finalizer
            pass

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # No lock in a finalizer: nothing else holds a reference to the object any more.
        h = getattr(self, "_handle", None)
        self._handle = None
        self._release(h)


class Standard(_Handle):
    """编译好的标准：编译一次，反复使用；可在线程间共享 · A compiled standard: compile it once,
    use it as often as needed, from as many threads as needed.

    用 :meth:`compile` 或 :meth:`open` 得到。对象被回收、调用 :meth:`close` 或离开 ``with`` 时释放句柄。
    Made by :meth:`compile` or :meth:`open`; its handle is released when the object is garbage
    collected, on :meth:`close`, or at the end of a ``with`` block.

    每个操作都接受数据（:data:`FactsLike`：字典、JSON 文本或路径）和相同的关键字选项 · Every
    operation takes facts (a dict, JSON text or a path) and the same keyword options:

    - ``params``：参数值，按名称 · parameter values by name
    - ``as_of``：评价日期，``datetime.date`` 或 ``"YYYY-MM-DD"`` · the evaluation date
    - ``set``：假设修改的列表，``"UNIT.KEY=VALUE"``、``{"unit","key","value"}`` 或元组 · what-if changes
    - ``detail``：``"summary"``、``"conditions"``、``"members"``
    - ``lang``：``"zh"``、``"en"``（说明文本的语言 · the language of texts）
    - ``threads``：``"shared"``、``"single"``
    """

    _RELEASE = ("release", "standard")

    def __init__(self, response: Mapping[str, Any], reply: _native.Reply) -> None:
        super().__init__(int(response["handle"]))
        self._response: Dict[str, Any] = plain(response)

    @classmethod
    def compile(
        cls,
        source: str,
        file: Optional[Union[str, "os.PathLike[str]"]] = None,
        limits: Optional[Mapping[str, int]] = None,
    ) -> "Standard":
        """编译 ``.std`` 源文本；``file`` 是问题位置中的文件名；``limits`` 提高或降低上限（如
        ``{"units": 2_000_000}``）。有错时抛出 :class:`CompileError` · Compiles ``.std`` source
        text; ``file`` names it in problems; ``limits`` changes limits. Raises
        :class:`CompileError` with every problem."""
        request: Dict[str, Any] = {"call": "compile", "source": source}
        if file is not None:
            request["file"] = os.fspath(file)
        if limits is not None:
            request["limits"] = dict(limits)
        return cls(*m.call(request))

    @classmethod
    def open(
        cls, path: Union[str, "os.PathLike[str]"], limits: Optional[Mapping[str, int]] = None
    ) -> "Standard":
        """读取并编译 ``.std`` 文件 · Reads and compiles a ``.std`` file (``OSError`` when it
        cannot be read)."""
        with open(path, encoding="utf-8-sig") as f:
            source = f.read()
        return cls.compile(source, file=path, limits=limits)

    # --- what it is ---

    @property
    def slug(self) -> str:
        """标准的标识，如 ``haiyan-2021`` · The standard's slug."""
        return str(self._response.get("standard"))

    @property
    def fingerprint(self) -> str:
        """标准的指纹（``sha256:…``）· The standard's fingerprint."""
        return str(self._response.get("fingerprint"))

    @property
    def title(self) -> Optional[str]:
        """标题 · The title."""
        return self._response.get("title")

    @property
    def kinds(self) -> List[str]:
        """评价的单位类型 · The kinds of unit it assesses."""
        return list(self._response.get("kinds") or [])

    @property
    def warnings(self) -> List[Problem]:
        """编译时的警告 · The compiler's warnings."""
        return [Problem(p) for p in self._response.get("problems") or []]

    # --- operations ---

    def _on(
        self,
        call: str,
        facts: FactsLike,
        fields: Dict[str, Any],
        opts: Optional[Dict[str, Any]],
        result: Any = None,
    ) -> Tuple[Mapping[str, Any], _native.Reply]:
        request: Dict[str, Any] = {"call": call, "standard": self.handle, **fields}
        if opts:
            request["options"] = opts
        return m.call(request, {"facts": m.facts_text(facts)}, result)

    def evaluate(
        self,
        facts: FactsLike,
        *,
        params: Optional[Mapping[str, Any]] = None,
        as_of: Optional[DateLike] = None,
        set: Optional[Iterable[AssignmentLike]] = None,
        detail: Optional[str] = None,
        lang: Optional[str] = None,
        threads: Optional[str] = None,
    ) -> Evaluation:
        """评价全部单位 · Evaluates every unit. ``result["SQ2"].tier``."""
        opts = m.options(params, as_of, set, detail, lang, threads)
        text = m.facts_text(facts)
        handle = self.handle
        reply = _native.evaluate_text(handle, text, None if opts is None else m.dumps(opts))
        return Evaluation(*m.answer(reply, Evaluation))

    def explain(
        self,
        facts: FactsLike,
        unit: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        as_of: Optional[DateLike] = None,
        set: Optional[Iterable[AssignmentLike]] = None,
        detail: Optional[str] = None,
        lang: Optional[str] = None,
        threads: Optional[str] = None,
    ) -> Explanation:
        """一个单位的等级及其理由，引用条款 · Why a unit has its tier, citing clauses."""
        opts = m.options(params, as_of, set, detail, lang, threads)
        return Explanation(*self._on("explain", facts, {"unit": unit}, opts, Explanation))

    def progress(
        self,
        facts: FactsLike,
        *,
        params: Optional[Mapping[str, Any]] = None,
        as_of: Optional[DateLike] = None,
        set: Optional[Iterable[AssignmentLike]] = None,
        detail: Optional[str] = None,
        lang: Optional[str] = None,
        threads: Optional[str] = None,
    ) -> Progress:
        """各项目标的进展 · How far the standard's targets are met."""
        opts = m.options(params, as_of, set, detail, lang, threads)
        return Progress(*self._on("progress", facts, {}, opts, Progress))

    def gap(
        self,
        facts: FactsLike,
        unit: str,
        tier: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        as_of: Optional[DateLike] = None,
        set: Optional[Iterable[AssignmentLike]] = None,
        detail: Optional[str] = None,
        lang: Optional[str] = None,
        threads: Optional[str] = None,
    ) -> Gap:
        """单位达到等级 ``tier`` 还差什么 · What a unit lacks to reach the tier ``tier``."""
        opts = m.options(params, as_of, set, detail, lang, threads)
        return Gap(*self._on("gap", facts, {"unit": unit, "tier": tier}, opts, Gap))

    def diff(
        self,
        before: FactsLike,
        after: FactsLike,
        *,
        params: Optional[Mapping[str, Any]] = None,
        as_of: Optional[DateLike] = None,
        set: Optional[Iterable[AssignmentLike]] = None,
        detail: Optional[str] = None,
        lang: Optional[str] = None,
        threads: Optional[str] = None,
    ) -> Diff:
        """两份数据的结果有何不同 · How the outcomes of two sets of facts differ."""
        opts = m.options(params, as_of, set, detail, lang, threads)
        request: Dict[str, Any] = {"call": "diff", "standard": self.handle}
        if opts:
            request["options"] = opts
        spliced = {"before": m.facts_text(before), "after": m.facts_text(after)}
        return Diff(*m.call(request, spliced, Diff))

    def template(self, kind: str) -> Template:
        """某类单位的空白数据文件 · A blank facts file for one kind of unit."""
        return Template(*m.call({"call": "template", "standard": self.handle, "kind": kind}))

    def live(
        self,
        facts: FactsLike,
        *,
        params: Optional[Mapping[str, Any]] = None,
        as_of: Optional[DateLike] = None,
        set: Optional[Iterable[AssignmentLike]] = None,
        detail: Optional[str] = None,
        lang: Optional[str] = None,
        threads: Optional[str] = None,
    ) -> "Live":
        """打开实时会话：逐项修改，只重新评价受影响的单位 · Opens a live session: change facts one
        at a time; only the units affected are evaluated again."""
        opts = m.options(params, as_of, set, detail, lang, threads)
        text = m.facts_text(facts)
        reply = _native.live_open_text(self.handle, text, None if opts is None else m.dumps(opts))
        return Live(self, *m.answer(reply))

    def __repr__(self) -> str:
        state = "closed" if self._handle is None else f"handle {self._handle}"
        return f"<duibiao.Standard {self.slug} {self.fingerprint[:19]}… {state}>"


class Live(_Handle):
    """实时会话：持有一份评价，逐项修改 · A live session: one evaluation kept up to date, change
    by change. A context manager; closed on :meth:`close`, at the end of ``with``, or when
    garbage collected. Calls on one session take turns; sessions run in parallel."""

    _RELEASE = ("live_close", "live")

    def __init__(self, standard: Standard, response: Mapping[str, Any], reply: _native.Reply) -> None:
        super().__init__(int(response["live"]))
        self.standard: Standard = standard
        self._response: Dict[str, Any] = plain(response)
        #: 打开会话的响应的 JSON 文本 · The JSON text of the response that opened the session.
        self.raw: str = reply.text

    @property
    def units(self) -> int:
        """单位个数 · The number of units."""
        return int(self._response.get("units") or 0)

    @property
    def as_of(self) -> Optional[str]:
        """评价日期 · The evaluation date."""
        return self._response.get("as_of")

    @property
    def unresolved_params(self) -> List[Dict[str, Any]]:
        """没有值的参数 · Parameters without a value."""
        return list(self._response.get("unresolved_params") or [])

    @property
    def problems(self) -> List[Problem]:
        """打开时的警告 · The warnings of opening the session."""
        return [Problem(p) for p in self._response.get("problems") or []]

    def assign(self, *changes: Union[AssignmentLike, Iterable[AssignmentLike]]) -> LiveAssignment:
        """按顺序执行修改，返回每次修改重新评价的单位。有无法执行的修改时抛出 :class:`FactsError`（其余
        修改已执行，见 ``e.result.assigned``）· Makes the changes in order and returns what each
        evaluated again. A change that cannot be made raises :class:`FactsError` (the others are
        made: ``e.result.assigned``)."""
        flat: List[Any] = []
        for c in changes:
            if isinstance(c, list):
                flat.extend(m.assignment(x) for x in c)
            else:
                flat.append(m.assignment(c))  # type: ignore[arg-type]
        request = {"call": "live_assign", "live": self.handle, "set": flat}
        return LiveAssignment(*m.call(request, None, LiveAssignment))

    def unit(self, id: str) -> Unit:
        """一个单位当前的完整结果 · One unit's current full outcome."""
        response, _ = m.call({"call": "live_unit", "live": self.handle, "unit": id})
        return Unit(response.get("unit") or {})

    def __getitem__(self, id: str) -> Unit:
        return self.unit(id)

    def __repr__(self) -> str:
        return f"<duibiao.Live {self.units} units, handle {self.handle}>"
