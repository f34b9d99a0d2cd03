"""Every ```python block of docs/python.md runs as it is from the repository's root; the first,
the five-line example, prints SQ2's tier and its explanation."""

import re
import subprocess
import sys

import pytest

from conftest import ROOT

BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "python.md").read_text(encoding="utf-8"), re.S)


def test_the_five_line_example_is_first():
    assert BLOCKS and len(BLOCKS[0].strip().splitlines()) == 5


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_block_runs(i):
    r = subprocess.run([sys.executable, "-c", BLOCKS[i]], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    if i == 0:
        assert r.stdout.startswith("SQ2: 标准型\n"), r.stdout
        assert "示范型：未达到" in r.stdout and "〔三、建设要求" in r.stdout, r.stdout
