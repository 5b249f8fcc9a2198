"""Attacks 1, 2 and the sharing leak: another user's elements and feedback, and shared threads.

alice has a real conversation (an upload and an answer with a table, its CSV and a chart, made
through the chat). bob, signed in with his own chat session and holding alice's ids (as thread
sharing leaked them), tries to overwrite her CSV download with a formula, delete her chart, and put or
delete feedback on her messages. Every attempt must answer 404 and change nothing in the database or
on disk. Thread sharing must follow ``allow_thread_sharing`` (false in .chainlit/config.toml).
Also: every Chainlit route that takes such an id is guarded (or listed as harmless).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.security.conftest import chat_user, login, run

ORDERS = Path(__file__).resolve().parents[1] / "e2e" / "data" / "orders_en.csv"


def db_rows(data_dir: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(f"file:{data_dir / 'custfin.sqlite3'}?mode=ro", uri=True, timeout=30) as conn:
        return conn.execute(sql, params).fetchall()


async def _converse(url: str, name: str) -> str:
    user = await chat_user(url, name)
    try:
        await user.upload(ORDERS)
        reply = await user.ask("Who are our 5 most profitable customers?", ORDERS.name)
        assert reply.error is None, reply.error
        return user.session_id
    finally:
        await user.aclose()


@pytest.fixture(scope="module")
def alice_thread(server):
    """alice's conversation: (thread dict as alice sees it, alice's signed-in client)."""
    run(_converse(server.url, "alice"))
    alice = login(server.url, "alice")
    threads = alice.post("/project/threads", json={"pagination": {"first": 20}, "filter": {}}).json()["data"]
    assert threads, "alice's conversation was not stored"
    thread = alice.get(f"/project/thread/{threads[0]['id']}").json()
    return thread, alice


async def _bob_session(url: str):
    bob = await chat_user(url, "bob")
    return bob


def test_element_idor_overwrite_and_delete_refused(server, alice_thread):
    thread, alice = alice_thread
    elements = {e["type"]: e for e in thread["elements"]}
    csv = next(e for e in thread["elements"] if e["name"].endswith(".csv") and e["type"] == "file")
    chart = elements["plotly"]
    csv_before = alice.get(csv["url"]).content
    chart_before = alice.get(chart["url"]).content
    assert csv_before and chart_before

    async def attack() -> list[int]:
        bob = await _bob_session(server.url)
        try:
            statuses = []
            for method, element in (
                ("PUT", csv),
                ("DELETE", chart),
                ("DELETE", csv),
            ):
                payload = {
                    "sessionId": bob.session_id,
                    "element": {
                        "id": element["id"],
                        "type": "custom",  # the type is the caller's claim: her file is not custom
                        "name": element["name"],
                        "display": "inline",
                        "threadId": thread["id"],
                        "forId": element["forId"],
                        "props": {'=HYPERLINK("http://evil.example","click")': 1},
                    },
                }
                response = await bob.http.request(method, "/project/element", json=payload)
                statuses.append(response.status_code)
            return statuses
        finally:
            await bob.aclose()

    statuses = run(attack())
    assert statuses == [404, 404, 404]
    rows = db_rows(
        server.data_dir, 'SELECT id, type, "objectKey" FROM elements WHERE "threadId" = ?', (thread["id"],)
    )
    by_id = {r[0]: r for r in rows}
    assert by_id[csv["id"]][1] == "file" and by_id[chart["id"]][1] == "plotly"  # rows intact
    assert alice.get(csv["url"]).content == csv_before  # her CSV is unchanged
    assert alice.get(chart["url"]).content == chart_before  # her chart still exists

    # Even the owner cannot turn a stored file into a "custom" element through this route.
    async def own() -> int:
        me = await chat_user(server.url, "alice")
        try:
            payload = {"sessionId": me.session_id, "element": {**csv, "type": "custom", "props": {"x": 1}}}
            return (await me.http.put("/project/element", json=payload)).status_code
        finally:
            await me.aclose()

    assert run(own()) == 404
    assert alice.get(csv["url"]).content == csv_before


def test_feedback_idor_refused(server, alice_thread):
    thread, alice = alice_thread
    answer = next(s for s in thread["steps"] if s["type"] == "assistant_message")

    async def attack() -> dict[str, int]:
        bob = await _bob_session(server.url)
        try:
            out = {}
            feedback = {
                "forId": answer["id"],
                "value": 0,
                "threadId": thread["id"],
                "comment": "bob was here",
            }
            r = await bob.http.put("/feedback", json={"feedback": feedback, "sessionId": bob.session_id})
            out["bob_put"] = r.status_code
            feedback = {"forId": answer["id"], "value": 0, "comment": "no thread id"}
            r = await bob.http.put("/feedback", json={"feedback": feedback, "sessionId": bob.session_id})
            out["bob_put_no_thread"] = r.status_code
            mine = await alice_put()
            out["alice_put"] = mine[0]
            r = await bob.http.request("DELETE", "/feedback", json={"feedbackId": mine[1]})
            out["bob_delete"] = r.status_code
            # bob overwrites her feedback row by its id, through a message of his own
            r = await bob.http.put(
                "/feedback",
                json={
                    "feedback": {"id": mine[1], "forId": answer["id"], "value": 0},
                    "sessionId": bob.session_id,
                },
            )
            out["bob_overwrite"] = r.status_code
            out["feedback_id"] = mine[1]
            return out
        finally:
            await bob.aclose()

    async def alice_put() -> tuple[int, str]:
        me = await chat_user(server.url, "alice")
        try:
            feedback = {"forId": answer["id"], "value": 1, "threadId": thread["id"], "comment": "useful"}
            r = await me.http.put("/feedback", json={"feedback": feedback, "sessionId": me.session_id})
            return r.status_code, r.json().get("feedbackId", "")
        finally:
            await me.aclose()

    out = run(attack())
    assert out["alice_put"] == 200
    assert (out["bob_put"], out["bob_put_no_thread"], out["bob_delete"], out["bob_overwrite"]) == (
        404,
        404,
        404,
        404,
    )
    rows = db_rows(
        server.data_dir, 'SELECT id, value, comment FROM feedbacks WHERE "forId" = ?', (answer["id"],)
    )
    assert rows == [(out["feedback_id"], 1, "useful")]  # only alice's, unchanged


def test_thread_sharing_follows_the_setting(server, alice_thread):
    thread, alice = alice_thread
    toggled = alice.put("/project/thread/share", json={"threadId": thread["id"], "isShared": True})
    assert toggled.status_code == 404  # allow_thread_sharing = false: the route is off
    # A thread marked shared (say, while sharing was on) is still not served to anyone.
    with sqlite3.connect(server.data_dir / "custfin.sqlite3", timeout=30) as conn:
        (metadata,) = conn.execute("SELECT metadata FROM threads WHERE id = ?", (thread["id"],)).fetchone()
        data = json.loads(metadata or "{}")
        data["is_shared"] = True
        conn.execute("UPDATE threads SET metadata = ? WHERE id = ?", (json.dumps(data), thread["id"]))
    import httpx

    anonymous = httpx.get(f"{server.url}/project/share/{thread['id']}", timeout=30)
    bob = login(server.url, "bob")
    assert (
        anonymous.status_code in (401, 404) and bob.get(f"/project/share/{thread['id']}").status_code == 404
    )
    assert "Who are our" not in anonymous.text


def test_other_threads_and_elements_answer_404(server, alice_thread):
    thread, _ = alice_thread
    bob = login(server.url, "bob")
    element = thread["elements"][0]
    assert bob.get(f"/project/thread/{thread['id']}").status_code == 404
    assert bob.get(f"/project/thread/{thread['id']}/element/{element['id']}").status_code == 404
    assert bob.get(element["url"]).status_code == 404
    assert bob.put("/project/thread", json={"threadId": thread["id"], "name": "pwned"}).status_code == 404
    assert bob.request("DELETE", "/project/thread", json={"threadId": thread["id"]}).status_code == 404
    assert bob.post("/auth/jwt", headers={"Authorization": "Bearer x"}).status_code == 404  # unused, off


def test_every_chainlit_route_with_an_id_is_guarded():
    """Each route of Chainlit's server either has an ownership rule or takes nobody's ids."""
    import chainlit.server as cl_server
    from fastapi.routing import APIRoute

    from agent.security.ownership import RULES, UNGUARDED, _routers

    seen = set()
    for router in _routers(cl_server.app.router):
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            for method in route.methods - {"HEAD"}:
                key = (method, route.path)
                seen.add(key)
                assert key in RULES or route.path in UNGUARDED, (
                    f"unreviewed Chainlit route {method} {route.path}"
                )
    assert set(RULES) <= seen | {("POST", "/slack/events"), ("POST", "/teams/events")}
