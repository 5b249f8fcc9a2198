"""Chainlit wiring only: chat events -> agent (session, engine, compose) -> messages, steps, elements.

No computation happens here. Everything that touches data (reading uploads, running tools, building
table/chart payloads) runs in a worker thread so the event loop keeps serving other users.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import chainlit as cl
import chainlit.config as chainlit_config_module
import chainlit.server as chainlit_server
from chainlit.auth import get_current_user
from chainlit.chat_context import chat_contexts
from chainlit.config import config as chainlit_config
from chainlit.data import get_data_layer
from chainlit.input_widget import Select, TextInput
from chainlit.server import app as server_app
from chainlit.types import ThreadDict
from chainlit.user import PersistedUser
from chainlit.utils import utc_now
from fastapi import Depends, HTTPException
from fastapi.responses import FileResponse

from agent import auth, compose, database, digest, downloads, engine, oauth, persistence, understand
from agent import settings as settings_mod
from agent import sources as live_sources
from agent.answer import Answer
from agent.datalayer import FILES_ROUTE, CustfinDataLayer
from agent.memory import IdleReleaser
from agent.report import conversation
from agent.security import files, render, shutdown, uploads, wiring
from agent.session import Session
from core.text import Lang
from prompts import answers as T
from prompts import digest as DW
from prompts import report as RW
from tools.errors import UserFacingError
from tools.ingest import read_tables

log = logging.getLogger("custfin.app")

SESSION_KEY = "custfin_session"
SETTINGS = settings_mod.load()
RETENTION_INTERVAL = 6 * 3600  # seconds between retention sweeps
# Element files are served with their own type only when the browser cannot run them.
SAFE_MIME = {".csv": "text/csv", ".json": "application/json", ".png": "image/png", ".txt": "text/plain"}


def bind_host() -> str:
    """The address uvicorn listens on (chainlit run --host / CHAINLIT_HOST; Chainlit's default 127.0.0.1)."""
    return str(chainlit_config.run.host or os.environ.get("CHAINLIT_HOST") or "127.0.0.1")


def allowed_origins() -> list[str]:
    if SETTINGS.allowed_origins:
        return list(SETTINGS.allowed_origins)
    port = chainlit_config.run.port
    hosts = [bind_host()]
    if auth.is_loopback(hosts[0]):
        hosts += ["127.0.0.1", "localhost"]
    return list(dict.fromkeys(f"http://{h}:{port}" for h in hosts))


# The data directory is owner-only whatever the umask (agent/security/files.py). Login cookies: a signing
# secret, a shorter lifetime than Chainlit's 15 days, and CORS limited to this server's own origin (the
# CORS middleware reads this list when the first request arrives).
files.harden(SETTINGS.data_dir)
auth.ensure_auth_secret(SETTINGS)
database.ensure_schema(SETTINGS)
log.info("custfin: database %s", database.describe(SETTINGS))
# Chainlit keeps uploads in flight under <app root>/.files and deletes that whole folder when a server
# stops, so two servers started from one checkout would delete each other's uploads: keep them in the
# data directory instead (owner-only, next to the rest of this server's data).
chainlit_server.FILES_DIRECTORY = chainlit_config_module.FILES_DIRECTORY = SETTINGS.data_dir / "uploading"
chainlit_server.FILES_DIRECTORY.mkdir(parents=True, exist_ok=True)
chainlit_config.project.user_session_timeout = SETTINGS.session_hours * 3600
chainlit_config.project.allow_origins[:] = allowed_origins()


@cl.data_layer
def data_layer() -> CustfinDataLayer:
    return CustfinDataLayer(SETTINGS)


@cl.password_auth_callback
async def password_login(username: str, password: str) -> cl.User | None:
    """Throttled by the login route (agent/security/login.py); argon2 runs on the login thread."""
    if await SECURITY.verify_password(auth.verify_password, SETTINGS, username, password, False):
        return cl.User(identifier=username, metadata={"provider": "password"})
    return None


async def local_login(headers: Any) -> cl.User | None:
    """The automatic local user (loopback, no password users); re-checked on every sign-in."""
    if await asyncio.to_thread(auth.local_login_allowed, SETTINGS, bind_host()):
        return cl.User(identifier=auth.LOCAL_USER, metadata={"provider": "local"})
    return None


async def oauth_login(
    provider_id: str,
    token: str,
    raw_user_data: dict[str, Any],
    default_user: cl.User,
    id_token: str | None = None,
) -> cl.User | None:
    """OAuth sign-in through Chainlit's providers: only verified e-mails on CUSTFIN_OAUTH_ALLOWED."""
    users = await asyncio.to_thread(auth.list_users, SETTINGS)
    reserved = [auth.LOCAL_USER, *(name for name, _ in users)]
    identifier = oauth.admit(
        provider_id, raw_user_data, default_user.identifier, SETTINGS.oauth_allowed, reserved
    )
    if identifier is None:
        return None
    return cl.User(identifier=identifier, metadata={"provider": provider_id})


# Chainlit refuses an OAuth callback without a configured provider; with one, login is required.
OAUTH_CONFIGURED = oauth.configured()
if OAUTH_CONFIGURED:
    for problem in oauth.startup_warnings(SETTINGS.oauth_allowed):
        log.warning("custfin: %s", problem)
    cl.oauth_callback(oauth_login)

LOCAL_LOGIN = not OAUTH_CONFIGURED and auth.local_login_allowed(SETTINGS, bind_host())
if LOCAL_LOGIN:
    cl.header_auth_callback(local_login)

# Revocable tokens on every request and socket event, ownership on every route, throttled login,
# bounded bodies and uploads, security headers, the offline UI page (agent/security/wiring.py).
SECURITY = wiring.install(SETTINGS, local_allowed=LOCAL_LOGIN, oauth_enabled=OAUTH_CONFIGURED)
# Uploads are read through the workbook guard (a worker process stopped at the time limit).
UPLOAD_READER = uploads.guarded_reader(read_tables)


@cl.on_logout
async def on_logout(request: Any, response: Any) -> dict[str, bool]:
    """Logging out revokes the login token itself, not only the browser's cookie."""
    await SECURITY.logout(request)
    return {"success": True}


async def stored_file(object_key: str, user: Any = Depends(get_current_user)) -> FileResponse:  # noqa: B008
    """An element file (upload, table, chart, CSV) from the local storage, for its owner only."""
    if not isinstance(user, PersistedUser) or object_key.split("/", 1)[0] != user.id:
        raise HTTPException(status_code=404, detail="Not found")
    try:
        path = persistence.element_path(SETTINGS, object_key)
    except ValueError:
        raise HTTPException(status_code=404, detail="Not found") from None
    if not path.is_file():
        raise HTTPException(status_code=404, detail="Not found")
    media_type = SAFE_MIME.get(path.suffix.lower(), "application/octet-stream")
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}
    return FileResponse(path, media_type=media_type, headers=headers)


