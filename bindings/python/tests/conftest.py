"""Shared fixtures: the repository's root, the haiyan standard and its demo facts."""

import copy
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
HAIYAN = ROOT / "standards" / "haiyan-2021.std"
DEMO = ROOT / "standards" / "haiyan-2021" / "demo.json"


def forest(units: int) -> dict:
    """Facts of at least `units` units: copies of the haiyan demo's forest, ids prefixed per copy."""
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    per = len(demo["units"])
    out = []
    for c in range(-(-units // per)):
        for u in demo["units"]:
            v = copy.copy(u)
            v["id"] = f"C{c}-{u['id']}"
            if u.get("parent"):
                v["parent"] = f"C{c}-{u['parent']}"
            out.append(v)
    return {"standard": demo["standard"], "as_of": demo["as_of"], "units": out}


@pytest.fixture(scope="session")
def haiyan():
    import duibiao

    return duibiao.Standard.open(HAIYAN)


@pytest.fixture(scope="session")
def demo_dict():
    return json.loads(DEMO.read_text(encoding="utf-8"))
