"""Per-conversation state: the files and datasets loaded, the last tool call (for follow-ups), language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

import pandas as pd

from agent import settings as settings_mod
from agent.answer import Analysis
from agent.understand import Clarification, Context, Correction, Removal
from core.text import Lang, Msg
from prompts import removal as VR
from tools.bundle import Dataset, DatasetBundle, DroppedRows, IngestReport
from tools.data import ops
from tools.errors import IngestError, UserFacingError
from tools.ingest import Limits, Remembered, read_tables

EVENT_DATES = {"transactions": ("date",), "invoices": ("invoice_date", "paid_date"), "feedback": ("date",)}
VOCAB_DIMENSIONS = ("segment", "region", "industry", "product", "channel", "acquisition_channel")


@dataclass
class LoadedFile:
    """One uploaded table (a file, or one sheet of a workbook): its bytes (kept so a mapping correction
    can re-read it), the user's corrections, and the dataset read."""

    filename: str
    data: bytes
    mapping: dict[str, str] = field(default_factory=dict)
    kind: str | None = None
    dataset: Dataset | None = None
    sheet: str | None = None
    source: str | None = None  # a live source's URL or path (--source): re-opened, not re-read, on correction


class MappingMemory(Protocol):
    """Where a user's mapping corrections are kept, by header signature (agent/persistence.py
    MappingMemoryStore in the app; nothing in the CLI)."""

    def recall(self, signature: str) -> Remembered | None: ...

    def recalled(self) -> dict[str, Remembered]:
        """Every remembered header (a plain dict: it travels to the workbook worker process)."""
        ...

    def remember(self, signature: str, remembered: Remembered) -> None: ...


#: Reads one upload into its datasets (tools.ingest.read_tables; the chat wraps it in the workbook guard,
#: agent/security/uploads.py)
Reader = Callable[..., list[Dataset]]


class DictMappingMemory:
    """A MappingMemory in a dict (tests, or a process that wants memory without a database)."""

    def __init__(self) -> None:
        self.items: dict[str, Remembered] = {}

    def recall(self, signature: str) -> Remembered | None:
        return self.items.get(signature)

    def recalled(self) -> dict[str, Remembered]:
        return dict(self.items)

    def remember(self, signature: str, remembered: Remembered) -> None:
        self.items[signature] = remembered


@dataclass(frozen=True)
class MappingChoice:
    """One alternative meaning of a column, offered as a one-click correction (a UI button).

    ``label`` is the button text; :meth:`Session.choose` applies it (the same as the sentence
    "treat '<column>' as <canonical>"), re-reads the file and remembers the choice for the user.
    """

    filename: str
    sheet: str | None
    column: str
    current: str | None
    canonical: str
    confidence: float

    @property
    def label(self) -> Msg:
        return Msg(
            f"'{self.column}' is {self.canonical} ({self.confidence:.0%})",
            f"“{self.column}”是 {self.canonical}（{self.confidence:.0%}）",
        )

    def correction(self) -> Correction:
        return Correction(column=self.column, canonical=self.canonical, file=self.filename)