def add_route_before_catch_all(path: str, endpoint: Any) -> None:
    """Chainlit serves its UI from a catch-all GET route; an added route must be matched first."""
    routes = server_app.router.routes
    if any(getattr(r, "path", None) == path for r in routes):
        return
    server_app.add_api_route(path, endpoint, methods=["GET"])
    routes.insert(0, routes.pop())


add_route_before_catch_all(FILES_ROUTE + "/{object_key:path}", stored_file)


def owner() -> tuple[str, str, str] | None:
    """(user id, user name, thread id) of this chat when it is persisted, else None."""
    session = cl.context.session
    user = getattr(session, "user", None)
    if isinstance(user, PersistedUser) and session.thread_id:
        return user.id, user.identifier, session.thread_id
    return None


async def save_conversation(session: Session) -> None:
    """Keep this conversation's datasets and follow-up state (before the reply acknowledges them)."""
    who = owner()
    if who is None or session.is_demo:
        return
    user_id, name, thread_id = who
    stored = [f for f in session.files if f.source is None]  # a live source stays where it is
    await asyncio.to_thread(persistence.save_thread_files, SETTINGS, user_id, name, thread_id, stored)
    state = session.follow_up_state()
    await asyncio.to_thread(persistence.save_thread_state, SETTINGS, user_id, thread_id, state)


