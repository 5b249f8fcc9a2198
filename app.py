"""Chainlit wiring only: chat events -> agent (session, engine, compose) -> messages, steps, elements.

No computation happens here. Everything that touches data (reading uploads, running tools, building
table/chart payloads) runs in a worker thread so the event loop keeps serving other users.
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.input_widget import Select, TextInput

from agent import compose, engine, intents
from agent.session import Session
from prompts import answers as T
from tools.text import Lang

log = logging.getLogger("custfin.app")

SESSION_KEY = "custfin_session"


def browser_language() -> Lang:
    """The UI language of this browser tab (Chainlit reads it from the Accept-Language header)."""
    language = getattr(cl.context.session, "language", None) or "en-US"
    return "zh" if str(language).lower().startswith("zh") else "en"


async def get_session() -> Session:
    session = cl.user_session.get(SESSION_KEY)
    if session is None:  # e.g. a message arriving on a socket whose chat start failed
        session = await asyncio.to_thread(Session, True)
        session.language = browser_language()
        cl.user_session.set(SESSION_KEY, session)
    return session


async def say_sorry(exc: BaseException) -> None:
    """A bilingual, traceback-free message; the details go to the server log."""
    log.exception("custfin: unexpected error", exc_info=exc)
    msg = T.SORRY.format(error=type(exc).__name__)
    await cl.Message(content=f"{msg.en}\n\n{msg.zh}").send()


@cl.on_app_startup
async def warm_demo_data() -> None:
    """Build the demo company and the playbook index once per process so the first chat starts quickly."""
    try:
        await asyncio.to_thread(Session, True)
    except Exception:  # a broken demo must not stop the server; chat start reports it
        log.exception("custfin: could not prepare the demo data")
    try:
        from agent.retrieval import get_store

        await asyncio.to_thread(get_store)
    except Exception:  # recommendations are optional; answers still work without them
        log.exception("custfin: could not index the playbooks")


async def send_chat_settings(session: Session) -> None:
    """Chat settings: engine (auto / offline / model) and model name."""
    await cl.ChatSettings(
        [
            Select(
                id="engine",
                label="Engine / 引擎",
                values=["auto", "offline", "model"],
                initial_value=session.engine,
                description="auto uses the model when one is configured (OPENAI_API_KEY / OPENAI_BASE_URL).",
            ),
            TextInput(id="model", label="Model / 模型", initial=session.model_name or session.settings.model),
        ]
    ).send()


@cl.on_settings_update
async def on_settings_update(settings: dict[str, Any]) -> None:
    session = await get_session()
    if settings.get("engine") in ("auto", "offline", "model"):
        session.engine = settings["engine"]
    model = str(settings.get("model") or "").strip()
    session.model_name = model or None


@cl.on_chat_start
async def on_chat_start() -> None:
    lang = browser_language()
    try:
        session = await asyncio.to_thread(Session, True)
        session.language = lang
        cl.user_session.set(SESSION_KEY, session)
        text = await asyncio.to_thread(compose.welcome, session, lang)
    except Exception as exc:
        await say_sorry(exc)
        return
    await cl.Message(content=text).send()
    try:
        await send_chat_settings(session)
    except Exception:  # settings are a convenience; the chat works without them
        log.exception("custfin: could not send chat settings")


@cl.on_message
async def on_message(message: cl.Message) -> None:
    try:
        session = await get_session()
    except Exception as exc:
        await say_sorry(exc)
        return
    question = (message.content or "").strip()
    if question:
        lang = intents.detect_language(question)
    else:
        lang = session.language
    for element in message.elements or []:
        await ingest_upload(session, element, lang)
    if question:
        await answer_question(session, question)


async def ingest_upload(session: Session, element: Any, lang: Lang) -> None:
    filename = Path(getattr(element, "name", None) or "upload").name
    path = getattr(element, "path", None)
    try:
        if not path:
            await cl.Message(content=T.UPLOAD_UNREADABLE.format(filename=filename).get(lang)).send()
            return
        data = await asyncio.to_thread(Path(path).read_bytes)
        outcome = await asyncio.to_thread(session.add_file, data, filename)
        report = await asyncio.to_thread(outcome.markdown, lang)
    except Exception as exc:
        await say_sorry(exc)
        return
    await cl.Message(content=report).send()


async def answer_question(session: Session, question: str) -> None:
    streamed = cl.Message(content="")
    started = False

    def on_token(token: str) -> None:  # called from the worker thread while the model streams
        nonlocal started
        if token:
            started = True
            cl.run_sync(streamed.stream_token(token))

    try:
        result = await asyncio.to_thread(engine.answer, question, session, session.engine, None, on_token)
        lang = result.language
        for run in result.runs:
            async with cl.Step(name=run.tool, type="tool", show_input="json") as step:
                step.input = run.arguments
                step.output = compose.step_text(run, lang)
                step.is_error = run.error is not None
        content, elements = await asyncio.to_thread(render_answer, result)
    except Exception as exc:
        await say_sorry(exc)
        return
    if started:  # replace the streamed draft with the checked answer (numbers verified, ids restored)
        streamed.content, streamed.elements = content, elements
        await streamed.update()
        return
    await cl.Message(content=content, elements=elements).send()


def render_answer(answer: engine.Answer) -> tuple[str, list[cl.Element]]:
    """Answer -> message text plus inline elements: table, its full CSV, chart (runs in a thread)."""
    lang = answer.language
    content = answer.markdown
    elements: list[cl.Element] = []
    result = answer.result
    if result is None:
        return content, elements
    notes = []
    for table in result.tables:
        name = slug(table.name)
        csv_name = f"{name}.csv"
        total = len(table.frame)
        elements.append(cl.Dataframe(name=name, data=compose.display_frame(table, lang), display="inline"))
        elements.append(
            cl.File(name=csv_name, content=compose.table_csv(table), mime="text/csv", display="inline")
        )
        if total > compose.MAX_DISPLAY_ROWS:
            title = table.title.get(lang) if table.title else table.name
            note = T.TABLE_TRUNCATED.format(
                title=title, shown=compose.MAX_DISPLAY_ROWS, total=total, file=csv_name
            )
            notes.append(note.get(lang))
    for i, chart in enumerate(result.charts):
        figure = chart.figure
        title = chart.title.get(lang) if chart.title else ""
        if title:
            figure = type(figure)(figure)  # a copy: the tool's figure stays untouched
            figure.update_layout(title_text=title)
        elements.append(cl.Plotly(name=f"chart_{i + 1}", figure=figure, display="inline", size="large"))
    if notes:
        content += "\n\n" + "\n".join(f"- {n}" for n in notes)
    return content, elements


def slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", str(name)).strip("_") or "table"
