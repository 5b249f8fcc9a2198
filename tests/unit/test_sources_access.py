"""agent/sources.py: the administrator's sources file, per-user access, credentials from the environment.

Golden numbers: the Parquet source holds three rows written here (C1 100 + 50, C2 80 revenue), so total
revenue is 230 by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from agent import sources
from agent.session import Session

CONFIG = """
[[source]]
name = "Orders (Parquet)"
url = "{parquet}"
users = ["alice"]

[[source]]
name = "ERP"
url = "postgresql://analyst:${{ERP_PASSWORD}}@127.0.0.1:1/erp?table=orders"
users = ["*"]
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch) -> Path:
    frame = pd.DataFrame(
        {
            "customer": ["C1", "C1", "C2"],
            "order date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-01-09"]),
            "sales": [100.0, 50.0, 80.0],
        }
    )
    frame.to_parquet(tmp_path / "orders.parquet", index=False)
    path = tmp_path / "sources.toml"
    path.write_text(CONFIG.format(parquet=tmp_path / "orders.parquet"), encoding="utf-8")
    monkeypatch.setenv(sources.ENV, str(path))
    return path


def test_each_user_sees_only_their_sources(config: Path, tmp_path: Path) -> None:
    entries = sources.load(sources.sources_file(tmp_path))
    assert [e.name for e in sources.visible_to(entries, "alice")] == ["Orders (Parquet)", "ERP"]
    assert [e.name for e in sources.visible_to(entries, "bob")] == ["ERP"]
    assert sources.visible_to(entries, None) == []  # nobody signed in: no source


def test_a_source_not_offered_cannot_be_opened(config: Path) -> None:
    entries = sources.load(config)
    with pytest.raises(sources.SourceError) as refused:
        sources.resolve(entries, "bob", "Orders (Parquet)")
    with pytest.raises(sources.SourceError) as unknown:
        sources.resolve(entries, "bob", "Nope")
    assert refused.value.msg.en == unknown.value.msg.en.replace("Nope", "Orders (Parquet)")  # reveals nothing
    assert "数据源" in refused.value.msg.zh


def test_credentials_come_from_the_environment(config: Path, monkeypatch) -> None:
    entries = sources.load(config)
    monkeypatch.delenv("ERP_PASSWORD", raising=False)
    with pytest.raises(sources.SourceError) as missing:
        sources.resolve(entries, "bob", "ERP")
    assert "ERP_PASSWORD" in missing.value.msg.en and "ERP_PASSWORD" in missing.value.msg.zh
    monkeypatch.setenv("ERP_PASSWORD", "s3cret")
    url = sources.resolve(entries, "bob", "ERP")
    assert url.startswith("postgresql://analyst:s3cret@")
    outcome = Session(demo=False).add_source(url)  # nothing listens on port 1
    assert outcome.error is not None and outcome.error.code == "database_unavailable"
    assert "s3cret" not in outcome.error.msg.en and "127.0.0.1:1" in outcome.error.msg.en


def test_the_picked_source_answers_like_an_upload(config: Path) -> None:
    from agent import engine

    url = sources.resolve(sources.load(config), "alice", "Orders (Parquet)")
    session = Session(demo=False)
    outcome = session.add_source(url)
    assert outcome.ok and outcome.report.mapping == {
        "customer": "customer_id",
        "order date": "date",
        "sales": "revenue",
    }
    assert outcome.report.rows_read == 3
    answer = engine.run_tool(session, "customer_profitability", {}, "en")
    assert answer.result.facts["total_revenue"] == 230.0 and answer.result.facts["customers"] == 2


def test_a_malformed_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(sources.SourceError) as err:
        sources.load(bad)
    assert "url" in err.value.msg.en
    assert sources.load(tmp_path / "absent.toml") == []