async def forget_files(session: Session, filenames: list[str]) -> None:
    """Files the user deleted in the chat: gone from the database and the disk (before the reply says so)."""
    who = owner()
    if who is None or not filenames:
        return
    user_id, _, thread_id = who
    await asyncio.to_thread(persistence.delete_thread_datasets, SETTINGS, user_id, thread_id, filenames)
    state = session.follow_up_state()
    await asyncio.to_thread(persistence.save_thread_state, SETTINGS, user_id, thread_id, state)


async def retention_loop() -> None:
    while True:
        try:
            removed = await asyncio.to_thread(persistence.purge_expired, SETTINGS)
            swept = await asyncio.to_thread(persistence.sweep_orphan_files, SETTINGS)
            if removed or swept:
                log.info("custfin: retention removed %d conversations, %d stray files", removed, swept)
        except Exception:  # a failed sweep must not stop the server; the next one retries
            log.exception("custfin: retention sweep failed")
        await asyncio.sleep(RETENTION_INTERVAL)


def browser_language() -> Lang:
    """The UI language of this browser tab (Chainlit reads it from the Accept-Language header)."""
    language = getattr(cl.context.session, "language", None) or "en-US"
    return "zh" if str(language).lower().startswith("zh") else "en"


async def new_session(lang: Lang) -> Session:
    """A conversation's state with the demo data, its language and its user (for the rate limit)."""
    session = await asyncio.to_thread(Session, True, None, UPLOAD_READER)
    session.language = lang
    user = cl.user_session.get("user")
    session.user_id = user.identifier if user else None
    session.mapping_memory = persistence.MappingMemoryStore(SETTINGS, session.user_id) if session.user_id else None
    return session


async def restore_stored(session: Session) -> None:
    """Put this conversation's stored datasets and follow-up context into ``session``."""
    who = owner()
    if who is None:
        return
    user_id, _, thread_id = who
    files = await asyncio.to_thread(persistence.load_thread_files, SETTINGS, user_id, thread_id)
    if files:
        await asyncio.to_thread(session.restore_files, files)
    state = await asyncio.to_thread(persistence.load_thread_state, SETTINGS, user_id, thread_id)
    if state:
        session.restore_follow_up_state(state)


def apply_chat_settings(session: Session, settings: dict[str, Any]) -> None:
    if settings.get("engine") in ("auto", "offline", "model"):
        session.engine = settings["engine"]
    model = str(settings.get("model") or "").strip()
    session.model_name = model or None


async def get_session() -> Session:
    """This chat's state. Absent on a resumed conversation, after a reconnect (on_chat_end let it go:
    its data is stored) or a failed chat start: rebuilt from the stored datasets, follow-up context and
    chat settings."""
    session = cl.user_session.get(SESSION_KEY)
    if session is None:
        session = await new_session(browser_language())
        await restore_stored(session)
        apply_chat_settings(session, cl.user_session.get("chat_settings") or {})
        cl.user_session.set(SESSION_KEY, session)
        log.info(
            "custfin: chat %s rebuilt from storage (%d files)", cl.context.session.id, len(session.files)
        )
    return session


async def deliver(message: cl.Message, update: bool = False) -> None:
    """Show a reply only after it is stored, text and elements (upload reports, answers, tables,
    charts): Chainlit's own send stores it in a background task that races the display, so a kill -9
    right after an answer appeared could lose it from the history. ``update`` replaces a streamed draft."""
    layer = get_data_layer()
    message.content = render.inert(message.content)  # no links from data text (agent/security/render.py)
    elements, message.elements = list(message.elements), []
    message.streaming = False
    message.created_at = message.created_at or utc_now()
    stored = layer is not None and owner() is not None
    if stored:
        try:
            await (layer.update_step if update else layer.create_step)(message.to_dict())
            message.persisted = True  # Chainlit's send skips its own (second) write
            for element in elements:
                element.for_id = message.id
                await layer.create_element(element)
        except Exception:  # the history is worth less than the answer: show it, Chainlit retries the write
            log.exception("custfin: could not store a reply before showing it")
            message.persisted = stored = False
    await (message.update() if update else message.send())
    await asyncio.gather(*(e.send(for_id=message.id, persist=not stored) for e in elements))
    message.elements = elements


async def say_sorry(exc: BaseException) -> None:
    """A bilingual, traceback-free message; the details go to the server log."""
    log.exception("custfin: unexpected error", exc_info=exc)
    msg = T.SORRY.format(error=type(exc).__name__)
    await deliver(cl.Message(content=f"{msg.en}\n\n{msg.zh}"))


