"""Smoke run of the load test (benchmarks/load.py): 2 socket users and a heavy user for ~15 s against a
real server. Checks that the harness works end to end and that nothing failed; no timing assertions
(the full 20-user run is ``python -m benchmarks.load``)."""

from __future__ import annotations

import json

import pytest

from benchmarks import load
from tests.integration.server import in_thread

pytestmark = pytest.mark.slow


def test_load_smoke(tmp_path):
    out = tmp_path / "load.json"
    status = in_thread(load.main, ["--quick", "--users", "2", "--seconds", "15", "--json", str(out)])
    summary = json.loads(out.read_text())
    assert summary["errors"] == []
    assert status == 0
    assert summary["users"] == 2 and summary["heavy_user"]
    # every client uploaded twice (warm-up and run) and the users got answers over their own files
    assert summary["uploads"] == 2 * (summary["users"] + 1)
    assert summary["questions_answered_light"] >= 2 * summary["users"]
    assert summary["questions_answered_heavy"] >= 1
    assert summary["max_questions_per_minute_per_user"] <= summary["rate_per_minute"]
    latencies = {row["name"]: row for row in summary["latency"]}
    assert latencies["answers, regular users"]["p95"] is not None
    assert all(summary["rss"][k] > 0 for k in ("after start", "after warm-up", "after run"))
