"""Playbook files: the one loader of ``playbooks/*.md`` (front matter and the English / Chinese bodies).

Both users of the playbooks read them through here: the Chroma store (agent/retrieval.py) indexes the
text for recommend_actions, and the resource planner gets the structured ``economics:`` blocks (parsed
with ``tools.plan.economics.parse_economics``) through a ``PlaybookLibrary`` that the session injects
into plan_resources (``ToolSpec.deps``), the way recommend_actions gets its store. The folder is
``settings.playbooks_dir`` (``CUSTFIN_PLAYBOOKS_DIR``, a user's own playbooks allowed); the format is
in playbooks/README.md.

- A file that cannot be parsed (no front matter, bad YAML, a required key missing) is skipped with a
  warning and listed in ``PlaybookLibrary.errors``, as the store always did.
- A playbook without an ``economics:`` block offers no planner action; a block that does not validate
  keeps the playbook for recommendations and makes ``PlaybookLibrary.economics()`` raise
  ``EconomicsError`` naming the file and the field (plan_resources words it in both languages).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.text import Msg
from prompts.findings import label as finding_label
from tools.plan.economics import Economics, EconomicsError, parse_economics
from tools.recommend import PlaybookHit

log = logging.getLogger(__name__)

DEFAULT_PLAYBOOKS = Path(__file__).resolve().parents[1] / "playbooks"  # the team's playbooks


@dataclass
class Playbook:
    """A parsed playbook file."""

    id: str
    title: Msg
    action_type: str
    findings: tuple[str, ...]
    segments: tuple[str, ...] = ()
    kpis: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    success_range: tuple[float, float] | None = None
    estimate: bool = True
    basis: Msg = Msg("", "")
    cost: Msg = Msg("", "")
    body: Msg = Msg("", "")
    when: Msg = Msg("", "")
    steps: tuple[Msg, ...] = ()
    path: Path | None = field(default=None, repr=False)
    # The ``economics:`` block (tools/plan/economics.py): None when the playbook has none; a block that
    # does not validate leaves ``economics`` None and keeps the error (the planner reports it; the text
    # of the playbook still serves recommendations).
    economics: Economics | None = field(default=None, repr=False)
    economics_error: EconomicsError | None = field(default=None, repr=False)

    def hit(self, score: float) -> PlaybookHit:
        return PlaybookHit(
            self.id,
            self.title,
            self.action_type,
            self.findings,
            self.success_range,
            self.estimate,
            self.basis,
            self.steps,
            self.sources,
            score,
        )

    def chunks(self) -> list[tuple[str, str]]:
        """(suffix, text) pieces indexed for this playbook."""
        labels = [finding_label(f) for f in self.findings]
        head = " ".join(
            [
                self.title.en,
                self.title.zh,
                self.action_type,
                *(lab.en for lab in labels),
                *(lab.zh for lab in labels),
                *self.segments,
            ]
        )
        out = [
            ("head", head),
            ("title-en", f"{self.title.en}. {self.when.en}"),
            ("title-zh", f"{self.title.zh}。{self.when.zh}"),
            ("body-en", self.body.en),
            ("body-zh", self.body.zh),
        ]
        return [(suffix, text) for suffix, text in out if text.strip(" .。")]


class PlaybookError(ValueError):
    """A playbook file that cannot be parsed (names the file and the problem)."""


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)
_SECTION = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)
_SUB = re.compile(r"^###\s+(.+?)\s*$", re.MULTILINE)
_STEP = re.compile(r"^\s*\d+[.)]\s+(.*\S)\s*$", re.MULTILINE)


def _msg(value: Any) -> Msg:
    if isinstance(value, dict):
        return Msg(str(value.get("en", "") or ""), str(value.get("zh", "") or ""))
    return Msg(str(value or ""), str(value or ""))


def _sections(text: str, pattern: re.Pattern[str]) -> dict[str, str]:
    parts = pattern.split(text)
    return {parts[i].strip().lower(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def _steps(section: dict[str, str], *names: str) -> list[str]:
    for name in names:
        if name in section:
            return [re.sub(r"\*\*(.+?)\*\*", r"\1", s) for s in _STEP.findall(section[name])]
    return []


def parse_playbook(path: Path) -> Playbook:
    """Parse one playbook file (front matter + '## English' / '## 中文' bodies)."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    m = _FRONT.match(text)
    if not m:
        raise PlaybookError(f"{path.name}: no YAML front matter between '---' lines")
    try:
        meta = yaml.load(m.group(1), Loader=_YAML_LOADER) or {}  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise PlaybookError(f"{path.name}: bad front matter: {exc}") from None
    for key in ("id", "title", "action_type", "findings"):
        if key not in meta:
            raise PlaybookError(f"{path.name}: front matter has no '{key}'")
    body = _sections(m.group(2), _SECTION)
    en = next((v for k, v in body.items() if k.startswith("english")), "")
    zh = next((v for k, v in body.items() if k.startswith("中文")), "")
    en_sub, zh_sub = _sections(en, _SUB), _sections(zh, _SUB)
    steps_en, steps_zh = _steps(en_sub, "steps"), _steps(zh_sub, "步骤")
    economics, economics_error = _economics(meta, path)
    impact = meta.get("impact") or {}
    rng = impact.get("success_range")
    success = (float(rng[0]), float(rng[1])) if isinstance(rng, list | tuple) and len(rng) == 2 else None
    return Playbook(
        id=str(meta["id"]),
        title=_msg(meta["title"]),
        action_type=str(meta["action_type"]),
        findings=tuple(str(f) for f in meta.get("findings") or ()),
        segments=tuple(str(s) for s in meta.get("segments") or ()),
        kpis=tuple(str(k) for k in meta.get("kpis") or ()),
        sources=tuple(str(s) for s in meta.get("sources") or ()),
        success_range=success,
        estimate=bool(impact.get("estimate", True)),
        basis=_msg(impact.get("basis")),
        cost=_msg(meta.get("cost")),
        body=Msg(en, zh),
        when=Msg(en_sub.get("when to use", ""), zh_sub.get("适用情形", "")),
        steps=tuple(
            Msg(a, b)
            for a, b in zip(
                steps_en + [""] * (len(steps_zh) - len(steps_en)),
                steps_zh + [""] * (len(steps_en) - len(steps_zh)),
                strict=True,
            )
        ),
        path=path,
        economics=economics,
        economics_error=economics_error,
    )