@dataclass
class FileOutcome:
    """What happened to one upload: its ingestion reports (one per sheet read), or a bilingual error."""

    filename: str
    report: IngestReport | None = None
    appended: DroppedRows | None = None
    error: UserFacingError | None = None
    reports: list[IngestReport] = field(default_factory=list)
    appended_each: list[DroppedRows | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.report is not None and not self.reports:
            self.reports = [self.report]
            self.appended_each = [self.appended]

    @property
    def ok(self) -> bool:
        return self.error is None

    def choices(self) -> list[MappingChoice]:
        """The one-click corrections worth offering: each alternative of a low-confidence or contested
        column, most likely first within a column."""
        return [
            MappingChoice(self.filename, r.sheet, c.source, c.canonical, canonical, confidence)
            for r in self.reports
            for c in r.alternatives()
            for canonical, confidence in c.alternatives
        ]


@lru_cache(maxsize=4)
def demo_datasets(customers: int, seed: int) -> tuple[Dataset, ...]:
    """The built-in demo company (canonical frames straight from the generator), cached per process."""
    from tools.demo import generate

    frames = generate(customers=customers, seed=seed)
    return tuple(
        Dataset(kind, frame, [IngestReport(f"demo/{kind}.csv", kind, len(frame), len(frame), {})])
        for kind, frame in frames.items()
    )


class Session:
    """State of one conversation. Tools only ever see ``self.bundle``."""

    def __init__(
        self, demo: bool = True, settings: settings_mod.Settings | None = None, reader: Reader = read_tables
    ) -> None:
        self.settings = settings or settings_mod.load()
        self.reader = reader
        self.files: list[LoadedFile] = []
        self.bundle = DatasetBundle()
        self.is_demo = demo
        self.language: Lang = "en"
        # Who asks (set by the app from the signed-in user): keys the per-user rate limit; None: no limit
        self.user_id: str | None = None
        # Remembered mapping corrections of that user (the app injects agent/persistence.py's store)
        self.mapping_memory: MappingMemory | None = None
        self.last_tool: str | None = None
        self.last_arguments: dict[str, Any] = {}
        self.pending_clarify: Clarification | None = None  # the options last offered (a reply can pick one)
        self.offered_choices: list[MappingChoice] = []  # one-click mapping corrections last offered (buttons)
        self.findings: list = []
        self.known_findings: dict[str, Any] = {}  # finding name -> latest Finding, across tools run
        # Engine choice (chat settings may change it) and the language-model conversation state.
        self.engine: str = "auto"
        self.model_name: str | None = None
        self.pseudonyms: dict[str, str] = {}  # customer id -> pseudonym sent to the model
        self.llm_history: list[tuple[str, str]] = []  # (role, text) as the model saw it
        self.levels: dict[str, Any] = {}  # customer levels measured for filters (agent/run.py), per data version
        self.analyses: list[Analysis] = []  # analyses of this conversation (agent/report/conversation.py)
        self.report_marked: list[int] = []  # their numbers added to the report ("add to report")
        self._playbooks = None
        self._context_cache: tuple[int, Context] | None = None
        self._version = 0
        if demo:
            for ds in demo_datasets(self.settings.demo_customers, self.settings.demo_seed):
                self.bundle.add(ds)

    @property
    def limits(self) -> Limits:
        return Limits(max_bytes=self.settings.max_upload_mb * 1024 * 1024, max_rows=self.settings.max_rows)

    def _read(self, data: bytes, filename: str, mapping: dict[str, str] | None, kind: str | None) -> list[Dataset]:
        recall = self.mapping_memory.recalled().get if self.mapping_memory is not None else None
        return self.reader(data, filename, mapping=mapping or None, kind=kind, limits=self.limits, recall=recall)

    def add_file(
        self, data: bytes, filename: str, mapping: dict[str, str] | None = None, kind: str | None = None
    ) -> FileOutcome:
        """Ingest one upload (every readable sheet of a workbook: one dataset each). The first successful
        upload replaces the demo data; errors lose nothing. Remembered corrections apply."""
        try:
            datasets = self._read(data, filename, mapping, kind)
        except IngestError as exc:
            return FileOutcome(filename, error=exc)
        if self.is_demo:
            self.is_demo = False
            self.files.clear()
            self.bundle = DatasetBundle()
        appended = []
        for dataset in datasets:
            sheet = dataset.reports[0].sheet
            self.files.append(LoadedFile(filename, data, dict(mapping or {}), kind, dataset, sheet))
            appended.append(self.bundle.add(dataset))
        self._changed()
        reports = [d.reports[0] for d in datasets]
        return FileOutcome(filename, reports[0], appended[0], None, reports, appended)

    def add_source(
        self, url: str, mapping: dict[str, str] | None = None, kind: str | None = None
    ) -> FileOutcome:
        """Add a live, read-only source (a database table or Parquet files, tools/data/sources.py), mapped
        like an upload (same report, corrections and remembered mappings); its rows stay in the source."""
        try:
            dataset = self._open_source(url, mapping, kind)
        except IngestError as exc:
            return FileOutcome(url, error=exc)
        if self.is_demo:
            self.is_demo = False
            self.files.clear()
            self.bundle = DatasetBundle()
        report = dataset.reports[0]
        self.files.append(LoadedFile(report.filename, b"", dict(mapping or {}), kind, dataset, None, url))
        appended = self.bundle.add(dataset)
        self._changed()
        return FileOutcome(report.filename, report, appended)

    def _open_source(self, url: str, mapping: dict[str, str] | None, kind: str | None) -> Dataset:
        from tools.data.sources import open_source

        recall = self.mapping_memory.recall if self.mapping_memory is not None else None
        return open_source(
            url, mapping=mapping or None, kind=kind, recall=recall, max_rows=self.settings.max_rows
        )

    def correct(self, correction: Correction) -> list[FileOutcome]:
        """Re-read the files a correction names ("treat 'sales' as quantity", "treat a.csv as invoices");
        the corrected mapping is remembered for the user's files with the same header."""
        targets = [f for f in self.files if _matches(f, correction)]
        if not targets:
            what = correction.file or correction.column or ""
            raise UserFacingError(
                Msg(
                    f"No uploaded file has '{what}'. Files: {', '.join(f.filename for f in self.files) or 'none'}.",
                    f"已上传的文件中没有“{what}”。文件：{'、'.join(f.filename for f in self.files) or '无'}。",
                ),
                code="bad_arguments",
            )
        outcomes = []
        for f in targets:
            mapping = dict(f.mapping)
            if correction.column and correction.canonical:
                mapping[correction.column] = correction.canonical
            kind = correction.kind or f.kind
            try:
                if f.source is not None:
                    datasets = [self._open_source(f.source, mapping, kind)]
                else:
                    datasets = self._read(f.data, f.filename, mapping, kind)
            except IngestError as exc:
                outcomes.append(FileOutcome(f.filename, error=exc))
                continue
            dataset = next((d for d in datasets if d.reports[0].sheet == f.sheet), datasets[0])
            f.mapping, f.kind, f.dataset = mapping, kind, dataset
            self._remember(dataset.reports[0], mapping, kind)
            outcomes.append(FileOutcome(f.filename, dataset.reports[0]))
        self.bundle = DatasetBundle(f.dataset for f in self.files if f.dataset is not None)
        self._changed()
        return outcomes

    def choose(self, choice: MappingChoice) -> list[FileOutcome]:
        """Apply a one-click correction offered by :meth:`FileOutcome.choices` (a UI button)."""
        return self.correct(choice.correction())

    def _remember(self, report: IngestReport, mapping: dict[str, str], kind: str | None) -> None:
        """Keep the user's corrections of this header (with what was remembered before) for next time."""
        if self.mapping_memory is None or report.header_signature is None or not (mapping or kind):
            return
        before = self.mapping_memory.recall(report.header_signature) or Remembered()
        self.mapping_memory.remember(
            report.header_signature, Remembered({**before.mapping, **mapping}, kind or before.kind)
        )

    def remove_files(self, removal: Removal) -> list[LoadedFile]:
        """Drop the uploaded files a deletion names ("delete orders.csv", "删除所有文件"); returns them.

        Every file of that name goes (a name uploaded twice was appended twice). When no upload is left
        the conversation falls back to the demo company, as a new one starts. Raises a bilingual
        UserFacingError, changing nothing, when a name matches no uploaded file.
        """
        if self.is_demo or not self.files:
            raise UserFacingError(VR.REMOVE_NO_FILES, code="bad_arguments")
        wanted = {name.lower() for name in removal.files}
        if not removal.everything:
            known = {f.filename.lower() for f in self.files}
            missing = [name for name in removal.files if name.lower() not in known]
            if missing:
                listed = [f.filename for f in self.files]
                raise UserFacingError(
                    Msg(
                        VR.REMOVE_NO_SUCH_FILE.en.format(name=missing[0], files=", ".join(listed)),
                        VR.REMOVE_NO_SUCH_FILE.zh.format(name=missing[0], files="、".join(listed)),
                    ),
                    code="bad_arguments",
                )
        removed = [f for f in self.files if removal.everything or f.filename.lower() in wanted]
        self.files = [f for f in self.files if f not in removed]
        if self.files:
            self.bundle = DatasetBundle(f.dataset for f in self.files if f.dataset is not None)
        else:
            self.is_demo = True
            self.bundle = DatasetBundle()
            for ds in demo_datasets(self.settings.demo_customers, self.settings.demo_seed):
                self.bundle.add(ds)
        self._changed()
        return removed

    def dependency(self, name: str) -> Any:
        """A service a tool declares in ``ToolSpec.deps`` (injected by the engine, never by a model)."""
        if name == "playbooks":
            if self._playbooks is None:
                from agent.retrieval import get_store

                self._playbooks = get_store(self.settings)
            return self._playbooks
        if name == "playbook_economics":  # the same playbooks, without building the Chroma index
            if callable(getattr(self._playbooks, "economics", None)):
                return self._playbooks
            from agent.playbooks import get_library

            return get_library(self.settings.playbooks_dir)
        raise KeyError(f"no dependency named {name!r}")

    def set_playbooks(self, store: Any) -> None:
        """Use this playbook store (tests inject one built from fixture playbooks)."""
        self._playbooks = store

    def remember(self, tool: str, arguments: dict[str, Any], findings: list) -> None:
        self.last_tool, self.last_arguments = tool, arguments
        self.findings = findings
        self.known_findings.update({f.name: f for f in findings})

    def forget_last_call(self) -> None:
        """Drop follow-up context (new data, or a batch line that must stand alone)."""
        self.last_tool, self.last_arguments, self.findings = None, {}, []
        self.known_findings = {}
        self.pending_clarify = None

    def restore_files(self, files: Iterable[LoadedFile]) -> None:
        """Load files saved from an earlier session (agent/persistence.py) in place of the current data."""
        restored = [f for f in files if f.dataset is not None]
        if not restored:
            return
        self.is_demo = False
        self.files = restored
        self.bundle = DatasetBundle(f.dataset for f in restored if f.dataset is not None)
        self._changed()

    def follow_up_state(self) -> dict[str, Any]:
        """What a resumed conversation needs for follow-ups (JSON-serialisable)."""
        return {
            "last_tool": self.last_tool,
            "last_arguments": self.last_arguments,
            "language": self.language,
            "engine": self.engine,
            "model_name": self.model_name,
            "analyses": [a.to_state() for a in self.analyses],
            "report_marked": list(self.report_marked),
        }

    def restore_follow_up_state(self, state: dict[str, Any]) -> None:
        self.last_tool = state.get("last_tool") or None
        self.last_arguments = dict(state.get("last_arguments") or {})
        if state.get("language") in ("en", "zh"):
            self.language = state["language"]
        if state.get("engine") in ("auto", "offline", "model"):
            self.engine = state["engine"]
        self.model_name = state.get("model_name") or None
        if state.get("analyses"):
            self.analyses = [Analysis.from_state(a) for a in state["analyses"] if isinstance(a, dict)]
            self.report_marked = [int(n) for n in state.get("report_marked") or [] if str(n).isdigit()]

    def _changed(self) -> None:
        self._version += 1
        self.levels = {}
        self.forget_last_call()

    def context(self) -> Context:
        """What the question engine may know: loaded kinds, known names/values, reference date."""
        if self._context_cache is None or self._context_cache[0] != self._version:
            self._context_cache = (self._version, self._build_context())
        ctx = self._context_cache[1]
        ctx.last_tool, ctx.last_arguments = self.last_tool, dict(self.last_arguments)
        ctx.files = tuple(f.filename for f in self.files)
        return ctx

    def _build_context(self) -> Context:
        customers: dict[str, str] = {}
        values: dict[str, set[str]] = {}
        for kind in ("transactions", "customers"):
            relation = getattr(self.bundle.datasets.get(kind), "relation", None)
            if relation is not None:  # a live source: ask it, read nothing into memory
                _relation_context(relation, customers, values, names=kind == "customers")
                continue
            frame = self.bundle.get(kind)
            if frame is None:
                continue
            if "customer_id" in frame:
                # tolist() first: iterating an Arrow-backed array element by element is ~10x slower
                ids = [str(i) for i in frame["customer_id"].dropna().unique().tolist()]
                customers.update({i.lower(): i for i in ids})
            if kind == "customers" and "name" in frame:
                named = frame[["customer_id", "name"]].dropna()
                customers.update(
                    zip(named["name"].astype(str).str.lower(), named["customer_id"].astype(str), strict=True)
                )
            for dim in VOCAB_DIMENSIONS:
                if dim in frame:
                    distinct = frame[dim].dropna().unique()  # one pass (nunique() would be a second)
                    if len(distinct) <= 200:
                        values.setdefault(dim, set()).update(map(str, distinct))
        return Context(
            kinds=frozenset(self.bundle.datasets),
            customers=customers,
            values=values,
            as_of=self.latest_event_date(),
            fiscal_year_start_month=self.settings.fiscal_year_start_month,
        )

    def latest_event_date(self) -> date | None:
        """The reference date: the latest transaction, invoice/payment or feedback date loaded."""
        latest: pd.Timestamp | None = None
        for kind, columns in EVENT_DATES.items():
            relation = getattr(self.bundle.datasets.get(kind), "relation", None)
            frame = relation if relation is not None else self.bundle.get(kind)
            for col in columns:
                if frame is not None and col in frame:
                    value = frame[col].max() if relation is None else ops.min_max(relation, col)[1]
                    if pd.notna(value) and (latest is None or value > latest):
                        latest = value
        return None if latest is None else pd.Timestamp(latest).date()

    def event_period(self) -> tuple[date, date] | None:
        """(earliest, latest) transaction, invoice/payment or feedback date loaded (a report's period)."""
        low: pd.Timestamp | None = None
        high: pd.Timestamp | None = None
        for kind, columns in EVENT_DATES.items():
            frame = self.bundle.get(kind)
            for col in columns:
                if frame is not None and col in frame:
                    first, last = frame[col].min(), frame[col].max()
                    if pd.notna(first) and (low is None or first < low):
                        low = first
                    if pd.notna(last) and (high is None or last > high):
                        high = last
        if low is None or high is None:
            return None
        return pd.Timestamp(low).date(), pd.Timestamp(high).date()


#: A live source's customer ids are known to the question engine when there are at most this many.
MAX_SOURCE_IDS = 100_000


def _relation_context(
    relation: Any, customers: dict[str, str], values: dict[str, set[str]], names: bool
) -> None:
    """Customer ids and names (up to MAX_SOURCE_IDS) and dimension values (up to 200 each) of a live source."""
    if "customer_id" in relation:
        ids = ops.unique(relation, "customer_id", limit=MAX_SOURCE_IDS + 1)
        if len(ids) <= MAX_SOURCE_IDS:
            customers.update({str(i).lower(): str(i) for i in ids.tolist()})
            if names and "name" in relation:
                named = ops.distinct_pairs(relation, "customer_id", "name").dropna()
                customers.update(
                    zip(named["name"].astype(str).str.lower(), named["customer_id"].astype(str), strict=True)
                )
    for dim in VOCAB_DIMENSIONS:
        if dim in relation:
            distinct = ops.unique(relation, dim, limit=201)
            if len(distinct) <= 200:
                values.setdefault(dim, set()).update(map(str, distinct.tolist()))


def _matches(f: LoadedFile, correction: Correction) -> bool:
    if correction.file:
        return f.filename.lower() == correction.file.lower()
    if correction.column and f.dataset is not None:
        report = f.dataset.reports[0]
        names = {c.lower() for c in [*report.mapping, *report.unmapped]}
        return correction.column.lower() in names
    return False
