"""The `custfin` command: ask questions, run tools, list the registry, write demo data.

See ARCHITECTURE.md "CLI contract". Exit codes: 0 answered, 2 unusable input, 1 internal error; `digest`
also 3 (something got worse: for cron) and 4 (the webhook post failed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from core.text import Msg
from tools.errors import UserFacingError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


class CliError(UserFacingError):
    """Bad command-line input (file path, --map, --args)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="custfin", description="Customer financial analysis from CSV/XLSX, offline."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def data_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--data",
            nargs="+",
            action="extend",
            default=[],
            metavar="FILE",
            help="CSV/XLSX files (repeatable). Without --data the built-in demo company is used.",
        )
        p.add_argument(
            "--map",
            nargs="+",
            action="extend",
            default=[],
            metavar="COL=canonical",
            help="Correct a column mapping, e.g. --map sales=quantity.",
        )
        p.add_argument("--json", action="store_true", help="Print one JSON object (see README).")
        p.add_argument(
            "--full", action="store_true", help="Put every table row in the JSON (default: up to 500)."
        )
        p.add_argument("--lang", choices=["en", "zh"], help="Answer language (default: the question's).")
        p.add_argument(
            "--source",
            nargs="+",
            action="extend",
            default=[],
            metavar="URL_OR_PATH",
            help="A live read-only source instead of a file: 'postgresql://user@host/db?table=orders', "
            "'duckdb:///file.duckdb?table=orders', or Parquet files (path, directory or glob). Repeatable.",
        )
        p.add_argument(
            "--backend",
            choices=["auto", "pandas", "duckdb", "spark"],
            help="Where the transaction pass runs (default: CUSTFIN_BACKEND, else auto: pandas for small "
            "files, DuckDB for large ones; a live source runs where it lives).",
        )

    ask = sub.add_parser("ask", help="Answer a question ('-' reads one question per line from stdin).")
    ask.add_argument("question")
    ask.add_argument("--engine", choices=["auto", "offline", "model"], default="auto")
    ask.add_argument(
        "--pick", type=int, metavar="N", help="When the question is asked back, answer it with option N (1-based)."
    )
    data_options(ask)

    tool = sub.add_parser("tool", help="Run one tool with JSON arguments, or --list the registry.")
    tool.add_argument("name", nargs="?")
    tool.add_argument("--list", action="store_true", help="Print every tool with its description and schema.")
    tool.add_argument("--args", default="{}", help="Tool arguments as a JSON object.")
    data_options(tool)

    report = sub.add_parser(
        "report", help="Ask questions and write the management report of their answers (XLSX, HTML, PDF)."
    )
    report.add_argument(
        "--ask", action="append", default=[], metavar="QUESTION", required=True,
        help="A question (repeatable, answered in order like a conversation).",
    )  # fmt: skip
    report.add_argument(
        "--out", action="append", default=[], metavar="FILE", required=True, type=Path,
        help="report.xlsx, report.html or report.pdf (repeatable).",
    )  # fmt: skip
    report.add_argument("--company", help="Company name on the cover (default: CUSTFIN_COMPANY).")
    report.add_argument("--period", help="Period on the cover (default: the dates of the data).")
    report.add_argument("--engine", choices=["auto", "offline", "model"], default="offline")
    data_options(report)

    digest = sub.add_parser(
        "digest",
        help="What changed between two exports, customer by customer (exit 0: nothing got worse, 3: something "
        "did, 4: the webhook post failed).",
    )
    digest.add_argument("--before", nargs="+", action="extend", default=[], metavar="FILE", required=True)
    digest.add_argument("--after", nargs="+", action="extend", default=[], metavar="FILE", required=True)
    digest.add_argument("--map", nargs="+", action="extend", default=[], metavar="COL=canonical")
    digest.add_argument("--json", action="store_true", help="Print the digest as one JSON object.")
    digest.add_argument("--lang", choices=["en", "zh"], help="Language of the digest (default en).")
    digest.add_argument(
        "--out", action="append", default=[], type=Path, metavar="FILE",
        help="digest.json, digest.md, or a report: digest.xlsx / .html / .pdf (repeatable).",
    )  # fmt: skip
    digest.add_argument("--webhook", choices=["wecom", "dingtalk", "feishu", "slack"],
                        help="Post a short summary to this kind of chat webhook (URL from the environment).")  # fmt: skip
    digest.add_argument("--webhook-env", default="CUSTFIN_WEBHOOK_URL", metavar="VAR",
                        help="The environment variable holding the webhook URL (default CUSTFIN_WEBHOOK_URL).")  # fmt: skip
    digest.add_argument("--webhook-names", action="store_true",
                        help="Name customers in the webhook message (default: ids only).")  # fmt: skip

    demo = sub.add_parser("demo-data", help="Write the demo company as one CSV per table kind.")
    demo.add_argument("--out", required=True, type=Path)
    demo.add_argument("--customers", type=int, default=400)
    demo.add_argument("--seed", type=int, default=7)

    users = sub.add_parser("users", help="Manage chat logins (stored in CUSTFIN_DATA_DIR).")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser(
        "add", help="Add a user or set a new password (asked for; read from stdin when it is not a terminal)."
    )
    add.add_argument("name")
    users_sub.add_parser(
        "list",
        help="List the users: name, created, sign-in (password, or the OAuth provider once they signed in).",
    )
    remove = users_sub.add_parser("remove", help="Remove a user with their conversations and datasets.")
    remove.add_argument("name")
    return parser


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, canonical = pair.partition("=")
        if not sep or not column.strip() or not canonical.strip():
            raise CliError(
                Msg(
                    f"--map expects COL=canonical, got '{pair}'.",
                    f"--map 的格式应为 列名=标准名，收到“{pair}”。",
                ),
                code="bad_arguments",
            )
        mapping[column.strip()] = canonical.strip()
    return mapping