def _economics(meta: dict[str, Any], path: Path) -> tuple[Economics | None, EconomicsError | None]:
    """The playbook's economics block parsed, or the error naming its file and field (no block: None)."""
    if "economics" not in meta:
        return None, None
    try:
        return parse_economics(meta, str(meta["id"])), None
    except EconomicsError as exc:
        return None, EconomicsError(exc.playbook, exc.field, exc.problem, path.name)


def playbook_files(directory: Path) -> list[Path]:
    """Every playbook file in ``directory`` (README.md excluded), sorted by name."""
    return sorted(p for p in directory.glob("*.md") if p.name.lower() != "readme.md")


def content_hash(paths: Sequence[Path], extra: str = "") -> str:
    """sha256 over the files' names and bytes (plus ``extra``, e.g. the embedding config)."""
    digest = hashlib.sha256(extra.encode())
    for p in paths:
        digest.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


# ==================================================================================================
# The library: every playbook of one folder, parsed once
# ==================================================================================================
@dataclass(frozen=True)
class PlaybookLibrary:
    """The parsed playbooks of one folder, by id in file-name order (implements
    ``tools.plan.economics.EconomicsSource``)."""

    directory: Path
    files: tuple[Path, ...]
    playbooks: dict[str, Playbook]
    errors: tuple[str, ...] = ()

    def economics(self) -> tuple[Economics, ...]:
        """The economics blocks in file-name order; raises the first bad block's ``EconomicsError``."""
        for pb in self.playbooks.values():
            if (bad := pb.economics_error) is not None:  # a fresh exception per call (no stale traceback)
                raise EconomicsError(bad.playbook, bad.field, bad.problem, bad.file)
        return tuple(pb.economics for pb in self.playbooks.values() if pb.economics is not None)


def load_library(directory: Path) -> PlaybookLibrary:
    """Parse every playbook file of ``directory`` (unparseable files skipped with a warning)."""
    directory = Path(directory)
    files = tuple(playbook_files(directory))
    playbooks: dict[str, Playbook] = {}
    errors: list[str] = []
    for path in files:
        try:
            pb = parse_playbook(path)
        except (PlaybookError, OSError, UnicodeDecodeError) as exc:
            log.warning("playbook skipped: %s", exc)
            errors.append(str(exc))
            continue
        playbooks[pb.id] = pb
    return PlaybookLibrary(directory, files, playbooks, tuple(errors))


def get_library(directory: Path) -> PlaybookLibrary:
    """The library of ``directory``, parsed again only when a file is added, removed or changed
    (name, size and modification time)."""
    directory = Path(directory).resolve()
    signature = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in playbook_files(directory))
    return _cached_library(str(directory), signature)


@lru_cache(maxsize=8)
def _cached_library(directory: str, signature: tuple[tuple[str, int, int], ...]) -> PlaybookLibrary:
    return load_library(Path(directory))
