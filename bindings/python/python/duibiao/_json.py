"""响应的视图 · Views of responses.

原生模块把响应保留在 Rust 中：:class:`~duibiao._duibiao.Object` 和 :class:`~duibiao._duibiao.Array`
只在读取某个字段时才生成它的 Python 值。它们分别登记为 ``Mapping`` 和 ``Sequence``。

The native module keeps a response in Rust: its views make the Python value of a field only when
the field is read. They are registered as ``Mapping`` and ``Sequence``.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from typing import Any

from . import _duibiao as _native

Mapping.register(_native.Object)
Sequence.register(_native.Array)

#: 视图的类型 · The types of views.
VIEWS = (_native.Object, _native.Array)


def plain(value: Any) -> Any:
    """``value`` 中的视图全部转成 ``dict`` 和 ``list``，与 ``json.loads`` 相同 · The value with every
    view made into dicts and lists, as ``json.loads`` gives them. The cyclic garbage collector is
    paused meanwhile: a large response makes millions of containers, none in a cycle, and the
    collections their allocation would set off can take longer than making them."""
    if not isinstance(value, VIEWS):
        return value
    if not gc.isenabled():
        return value.to_py()
    gc.disable()
    try:
        return value.to_py()
    finally:
        gc.enable()
