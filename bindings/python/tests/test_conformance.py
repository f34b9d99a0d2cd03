"""The shared conformance suite (conformance/*.json) through the binding's raw call: every step's
request goes to a fresh `LocalRuntime` (so handles count from 1, as the expected responses do),
the responses are written one a line, and conformance/check.py compares them, the same check the
C ABI's runner uses."""

import json
import pathlib
import subprocess
import sys

import pytest

from conftest import ROOT

from duibiao import _duibiao

SUITE = ROOT / "conformance"
FILES = sorted(SUITE.glob("*.json"))


def requests(text: str) -> list:
    """Every step's request exactly as the file writes it (problems give columns in the
    request's text, so it is sent as written, as the C runner does)."""
    decoder = json.JSONDecoder()
    key = '{"request":'
    out = []
    at = text.find(key)
    while at >= 0:
        start = at + len(key)
        _, end = decoder.raw_decode(text, start)
        out.append(text[start:end])
        at = text.find(key, end)
    return out


def run(path: pathlib.Path) -> list:
    """The responses to every step of one conformance file, as JSON text: "$standard" and
    "$live" replaced by the handles the last compile and live_open returned."""
    text = path.read_text(encoding="utf-8")
    steps = requests(text)
    assert len(steps) == len(json.loads(text)["steps"])
    rt = _duibiao.LocalRuntime()
    standard = live = 0
    out = []
    for request in steps:
        bound = request.replace('"$standard"', str(standard)).replace('"$live"', str(live))
        raw = rt.call(bound).rstrip("\n")
        response = json.loads(raw)
        if response.get("call") == "compile" and response.get("ok"):
            standard = response["handle"]
        if response.get("call") == "live_open" and response.get("ok"):
            live = response["live"]
        out.append(raw)
    return out


def test_the_suite_has_files():
    assert {"calls", "diagnostics", "limits", "params"} <= {f.stem for f in FILES}, FILES


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_conformance(path, tmp_path):
    suite = tmp_path / "suite"
    responses = tmp_path / "responses"
    suite.mkdir()
    responses.mkdir()
    (suite / path.name).symlink_to(path)
    lines = run(path)
    (responses / (path.stem + ".responses")).write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = subprocess.run(
        [sys.executable, str(SUITE / "check.py"), str(suite), str(responses)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert " 0 failed" in check.stdout, check.stdout