_background: set[asyncio.Task] = set()
IDLE_RELEASE = IdleReleaser()  # hands memory freed by finished chats back to the OS (agent/memory.py)


@cl.on_app_startup
async def warm_demo_data() -> None:
    """Build the demo company and the playbook index once per process so the first chat starts quickly."""
    # uvicorn's signal handlers are in place by now: SIGTERM stops the server within seconds
    shutdown.install(SETTINGS.shutdown_seconds, uploads.stop_all, chainlit_server.FILES_DIRECTORY)
    task = asyncio.create_task(retention_loop())
    _background.add(task)
    task.add_done_callback(_background.discard)
    try:
        await asyncio.to_thread(Session, True)
    except Exception:  # a broken demo must not stop the server; chat start reports it
        log.exception("custfin: could not prepare the demo data")
    try:
        from agent.retrieval import get_store

        await asyncio.to_thread(get_store)
    except Exception:  # recommendations are optional; answers still work without them
        log.exception("custfin: could not index the playbooks")
    IDLE_RELEASE.request()  # building them freed more than it keeps


@cl.on_chat_end
async def on_chat_end() -> None:
    """A chat's socket closed: drop Chainlit's copy of its messages and give idle memory back.

    Chainlit 2.12 keeps every message sent in a chat, with its elements (tables, full CSV bytes, charts),
    in ``chainlit.chat_context.chat_contexts`` and never removes a finished chat's entry (Chainlit issue
    #2951), so every answer ever given stayed in memory. custfin never reads that context (the model's
    history is ``Session.llm_history``); a socket that reconnects to the same chat starts a new entry.
    """
    chat_contexts.pop(cl.context.session.id, None)
    # Chainlit keeps a closed chat for its reconnect window (session_timeout, an hour), uploads and all;
    # the UI's "new chat" and closed tabs both end that way. Its data and context are stored (before
    # every acknowledgement), so let the frames go now; get_session() reloads them if the socket comes
    # back. Not while a question or upload of this chat is still running (it saves when it ends).
    session = cl.user_session.get(SESSION_KEY)
    task = cl.context.session.current_task
    if (
        isinstance(session, Session)
        and not session.is_demo
        and owner() is not None
        and (task is None or task.done())
    ):
        cl.user_session.set(SESSION_KEY, None)
    IDLE_RELEASE.request()


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
            *source_widgets(session),
        ]
    ).send()


NO_SOURCE = "—"


def offered_sources(session: Session) -> list[live_sources.SourceEntry]:
    """The live sources the administrator lists for this user (agent/sources.py), none without a login."""
    entries = live_sources.load(live_sources.sources_file(SETTINGS.data_dir))
    return live_sources.visible_to(entries, session.user_id)


def source_widgets(session: Session) -> list[Select]:
    try:
        names = [e.name for e in offered_sources(session)]
    except UserFacingError:
        log.exception("custfin: the sources file cannot be used")
        return []
    if not names:
        return []
    return [
        Select(
            id="source",
            label="Data source / 数据源",
            values=[NO_SOURCE, *names],
            initial_value=NO_SOURCE,
            description="A live read-only table the administrator set up for you (queried in place).",
        )
    ]


async def open_source(session: Session, name: str) -> None:
    """Open the source the user picked: looked up again for this user, then mapped like an upload."""
    lang = session.language
    try:
        entries = live_sources.load(live_sources.sources_file(SETTINGS.data_dir))
        url = live_sources.resolve(entries, session.user_id, name)
        outcome = await asyncio.to_thread(session.add_source, url)
        report = await asyncio.to_thread(compose.render_file_outcome, outcome, lang)
    except UserFacingError as exc:
        await deliver(cl.Message(content=exc.message(lang)))
        return
    except Exception as exc:
        await say_sorry(exc)
        return
    await deliver(cl.Message(content=report, actions=mapping_actions(session, outcome.choices(), lang)))


@cl.on_settings_update
async def on_settings_update(settings: dict[str, Any]) -> None:
    session = await get_session()
    apply_chat_settings(session, settings)
    name = settings.get("source")
    if isinstance(name, str) and name != NO_SOURCE and name != cl.user_session.get("custfin_source"):
        cl.user_session.set("custfin_source", name)  # the settings panel resends every value
        await open_source(session, name)