def _session(args: argparse.Namespace):
    from agent.session import Session

    sources = getattr(args, "source", [])
    if not args.data and not sources:
        return Session(demo=True)
    session = Session(demo=False)
    mapping = _mapping(args.map)
    for url in sources:
        outcome = session.add_source(url, mapping=mapping or None)
        if outcome.error is not None:
            raise outcome.error
    return _add_files(session, args.data, mapping)


def _add_files(session, names: list[str], mapping: dict[str, str]):  # noqa: ANN001, ANN202 - agent.session.Session
    """Read each file into ``session`` (the first error stops the command with its message)."""
    for name in names:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CliError(
                Msg(f"Cannot read {name}: {exc.strerror}.", f"无法读取 {name}：{exc.strerror}。"),
                code="file_unreadable",
            ) from None
        outcome = session.add_file(data, path.name, mapping=mapping or None)
        if outcome.error is not None:
            raise outcome.error
    return session


def _error_json(exc: UserFacingError, lang: str) -> dict[str, Any]:
    return {"error": {"code": exc.code, "message": exc.message(lang)}}  # type: ignore[arg-type]


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _print_answer(answer, as_json: bool, full: bool) -> int:
    from agent.compose import answer_to_json

    if answer.internal_error:
        code = EXIT_INTERNAL
    elif answer.error is not None:
        code = EXIT_INPUT
    else:
        code = EXIT_OK
    if as_json:
        if answer.error is not None:
            _emit(_error_json(answer.error, answer.language))
        elif answer.internal_error:
            _emit({"error": {"code": "internal_error", "message": answer.markdown}})
        else:
            _emit(answer_to_json(answer, full))
    else:
        stream = sys.stdout if code == EXIT_OK else sys.stderr
        stream.write(answer.markdown + "\n")
        result = answer.result
        if result is not None and result.tables:
            stream.write("\n" + result.tables[0].frame.head(20).to_string(index=False) + "\n")
    return code


