"""The engine's vocabulary tables assembled from the tools' declarations (ToolSpec.words) and
tools/schemas.py: keywords, keyword combinations, per-tool defaults, column and kind words.
"""

from __future__ import annotations

from prompts.scope import OUT_OF_SCOPE_KEYWORDS
from tools.registry import TOOLS
from tools.schemas import SYNONYMS

# Each tool's question words come with its declaration (ToolSpec.words = prompts/<tool>.py).
TOOL_KEYWORDS: dict[str, dict[str, float]] = {
    name: spec.words.KEYWORDS for name, spec in TOOLS.items()
} | OUT_OF_SCOPE_KEYWORDS
COMBOS: list[tuple[str, tuple[str, ...], float]] = [
    combo for spec in TOOLS.values() for combo in getattr(spec.words, "COMBOS", [])
]
QUESTION_DEFAULTS: dict[str, dict[str, object]] = {
    name: spec.words.QUESTION_DEFAULTS for name, spec in TOOLS.items() if hasattr(spec.words, "QUESTION_DEFAULTS")
}
# What a correction may call a canonical column: its name and its synonyms (tools/schemas.py).
COLUMN_WORDS_BY_CANONICAL: dict[str, list[str]] = {column: [column, *words] for column, words in SYNONYMS.items()}
