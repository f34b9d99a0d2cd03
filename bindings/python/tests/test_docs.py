"""Every ```python block of docs/python.md and docs/embedding.md runs as it is from the
repository's root; the first of each, the five-line example, prints SQ2's tier and its
explanation."""

import re
import subprocess
import sys

import pytest

from conftest import ROOT

PAGES = ["python.md", "embedding.md"]
BLOCKS = {
    page: re.findall(r"```python\n(.*?)```", (ROOT / "docs" / page).read_text(encoding="utf-8"), re.S)
    for page in PAGES
}


@pytest.mark.parametrize("page", PAGES)
def test_the_five_line_example_is_first(page):
    assert BLOCKS[page] and len(BLOCKS[page][0].strip().splitlines()) == 5


@pytest.mark.parametrize("page,i", [(p, i) for p in PAGES for i in range(len(BLOCKS[p]))])
def test_block_runs(page, i):
    r = subprocess.run([sys.executable, "-c", BLOCKS[page][i]], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    if i == 0:
        assert r.stdout.startswith("SQ2: 标准型\n"), r.stdout
        assert "示范型：未达到" in r.stdout and "〔三、建设要求" in r.stdout, r.stdout