def _ask(args: argparse.Namespace) -> int:
    from agent import engine

    session = _session(args)
    if args.question != "-":
        answer = engine.answer(args.question, session, args.engine, args.lang)
        if args.pick is not None and answer.clarify is not None:
            count = len(answer.clarify["options"])
            if not 1 <= args.pick <= count:
                raise CliError(
                    Msg(f"--pick {args.pick}: the question offered options 1 to {count}.",
                        f"--pick {args.pick}：该问题只提供了第 1 至 {count} 项。"),
                    code="bad_arguments",
                )  # fmt: skip
            answer = engine.pick(session, args.pick, answer.language)
        return _print_answer(answer, args.json, args.full)
    worst = EXIT_OK
    for line in sys.stdin:
        question = line.strip()
        if not question:
            continue
        session.forget_last_call()  # each line stands alone: no follow-up context between lines
        try:
            code = _print_answer(engine.answer(question, session, args.engine, args.lang), True, args.full)
        except Exception as exc:  # a bug on one line must not stop the batch
            _emit({"error": {"code": "internal_error", "message": type(exc).__name__}})
            code = EXIT_INTERNAL
        worst = max(worst, code) if code != EXIT_OK else worst
    return worst


def _tool(args: argparse.Namespace) -> int:
    from agent import engine
    from tools.registry import TOOLS, get_tool

    if args.list:
        listing = [
            {
                "name": s.name,
                "description": s.description.en,
                "description_zh": s.description.zh,
                "requires": list(s.requires),
                "findings": list(s.findings),
                "arguments": s.params.model_json_schema(),
            }
            for s in TOOLS.values()
        ]
        _emit({"tools": listing})
        return EXIT_OK
    if not args.name:
        raise CliError(
            Msg("Name a tool, or use --list.", "请指定工具名，或使用 --list。"), code="unknown_tool"
        )
    get_tool(args.name)
    try:
        arguments = json.loads(args.args)
    except json.JSONDecodeError as exc:
        raise CliError(
            Msg(f"--args is not valid JSON: {exc.msg}.", f"--args 不是有效的 JSON：{exc.msg}。"),
            code="bad_arguments",
        ) from None
    if not isinstance(arguments, dict):
        raise CliError(
            Msg("--args must be a JSON object.", "--args 必须是 JSON 对象。"), code="bad_arguments"
        )
    session = _session(args)
    return _print_answer(
        engine.run_tool(session, args.name, arguments, args.lang or "en"), args.json, args.full
    )


EXIT_WORSE, EXIT_WEBHOOK = 3, 4


def _files_session(names: list[str], mapping: dict[str, str]):
    from agent.session import Session

    return _add_files(Session(demo=False), names, mapping)


