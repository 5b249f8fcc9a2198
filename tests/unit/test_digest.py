"""The digest of changes (issue 17, items 2 and 3): two generated snapshots with hand-planted changes
(tests/unit/digest_data.py) are found, each with the same numbers as the tools give on each snapshot;
ids that changed format are matched and reported; the CLI's cron exit codes and outputs; the chat
phrase and a second upload of the same kind; the webhook payloads of WeCom, DingTalk, Feishu and Slack
posted to a local HTTP server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from agent import digest, engine, run, webhook
from agent.cli import main
from agent.session import Session
from tests.unit.digest_data import make


def _session(paths: list[Path]) -> Session:
    s = Session(demo=False)
    for p in paths:
        outcome = s.add_file(p.read_bytes(), p.name)
        assert outcome.error is None
    return s


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory):
    return make(tmp_path_factory.mktemp("digest"))


@pytest.fixture(scope="module")
def result(snapshots):
    before, after, _ = snapshots
    return digest.digest(_session(before), _session(after), "en")


def _by(d, category):
    return {c.customer_id: c for c in d.changes if c.category == category}


def test_planted_changes_are_found(result, snapshots):
    _, _, p = snapshots
    assert result.id_note is None
    assert p.lost in _by(result, "lost_customer") and list(_by(result, "new_customer")) == [p.new]
    assert _by(result, "new_customer")[p.new].money == pytest.approx(p.new_revenue)
    overdue = _by(result, "newly_overdue")
    assert overdue[p.overdue].money == pytest.approx(p.overdue_amount)
    assert overdue[p.overdue].after == "days_31_60"
    assert overdue[p.grade].after == "days_90_plus"
    ageing = _by(result, "worse_ageing")[p.ageing]
    assert (ageing.before, ageing.after) == ("days_1_30", "days_90_plus")
    grade = _by(result, "grade_worse")[p.grade]
    assert "ABCDE".index(grade.after) > "ABCDE".index(grade.before)
    up, down = _by(result, "profit_up"), _by(result, "profit_down")
    assert p.up in up and up[p.up].money == pytest.approx(p.up_profit, abs=1)
    assert p.down in down and down[p.down].money == pytest.approx(p.down_profit, abs=1)
    assert p.churn in _by(result, "new_high_churn")
    assert result.worse


def test_ranked_by_money_at_stake_with_actions(result):
    money = [abs(c.money) for c in result.ranked]
    assert money == sorted(money, reverse=True)
    assert all(c.action for c in result.changes)
    overdue = next(c for c in result.changes if c.category == "newly_overdue")
    assert "dunning" in overdue.action.lower()  # the playbook overdue_receivables leads to


def test_same_numbers_as_each_tool_on_each_snapshot(result, snapshots):
    """Every before/after value and every amount is the one the tool gives on that snapshot alone."""
    before, after, _ = snapshots
    tables = {}
    for label, paths in (("before", before), ("after", after)):
        s = _session(paths)
        for tool, name in digest.TOOLS.items():
            done = run.run_tool(s, tool, {"n": digest.ALL})
            frame = next(t.frame for t in done.result.tables if t.name == name)
            tables[label, tool] = frame.set_index(frame["customer_id"].astype(str))
    for c in result.changes:
        a = lambda tool: tables["after", tool].loc[c.customer_id]  # noqa: E731
        b = lambda tool: tables["before", tool].loc[c.before_id or c.customer_id]  # noqa: E731
        if c.category == "new_high_churn":
            assert a("churn_risk")["risk_level"] == "high"
            source = a("churn_risk") if c.basis.startswith("trailing") else a("customer_profitability")
            assert c.money == pytest.approx(source[c.basis])
        elif c.category in ("newly_overdue", "worse_ageing"):
            assert c.money == pytest.approx(a("receivables_aging")["overdue_amount"])
            assert a("receivables_aging")[c.after] > 0
        elif c.category.startswith("grade_"):
            assert (b("credit_risk")["grade"], a("credit_risk")["grade"]) == (c.before, c.after)
            assert c.money == pytest.approx(a("credit_risk")["open_amount"])
        elif c.category.startswith("profit_"):
            assert (c.before, c.after) == (b("customer_profitability")["profit"], a("customer_profitability")["profit"])
            assert c.money == pytest.approx(c.after - c.before)
        elif c.category == "new_customer":
            assert c.money == pytest.approx(a("customer_profitability")["revenue"])
            assert c.customer_id not in tables["before", "customer_profitability"].index
        elif c.category == "lost_customer":
            assert c.money == pytest.approx(b("customer_profitability")["revenue"])
            assert c.customer_id not in tables["after", "customer_profitability"].index


def test_ids_that_changed_format_are_matched_and_reported(tmp_path):
    before, after, p = make(tmp_path, ids="digits")
    d = digest.digest(_session(before), _session(after), "en")
    assert d.id_note is not None and "changed format" in d.id_note.en
    lost = _by(d, "lost_customer")
    assert list(lost) == [p.lost]  # the planted one only: the rest matched by their digits
    moved = _by(d, "newly_overdue")[p.overdue.lstrip("C").lstrip("0")]
    assert moved.before_id == p.overdue


def test_ids_that_do_not_match_at_all():
    kb, ka, note, matched = digest.matcher({"A1", "A2", "A3"}, {"X-9", "Y-8", "Z-7"})
    assert not matched and "appear in both" in note.en


def test_cli_cron_exit_codes_and_outputs(snapshots, tmp_path, capsys):
    before, after, p = snapshots
    outs = [tmp_path / "d.json", tmp_path / "d.md", tmp_path / "d.xlsx"]
    args = ["digest", "--before", *map(str, before), "--after", *map(str, after), "--json"]
    code = main(args + sum((["--out", str(o)] for o in outs), []))
    assert code == 3  # something got worse
    printed = json.loads(capsys.readouterr().out)
    assert printed["worse"] and printed["summary"]["new_customer"]["count"] == 1
    assert json.loads(outs[0].read_text())["changes"] == printed["changes"]
    assert p.lost in outs[1].read_text()
    assert outs[2].stat().st_size > 5_000
    same = main(["digest", "--before", *map(str, before), "--after", *map(str, before), "--json"])
    assert same == 0  # nothing changed
    assert json.loads(capsys.readouterr().out)["changes"] == []
    assert main(["digest", "--before", str(tmp_path / "missing.csv"), "--after", str(after[0])]) == 2


def test_chat_phrase_and_second_upload(snapshots):
    before, after, p = snapshots
    session = _session(before)
    ask = engine.answer("what changed since last month?", session, "offline")
    assert "upload the newer export" in ask.markdown and ask.result is None
    for path in after:
        session.add_file(path.read_bytes(), "new_" + path.name)
    answer = engine.answer("和上个月相比有什么变化？", session, "offline")
    assert answer.language == "zh" and answer.result.tool == "change_digest"
    assert p.new in answer.markdown and "新增客户" in answer.markdown
    assert answer.result.tables[0].frame["category"].tolist()[0] in digest.CATEGORIES


# --------------------------------------------------------------------------------------------------
# Webhooks against a local HTTP server
# --------------------------------------------------------------------------------------------------
class _Hook(BaseHTTPRequestHandler):
    received: list = []
    reply = b'{"errcode": 0, "errmsg": "ok"}'

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers["Content-Type"], json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(type(self).reply)

    def log_message(self, *args):
        pass


@pytest.fixture()
def hook_server():
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Hook
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("fmt", webhook.FORMATS)
def test_webhook_payloads(fmt, result, hook_server, snapshots):
    url, hook = hook_server
    _, _, p = snapshots
    if fmt == "slack":
        hook.reply = b"ok"
    else:
        hook.reply = b'{"errcode": 0, "errmsg": "ok", "code": 0}'
    webhook.send(result, fmt, url, "en", names=False)
    (path, content_type, body), = hook.received
    assert content_type.startswith("application/json")
    text = json.dumps(body, ensure_ascii=False)
    if fmt == "wecom":
        assert body["msgtype"] == "markdown" and "custfin digest" in body["markdown"]["content"]
    elif fmt == "dingtalk":
        assert body["msgtype"] == "markdown" and body["markdown"]["title"].startswith("custfin digest")
    elif fmt == "feishu":
        assert body["msg_type"] == "text" and "custfin digest" in body["content"]["text"]
    else:
        assert set(body) == {"text"} and body["text"].startswith("*custfin digest")
    named = [c for c in result.ranked[: webhook.TOP] if c.name]
    assert named and not any(c.name in text for c in named)  # no customer names unless enabled
    assert any(c.customer_id in text for c in named)
    hook.received.clear()
    webhook.send(result, fmt, url, "en", names=True)
    assert named[0].name in json.dumps(hook.received[0][2], ensure_ascii=False)


def test_webhook_signatures_and_refusals(result, hook_server):
    url, hook = hook_server
    body = webhook.payload("feishu", "t", ["x"], secret="s3cret", now=1_700_000_000)
    expected = base64.b64encode(hmac.new(b"1700000000\ns3cret", b"", hashlib.sha256).digest()).decode()
    assert body["timestamp"] == "1700000000" and body["sign"] == expected
    signed = webhook.signed_url("dingtalk", url, "s3cret", now=1_700_000_000)
    assert "timestamp=1700000000000&sign=" in signed
    hook.reply = b'{"errcode": 310000, "errmsg": "keywords not in content"}'
    with pytest.raises(webhook.WebhookError, match="keywords"):
        webhook.send(result, "dingtalk", url, "en")
    with pytest.raises(webhook.WebhookError, match="https"):
        webhook.send(result, "slack", "http://example.com/hook", "en")
    with pytest.raises(webhook.WebhookError, match="CUSTFIN_WEBHOOK_URL"):
        webhook.send(result, "slack", None, "en")


def test_cli_webhook_from_environment(snapshots, hook_server, monkeypatch, capsys):
    before, after, _ = snapshots
    url, hook = hook_server
    hook.reply = b'{"errcode": 0}'
    monkeypatch.setenv("MY_HOOK", url)
    args = ["digest", "--before", *map(str, before), "--after", *map(str, after), "--webhook", "wecom",
            "--webhook-env", "MY_HOOK", "--lang", "zh"]  # fmt: skip
    assert main(args) == 3
    assert "变化摘要" in hook.received[0][2]["markdown"]["content"]
    hook.reply = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
    assert main(args) == 4  # the post failed: cron sees it
    monkeypatch.delenv("MY_HOOK")
    assert main(args) == 2  # no URL: a set-up error, said before any work
    monkeypatch.setenv("MY_HOOK", "http://example.com/hook")
    assert main(args) == 2
    capsys.readouterr()
