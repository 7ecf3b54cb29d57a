"""The example queries of queries/*.rq, with the question each answers (its first comment line)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_QUESTION = re.compile(r"^#\s*(?:CQ\d+\s*:|Question\s*:)?\s*(.+)$")


@dataclass(frozen=True)
class Example:
    name: str
    question: str
    query: str


def load_examples(directory: Path) -> list[Example]:
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = next((line for line in text.splitlines() if line.startswith("#")), "")
        m = _QUESTION.match(first)
        examples.append(Example(path.stem, m.group(1).strip() if m else path.stem, text))
    return examples