def _digest(args: argparse.Namespace) -> int:
    """Compare two snapshots; write the outputs; post the webhook. Exit 3 when something got worse."""
    from agent import digest, report, webhook

    lang = args.lang or "en"
    for out in args.out:
        if out.suffix.lower() not in (".json", ".md"):
            report.format_of(out)
    if args.webhook:  # a missing URL is a set-up error: said before any work (exit 2)
        webhook.require_url(os.environ.get(args.webhook_env))
    mapping = _mapping(args.map)
    before, after = _files_session(args.before, mapping), _files_session(args.after, mapping)
    before.language = after.language = lang
    after.set_playbooks(before.dependency("playbooks"))
    result = digest.digest(before, after, lang, [Path(f).name for f in args.before], [Path(f).name for f in args.after])
    as_json = result.to_json()
    for out in args.out:
        suffix = out.suffix.lower()
        out.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".json":
            out.write_text(json.dumps(as_json, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        elif suffix == ".md":
            out.write_text(digest.markdown(result, limit=100) + "\n", encoding="utf-8")
        else:
            built = report.build([digest.answer("custfin digest", result)], lang, period=None)
            report.write(built, [out])
    if args.json:
        _emit(as_json)
    else:
        sys.stdout.write(digest.markdown(result) + "\n")
    code = EXIT_WORSE if result.worse else EXIT_OK
    if args.webhook:
        try:
            webhook.send(result, args.webhook, os.environ.get(args.webhook_env), lang, names=args.webhook_names,
                         secret=os.environ.get("CUSTFIN_WEBHOOK_SECRET"))  # fmt: skip
        except webhook.WebhookError as exc:
            sys.stderr.write(exc.message(lang) + "\n")  # type: ignore[arg-type]
            return EXIT_WEBHOOK
    return code


def _report(args: argparse.Namespace) -> int:
    """Answer each --ask in one session (a conversation), then write the report to every --out."""
    from agent import engine, report

    for out in args.out:
        report.format_of(out)  # a bad name fails before any work
    session = _session(args)
    answers, code = [], EXIT_OK
    for question in args.ask:
        answer = engine.answer(question, session, args.engine, args.lang)
        if answer.clarify is not None:  # asked back: the first reading, as the chat's first button
            sys.stderr.write(f"{question!r}: {answer.clarify['question']} -> 1. {answer.clarify['options'][0]['label']}\n")
            answer = engine.pick(session, 1, answer.language)
        if answer.error is not None or answer.internal_error or answer.result is None:
            sys.stderr.write(f"{question!r}: not in the report: {answer.markdown.splitlines()[-1][:300]}\n")
            code = EXIT_INTERNAL if answer.internal_error else EXIT_INPUT
            continue
        answers.append(answer)
    lang = args.lang or (answers[0].language if answers else "en")
    company = report.company_name(lang, session.is_demo, args.company)
    built = report.build(answers, lang, company=company, period=args.period, data_period=session.event_period())
    written = report.write(built, args.out)
    listing = [
        {"path": str(w.path), "format": w.fmt, "bytes": w.size, "seconds": round(w.seconds, 3)} for w in written
    ]
    if args.json:
        _emit({"written": listing, "analyses": [{"question": s.question, "tool": s.tool} for s in built.sections]})
    else:
        for w in listing:
            sys.stdout.write(f"{w['path']}\t{w['format']}\t{w['bytes']:,} bytes\t{w['seconds']:.2f} s\n")
    return code


def _demo(args: argparse.Namespace) -> int:
    from tools.demo import write_csvs

    for path in write_csvs(args.out, customers=args.customers, seed=args.seed):
        sys.stdout.write(f"{path}\n")
    return EXIT_OK


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise CliError(Msg("The passwords differ.", "两次输入的密码不一致。"), code="bad_arguments")
    return first


def _users(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from agent import auth, database
    from agent.settings import load

    settings = load()
    try:
        if args.users_command == "add":
            auth.add_user(settings, args.name, _read_password())
            sys.stdout.write(f"user {args.name} can sign in\n")
        elif args.users_command == "list":
            for name, created in auth.list_users(settings):
                sys.stdout.write(f"{name}\t{created}\tpassword\n")
            for name, provider, created in auth.list_oauth_users(settings):
                sys.stdout.write(f"{name}\t{created}\t{provider}\n")
        else:
            deleted = auth.remove_user(settings, args.name)
            sys.stdout.write(f"user {args.name} removed with {deleted} conversation(s)\n")
    except (auth.UserError, database.DatabaseUrlError) as exc:
        raise CliError(Msg(str(exc), str(exc)), code="bad_arguments") from None
    except OperationalError as exc:
        where = database.describe(settings)
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise CliError(
            Msg(f"Cannot reach the database {where}: {reason}", f"无法连接数据库 {where}：{reason}"),
            code="database_unavailable",
        ) from None
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = getattr(args, "lang", None) or "en"
    wants_json = getattr(args, "json", False) or getattr(args, "question", None) == "-"
    try:
        handler = {"ask": _ask, "tool": _tool, "report": _report, "digest": _digest, "demo-data": _demo, "users": _users}[args.command]
        if getattr(args, "backend", None):
            from tools.data.backend import use_backend

            with use_backend(args.backend):
                return handler(args)
        return handler(args)
    except UserFacingError as exc:
        if wants_json:
            _emit(_error_json(exc, lang))
        else:
            sys.stderr.write(exc.message(lang) + "\n")  # type: ignore[arg-type]
        return EXIT_INPUT
    except Exception as exc:  # a bug: still a JSON error, never a bare traceback
        message = f"internal error: {type(exc).__name__}: {exc}"
        if wants_json:
            _emit({"error": {"code": "internal_error", "message": message}})
        else:
            sys.stderr.write(message + "\n")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
