"""Data text never becomes a link: answers, steps and chart labels are made inert before they are sent.

Chainlit renders messages with GitHub-flavoured markdown, which turns bare ``http://…``, ``www.…``
and ``name@example.com`` into clickable links, and ``<scheme:…>`` into autolinks; Plotly renders
``<a href>`` in labels and titles as links. Text from uploaded files reaches both (customer names,
product labels, column headers). :func:`inert` puts an invisible word joiner (U+2060) where those
patterns start, so the text reads the same but no link is made; images and inline links are already
made inert by agent/compose.py (``inert_markdown``). :func:`inert_figure` does the same to a Plotly
figure's data labels and titles, and escapes ``<`` there so Plotly shows tags as text.

>>> inert("see http://evil.example or www.evil.example, mail bob@evil.example <http:x>")
'see http:\\u2060//evil.example or www\\u2060.evil.example, mail bob@\\u2060evil.example <\\u2060http:x>'
"""

from __future__ import annotations

import re
from typing import Any

WJ = "\u2060"
_SCHEME = re.compile(r"(?i)(?<=[a-z0-9+.-]):(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")
_EMAIL = re.compile(r"(?<=[A-Za-z0-9._%+-])@(?=[A-Za-z0-9])")
_ANGLE = re.compile(r"<(?=[A-Za-z][A-Za-z0-9+.-]{1,31}:)")
_PROTO = re.compile(r"(?i)\b(mailto|xmpp|javascript|data|vbscript|file|ftp):(?!//)")
# Plotly figure keys that carry data text (never templates, colours or modes)
FIGURE_TEXT_KEYS = frozenset(
    {
        "x",
        "y",
        "z",
        "text",
        "labels",
        "hovertext",
        "name",
        "ids",
        "ticktext",
        "parents",
        "customdata",
        "legendgroup",
    }
)


def inert(text: str) -> str:
    """``text`` with every autolink pattern broken by an invisible word joiner."""
    if not isinstance(text, str) or not text:
        return text
    text = _SCHEME.sub(":" + WJ, text)
    text = _WWW.sub(lambda m: m.group(1) + WJ + ".", text)
    text = _EMAIL.sub("@" + WJ, text)
    text = _ANGLE.sub("<" + WJ, text)
    return _PROTO.sub(lambda m: m.group(1) + WJ + ":", text)


def plotly_text(text: str) -> str:
    """A label for Plotly: tags shown as text (``<`` as ``&lt;``), no autolink patterns."""
    return inert(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _walk(node: Any, under_text_key: bool) -> Any:
    if isinstance(node, str):
        return plotly_text(node) if under_text_key else node
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "title" and isinstance(v, str):
                out[k] = plotly_text(v)
            elif k == "text" and not under_text_key:
                out[k] = _walk(v, True)
            else:
                out[k] = _walk(v, under_text_key or k in FIGURE_TEXT_KEYS)
        return out
    if isinstance(node, list | tuple):
        return [_walk(v, under_text_key) for v in node]
    if hasattr(node, "tolist"):  # numpy arrays of labels
        return _walk(node.tolist(), under_text_key)
    return node


def inert_figure(figure: Any) -> Any:
    """A copy of a Plotly figure whose labels, legends, titles and annotations are inert."""
    import plotly.graph_objects as go

    spec = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure)
    data = [_walk(trace, False) for trace in spec.get("data", [])]
    layout = _walk(spec.get("layout", {}), False)
    return go.Figure(data=data, layout=layout)