@cl.on_chat_start
async def on_chat_start() -> None:
    lang = browser_language()
    try:
        session = await new_session(lang)
        cl.user_session.set(SESSION_KEY, session)
        text = await asyncio.to_thread(compose.welcome, session, lang)
    except Exception as exc:
        await say_sorry(exc)
        return
    await deliver(cl.Message(content=text))
    try:
        await send_chat_settings(session)
    except Exception:  # settings are a convenience; the chat works without them
        log.exception("custfin: could not send chat settings")


@cl.on_chat_resume
async def on_chat_resume(thread: ThreadDict) -> None:
    """A conversation reopened from the history: its datasets and follow-up context come back."""
    try:
        session = await get_session()  # a new socket: rebuilt from storage
    except Exception as exc:
        await say_sorry(exc)
        return
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
        lang = understand.detect_language(question)
    else:
        lang = session.language
    for element in message.elements or []:
        await ingest_upload(session, element, lang)
    if question:
        await answer_question(session, question)


async def ingest_upload(session: Session, element: Any, lang: Lang) -> None:
    """One attachment: a safe name, not twice the same bytes, within the quota, read on the upload
    threads (workbooks in a worker process stopped at the time limit: agent/security/uploads.py)."""
    filename = uploads.safe_filename(getattr(element, "name", None))
    path = getattr(element, "path", None)
    try:
        if not path:
            await deliver(cl.Message(content=T.UPLOAD_UNREADABLE.format(filename=filename).get(lang)))
            return
        data = await uploads.in_upload_thread(Path(path).read_bytes)
        same = None if session.is_demo else uploads.duplicate_of(session.files, data)
        if same is not None:
            await deliver(
                cl.Message(content=uploads.ALREADY_LOADED.format(name=filename, other=same).get(lang))
            )
            return
        who = owner()
        full = who and await uploads.in_upload_thread(uploads.quota_refusal, SETTINGS, who[0], 0)
        if full:
            await deliver(cl.Message(content=full.get(lang)))
            return
        outcome = await uploads.in_upload_thread(session.add_file, data, filename)
        if outcome.ok:
            await save_conversation(session)
        report = await asyncio.to_thread(compose.render_file_outcome, outcome, lang)
    except Exception as exc:
        await say_sorry(exc)
        return
    await deliver(cl.Message(content=report, actions=mapping_actions(session, outcome.choices(), lang)))
    if outcome.ok and digest.uploaded_again(session, filename):  # a newer export: what changed since
        question = DW.AUTO_QUESTION.get(lang)
        await respond(session, lambda: engine.changes(question, session, lang))


MAX_BUTTONS = 6  # one-click mapping corrections offered under an upload report


def mapping_actions(session: Session, choices: list, lang: Lang) -> list[cl.Action]:
    """One button per likely alternative meaning of a column; the session keeps what was offered, so a
    click names an offer by number and never carries a mapping of its own."""
    offered = choices[:MAX_BUTTONS]
    session.offered_choices = offered
    return [
        cl.Action(name="mapping_choice", payload={"number": i}, label=c.label.get(lang))
        for i, c in enumerate(offered, start=1)
    ]


def clarify_actions(answer: Answer) -> list[cl.Action]:
    """One button per option of a clarifying question (a typed number works too); under an analysis,
    "add to report" (agent/report/conversation.py)."""
    options = (answer.clarify or {}).get("options", [])
    actions = [
        cl.Action(name="clarify_pick", payload={"number": i}, label=f"{i}. {o['label']}")
        for i, o in enumerate(options, start=1)
    ]
    if answer.analysis_number:
        label = RW.ADD_TO_REPORT.get(answer.language)
        actions.append(cl.Action(name="add_to_report", payload={"number": answer.analysis_number}, label=label))
    return actions


@cl.action_callback("add_to_report")
async def on_add_to_report(action: cl.Action) -> None:
    session = await get_session()
    number = int((action.payload or {}).get("number") or 0)
    added = conversation.mark(session, number, session.language)
    await save_conversation(session)
    await deliver(cl.Message(content=added.markdown))


