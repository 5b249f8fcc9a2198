"""A short digest summary posted to a chat webhook (issue 17, item 3): WeCom 企业微信 and DingTalk 钉钉
group robots (markdown), Feishu 飞书 custom bots (text) and Slack incoming webhooks (mrkdwn text).

The URL comes from the environment (CUSTFIN_WEBHOOK_URL, or the variable named by --webhook-env), never
from the command line where it would show in process lists and shell history; CUSTFIN_WEBHOOK_SECRET
signs DingTalk and Feishu posts when the bot asks for it. Customer names stay out of the message unless
enabled (ids only). Only https URLs are posted to, or http on this machine's loopback (tests)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import time
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING, Any

from core.text import Lang, Msg
from prompts import digest as W
from tools.errors import UserFacingError
from tools.formatting import money as fmt_money

if TYPE_CHECKING:
    from agent.digest import Digest

FORMATS = ("wecom", "dingtalk", "feishu", "slack")
TIMEOUT_SECONDS = 15
TOP = 5  # changes named in the message
MAX_CHARS = 3_500  # WeCom caps markdown at 4,096 bytes; the others allow more


class WebhookError(UserFacingError):
    """The webhook could not be posted to (no URL, a refused URL, or the service said no)."""


def summary_lines(d: Digest, lang: Lang, names: bool) -> tuple[str, list[str]]:
    from agent.digest import CATEGORIES, describe

    title = W.WEBHOOK_TITLE.format(after_as_of=(d.after.as_of().isoformat() if d.after.as_of() else "-")).get(lang)
    lines = []
    if d.id_note is not None:
        lines.append(f"⚠️ {d.id_note.get(lang)}")
    for c in CATEGORIES:
        if d.count(c):
            text = W.COUNT.format(label=W.CATEGORY[c].get(lang), count=d.count(c), money=fmt_money(d.money(c), lang))
            lines.append(f"- {text.get(lang)}")
    if not any(d.count(c) for c in CATEGORIES):
        lines.append(W.NO_CHANGES.get(lang))
    else:
        lines.append(f"{W.WEBHOOK_TOP.get(lang)}:")
        lines += [f"{i}. {describe(c, lang, names)}" for i, c in enumerate(d.ranked[:TOP], start=1)]
    return title, lines


def payload(fmt: str, title: str, lines: list[str], secret: str | None = None, now: float | None = None) -> dict[str, Any]:
    """The JSON body each service expects."""
    body = "\n".join(lines)
    if len(body) > MAX_CHARS:
        body = body[: MAX_CHARS - 1] + "…"
    if fmt == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{body}"}}
    if fmt == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{body}"}}
    if fmt == "feishu":
        out: dict[str, Any] = {"msg_type": "text", "content": {"text": f"{title}\n{body.replace('**', '')}"}}
        if secret:
            stamp = str(int(now if now is not None else time.time()))
            key = f"{stamp}\n{secret}".encode()
            out["timestamp"], out["sign"] = stamp, base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        return out
    if fmt == "slack":
        return {"text": f"*{title}*\n{body.replace('**', '*')}"}
    raise WebhookError(Msg(f"Unknown webhook format '{fmt}'.", f"未知的 webhook 格式“{fmt}”。"), code="bad_arguments")


def signed_url(fmt: str, url: str, secret: str | None, now: float | None = None) -> str:
    """DingTalk signs in the query string: timestamp (ms) and sign = base64(HMAC-SHA256(secret, ts\\nsecret))."""
    if fmt != "dingtalk" or not secret:
        return url
    stamp = str(int((now if now is not None else time.time()) * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    loopback = host == "localhost"
    try:
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if parts.scheme == "https" and host or parts.scheme == "http" and loopback:
        return
    raise WebhookError(
        Msg("The webhook URL must be https:// (http only on this machine).", "webhook 地址必须是 https://（仅本机可用 http）。"),
        code="bad_arguments",
    )


def post(fmt: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST the JSON body; returns the service's JSON reply. A refusal raises WebhookError."""
    check_url(url)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"})  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            text = response.read(100_000).decode("utf-8", "replace")
    except OSError as exc:  # URLError, HTTPError, timeouts
        reason = getattr(exc, "reason", None) or exc
        raise WebhookError(Msg(f"The webhook post failed: {reason}.", f"webhook 发送失败：{reason}。"), code="webhook_failed") from None
    try:
        reply = json.loads(text) if text.strip().startswith("{") else {"text": text}
    except json.JSONDecodeError:
        reply = {"text": text}
    code = reply.get("errcode", reply.get("code", reply.get("StatusCode", 0)))
    if code not in (0, None) or (fmt == "slack" and reply.get("text", "ok") != "ok"):
        message = reply.get("errmsg") or reply.get("msg") or reply.get("text") or code
        raise WebhookError(Msg(f"The webhook refused the post: {message}.", f"webhook 拒绝了消息：{message}。"), code="webhook_failed")
    return reply


def require_url(url: str | None) -> str:
    """The URL, when there is one that may be posted to; else a bilingual WebhookError."""
    if not url:
        raise WebhookError(
            Msg("No webhook URL: set CUSTFIN_WEBHOOK_URL (or the variable --webhook-env names).",
                "没有 webhook 地址：请设置 CUSTFIN_WEBHOOK_URL（或 --webhook-env 指定的变量）。"),
            code="bad_arguments",
        )  # fmt: skip
    check_url(url)
    return url


def send(d: Digest, fmt: str, url: str | None, lang: Lang, names: bool = False, secret: str | None = None) -> dict[str, Any]:
    url = require_url(url)
    title, lines = summary_lines(d, lang, names)
    return post(fmt, signed_url(fmt, url, secret), payload(fmt, title, lines, secret))
