"""A scripted OpenAI-compatible endpoint on 127.0.0.1 for HTTP-level agent tests (no network).

Each POST /v1/chat/completions takes the next scripted reply and records the request body:

- ``{"content": "text"}``: a final answer;
- ``{"tool_calls": [{"name": "tool", "arguments": {...}}]}``: tool calls;
- ``{"raw_tool_call": "<arguments text>", "name": tool}``: a tool call with these raw arguments (bad ones);
- ``{"status": 401 | 429 | 500}``: an error response; ``{"sleep": seconds}`` delays the reply.

The last reply repeats when the script runs out. Streaming (``"stream": true``) is answered with
server-sent events, as OpenAI does. Run standalone: ``python tests/agent/fake_openai_server.py SCRIPT.json``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAIServer:
    """Start with ``.start()``; ``.base_url`` is the OpenAI base URL; ``.requests`` the bodies received."""

    def __init__(self, script: list[dict[str, Any]], port: int = 0) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                owner.requests.append(body)
                owner.headers.append(dict(self.headers))
                reply = owner.script.pop(0) if len(owner.script) > 1 else owner.script[0]
                if reply.get("sleep"):
                    time.sleep(float(reply["sleep"]))
                if "status" in reply:
                    self._json(
                        reply["status"], {"error": {"message": "scripted error", "type": "x", "code": None}}
                    )
                    return
                if body.get("stream"):
                    self._stream(reply, body)
                else:
                    self._json(200, _completion(reply, body))

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, reply: dict[str, Any], body: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for chunk in _chunks(reply, body):
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def start(self) -> FakeOpenAIServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _tool_calls(reply: dict[str, Any]) -> list[dict[str, Any]]:
    if "raw_tool_call" in reply:
        return [
            {
                "id": "call_bad",
                "type": "function",
                "function": {
                    "name": reply.get("name", "customer_profitability"),
                    "arguments": reply["raw_tool_call"],
                },
            }
        ]
    return [
        {
            "id": f"call_{i}",
            "type": "function",
            "function": {"name": c["name"], "arguments": json.dumps(c.get("arguments", {}))},
        }
        for i, c in enumerate(reply.get("tool_calls", []))
    ]


def _completion(reply: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    calls = _tool_calls(reply)
    message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
    if calls:
        message["tool_calls"] = calls
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunks(reply: dict[str, Any], body: dict[str, Any]) -> list[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    out = [chunk({"role": "assistant", "content": ""})]
    text = reply.get("content") or ""
    for i in range(0, len(text), 5):  # small pieces: pseudonyms get split across chunks
        out.append(chunk({"content": text[i : i + 5]}))
    calls = _tool_calls(reply)
    for i, call in enumerate(calls):
        out.append(chunk({"tool_calls": [dict(call, index=i)]}))
    out.append(chunk({}, "tool_calls" if calls else "stop"))
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        server = FakeOpenAIServer(json.load(fh), int(sys.argv[2]) if len(sys.argv) > 2 else 8765)
    print(server.base_url, flush=True)
    server.server.serve_forever()
