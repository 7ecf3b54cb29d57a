"""Find verbatim quotes in source texts extracted from PDFs.

The texts carry line breaks and words hyphenated across them
(``neuroen-\\ndocrine``). A quote matches when it equals a stretch of the text
after whitespace is collapsed and a hyphen at a line break is either dropped
(a split word) or kept (a real hyphen, as in ``insulin-\\nlike``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BREAK = re.compile(r" ?\n ?")


def normalise_text(text: str) -> str:
    """Collapse runs of spaces; keep line breaks (they mark hyphenation points)."""
    return _BREAK.sub("\n", _SPACES.sub(" ", text))


@lru_cache(maxsize=4096)
def quote_pattern(quote: str) -> re.Pattern[str]:
    """A pattern that finds the quote across line breaks and split words."""
    parts: list[str] = []
    for token in re.findall(r"\s+|.", quote.strip(), flags=re.S):
        if token.isspace():
            parts.append(r"[ \n]+")
        elif token == "-":
            parts.append(r"-\n?")
        else:
            parts.append(re.escape(token))
            if token.isalnum():
                # a word may be split by the extraction: "neuroen-\ndocrine"
                parts.append(r"(?:-\n)?")
    return re.compile("".join(parts))


def quote_in_text(quote: str, text: str) -> bool:
    """Whether ``quote`` occurs verbatim in ``text`` (normalised as above)."""
    return quote_pattern(quote).search(text) is not None


class SourceTexts:
    """The source texts of a directory, read once and normalised."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._texts: dict[str, str] = {}

    def text(self, filename: str) -> str | None:
        if filename not in self._texts:
            path = self.directory / filename
            if not path.is_file():
                return None
            self._texts[filename] = normalise_text(path.read_text(encoding="utf-8"))
        return self._texts[filename]
