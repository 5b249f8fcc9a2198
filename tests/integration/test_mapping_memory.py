"""Remembered mapping corrections (issue 13 item 5) in the app database, on the SQLite file and on
PostgreSQL: a user's correction is applied, and reported as remembered, to the next file with the same
header; another user, or another header, is not affected; deleting the user deletes the memory."""

from __future__ import annotations

from agent import persistence
from agent.session import Session
from agent.understand import Correction
from tools.ingest import Remembered, header_signature

ON_BOTH_DATABASES = True  # tests/integration/conftest.py

# kilograms sold: not whole numbers, so nothing infers them as a quantity
PANEL = b"product,price,sold,day\nA,9.9,12.5,2024-01-05\nB,19.9,4.25,2024-01-05\nA,8.9,15.5,2024-01-12\n"


def session_of(settings, user: str) -> Session:
    session = Session(demo=False)
    session.user_id = user
    session.mapping_memory = persistence.MappingMemoryStore(settings, user)
    return session


def test_a_correction_is_remembered_per_user_and_header(settings):
    first = session_of(settings, "alice")
    outcome = first.add_file(PANEL, "week1.csv")
    assert not outcome.ok and outcome.error.code == "missing_columns"  # 'sold' is not a known name
    second = session_of(settings, "alice")
    assert second.add_file(PANEL.replace(b"sold", b"qty"), "ok.csv").ok  # another header: nothing to recall
    store = persistence.MappingMemoryStore(settings, "alice")
    signature = header_signature(["product", "price", "sold", "day"])
    store.remember(signature, Remembered({"sold": "quantity"}))

    again = session_of(settings, "alice").add_file(PANEL.replace(b"12.5", b"13.5"), "week2.csv")
    assert again.ok and again.report.kind == "sales" and again.report.mapping["sold"] == "quantity"
    (sold,) = [c for c in again.report.columns if c.source == "sold"]
    assert (sold.how, sold.confidence) == ("remembered", 1.0)
    assert any("earlier correction" in w.en and "sold → quantity" in w.en for w in again.report.warnings)

    bob = session_of(settings, "bob").add_file(PANEL, "week2.csv")
    assert not bob.ok  # bob never corrected it


def test_a_sentence_correction_is_stored_and_replaces_the_earlier_one(settings):
    data = b"client,when,turnover,units\nC1,2024-01-05,10,2\nC1,2024-02-05,20,4\nC2,2024-01-07,5,1\n"
    session = session_of(settings, "carol")
    assert session.add_file(data, "orders.csv").report.mapping["units"] == "quantity"
    session.correct(Correction(column="units", canonical="discount"))
    session.correct(Correction(column="units", canonical="quantity"))
    signature = header_signature(["client", "when", "turnover", "units"])
    assert persistence.MappingMemoryStore(settings, "carol").recall(signature) == Remembered(
        {"units": "quantity"}
    )

    later = session_of(settings, "carol").add_file(data, "orders_feb.csv")
    assert [c.how for c in later.report.columns if c.source == "units"] == ["remembered"]
    assert persistence.delete_user_data(settings, "carol") == 0
    assert persistence.MappingMemoryStore(settings, "carol").recall(signature) is None