@cl.action_callback("clarify_pick")
async def on_clarify_pick(action: cl.Action) -> None:
    session = await get_session()
    number = int((action.payload or {}).get("number") or 0)
    await respond(session, lambda: engine.pick(session, number, session.language))


@cl.action_callback("mapping_choice")
async def on_mapping_choice(action: cl.Action) -> None:
    session = await get_session()
    number = int((action.payload or {}).get("number") or 0)
    lang = session.language
    offered = session.offered_choices
    if not 1 <= number <= len(offered):
        await deliver(cl.Message(content=T.CHOICE_GONE.get(lang)))
        return
    choice = offered[number - 1]
    try:
        outcomes = await uploads.in_upload_thread(session.choose, choice)
        await save_conversation(session)
        text = compose.correction_answer(choice.label.get(lang), lang, outcomes).markdown
    except UserFacingError as exc:
        text = exc.message(lang)
    except Exception as exc:
        await say_sorry(exc)
        return
    await deliver(cl.Message(content=text))


async def answer_question(session: Session, question: str) -> None:
    streamed = cl.Message(content="")
    started = False

    def on_token(token: str) -> None:  # called from the worker thread while the model streams
        nonlocal started
        if token:
            started = True
            cl.run_sync(streamed.stream_token(token))

    await respond(
        session, lambda: engine.answer(question, session, session.engine, None, on_token), streamed, lambda: started
    )


async def respond(
    session: Session,
    produce: Callable[[], Answer],
    streamed: cl.Message | None = None,
    was_streamed: Callable[[], bool] = lambda: False,
) -> None:
    """Compute an answer on a worker thread (a question, or a clicked option), show its tool steps,
    then the answer with its table, chart and any clarifying buttons."""
    try:
        result = await asyncio.to_thread(produce)
        lang = result.language
        for run in result.runs:
            async with cl.Step(name=run.tool, type="tool", show_input="json") as step:
                step.input = run.arguments
                step.output = render.inert(compose.step_text(run, lang))
                step.is_error = run.error is not None
        content, elements, folded = await asyncio.to_thread(render_answer, result)
        for name, text in folded:  # each recommendation's details, collapsed (the answer says one line)
            async with cl.Step(name=name, type="tool", default_open=False) as step:
                step.output = render.inert(text)
        await forget_files(session, result.removed_files)
        await save_conversation(session)
    except Exception as exc:
        await say_sorry(exc)
        return
    actions = clarify_actions(result)
    if result.choices:  # a plausibility gate's fix: re-read a file with a column's other meaning
        actions += mapping_actions(session, result.choices, result.language)
    if streamed is not None and was_streamed():  # the checked answer replaces the streamed draft
        streamed.content, streamed.elements, streamed.actions = content, elements, actions
        await deliver(streamed, update=True)
        return
    await deliver(cl.Message(content=content, elements=elements, actions=actions))


def render_answer(answer: Answer) -> tuple[str, list[cl.Element], list[tuple[str, str]]]:
    """Answer -> message text plus inline elements: table, its full CSV, chart (runs in a thread)."""
    lang = answer.language
    content, folded = compose.fold_recommendations(answer.markdown, lang)
    elements: list[cl.Element] = [
        cl.File(name=a.name, content=a.content, mime=a.mime, display="inline") for a in answer.attachments
    ]

    result = answer.result
    if result is None:
        return content, elements, folded
    notes = []
    own_files = downloads.files(result)  # e.g. the plan's hand-out as CSV and XLSX
    for table in result.tables:
        name = slug(table.name)
        csv_name = f"{name}.csv"
        total = len(table.frame)
        frame = compose.display_frame(table, lang, result.tool)
        elements.append(cl.Dataframe(name=name, data=frame, display="inline"))
        for file_name, data, mime in own_files.get(table.name) or [(csv_name, compose.table_csv(table), "text/csv")]:
            elements.append(cl.File(name=file_name, content=data, mime=mime, display="inline"))
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
        figure = render.inert_figure(figure)  # labels from the data never become links
        elements.append(cl.Plotly(name=f"chart_{i + 1}", figure=figure, display="inline", size="large"))
    if notes:
        content += "\n\n" + "\n".join(f"- {n}" for n in notes)
    return content, elements, folded


def slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", str(name)).strip("_") or "table"
