"""A full-text index of names, built from the store with one SPARQL query.

Names are normalised the same way in the index and in the query, so that
mTOR/MTOR, IGF-1R/IGF1R and PDGFR-alpha/PDGFRα meet: lowercase, accents and
punctuation removed, Greek letters spelled out. Each name is indexed as its
words and as one compact token (no spaces), so "igf1r", "IGF-1 R" and
"insulin-like gr" all find the IGF-1 receptor by prefix.

>>> normalise("PDGFR-α")
'pdgfralpha'
>>> words("IGF-1R (receptor)")
['igf1r', 'receptor']
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..store.base import Store, StoreError
from ..terms.prefixes import sparql_preamble

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9\s]+")
_SPACE = re.compile(r"\s+")
#: how often a store reached through a pool or a server is asked whether it changed; an embedded
#: store opened in this process is checked at every search (a readlink)
REMOTE_CHECK_SECONDS = 60.0

NAMES_QUERY = (
    sparql_preamble("pnet", "rdfs", "skos", "dcterms", "graph")
    + """
SELECT ?x ?label ?type ?typeLabel ?name ?field WHERE {
  GRAPH ?g { ?x a ?type }
  FILTER(STRSTARTS(STR(?type), STR(pnet:)) && ?g != graph:inferred && ?g != graph:ontology)
  FILTER(?type NOT IN (pnet:Claim, pnet:Result, pnet:Episode, pnet:Outcome, pnet:Mapping, pnet:CaseFeature,
                       pnet:Conflict))
  ?x rdfs:label ?label .
  OPTIONAL { ?type rdfs:label ?typeLabel }
  { ?x rdfs:label ?name BIND("label" AS ?field) }
  UNION { ?x skos:altLabel ?name BIND("synonym" AS ?field) }
  UNION { ?m pnet:mappingSubject ?x ; dcterms:identifier ?name BIND("identifier" AS ?field) }
  UNION { ?x dcterms:identifier ?name BIND("identifier" AS ?field) }
}"""
)
_FIELD_RANK = {"label": 0, "synonym": 1, "identifier": 2}


def _fold(text: str) -> str:
    text = "".join(GREEK.get(c, c) for c in text.lower())
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The normalised words of a name: hyphens inside a word are dropped, other punctuation splits."""
    folded = _fold(text).replace("-", "").replace("_", "")
    return [w for w in _SPACE.split(_NOT_WORD.sub(" ", folded)) if w]


def normalise(text: str) -> str:
    """One compact token: lowercase, no accents, Greek letters spelled out, no spaces or punctuation."""
    return "".join(words(text))


@dataclass(frozen=True)
class SearchHit:
    iri: str
    label: str
    type: str
    type_label: str
    matched: str  # the name that matched (label, synonym or identifier)
    field: str  # label | synonym | identifier


class SearchIndex:
    """An FTS5 index of the store's names, rebuilt when the store changes; safe across threads."""

    def __init__(self, store: Store, directory: Path | None = None):
        self.store = store
        self.directory = Path(directory or tempfile.mkdtemp(prefix="pnetkg-search-"))
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._version: str | None = None
        self._path: Path | None = None
        self._checked = 0.0

    # ------------------------------------------------------------ freshness
    def _store_version(self) -> str:
        """A key that changes whenever the served graph changes."""
        data_dir = getattr(self.store, "data_dir", None)
        if data_dir is not None:  # embedded: the symlink to the served store is the version
            try:
                return "embedded-" + os.readlink(Path(data_dir) / "current").replace("/", "_")
            except OSError:
                return "embedded-empty"
        sizes = self.store.graph_sizes()
        return "remote-%x" % (hash(tuple(sorted(sizes.items()))) & 0xFFFFFFFFFFFF)

    def ensure_fresh(self) -> Path:
        """The index file for the store as it is now, built when missing or out of date."""
        now = time.monotonic()
        remote = getattr(self.store, "data_dir", None) is None
        if self._path is not None and remote and now - self._checked < REMOTE_CHECK_SECONDS:
            return self._path
        version = self._store_version()
        self._checked = now
        if version == self._version and self._path is not None:
            return self._path
        with self._lock:
            if version != self._version or self._path is None:
                path = self.directory / f"{version}.sqlite"
                if not path.exists():
                    self._build(path)
                old, self._path, self._version = self._path, path, version
                if old is not None and old != path:
                    old.unlink(missing_ok=True)
        assert self._path is not None  # set above, under the lock
        return self._path

    def _build(self, path: Path) -> None:
        rows = self.store.select(NAMES_QUERY)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp)
        try:
            db.execute(
                "CREATE VIRTUAL TABLE names USING fts5("
                "terms, compact UNINDEXED, iri UNINDEXED, label UNINDEXED, type UNINDEXED,"
                " type_label UNINDEXED, matched UNINDEXED, field UNINDEXED, tokenize='unicode61')"
            )
            seen = set()
            for r in rows:
                name, field = str(r["name"]), str(r["field"])
                key = (str(r["x"]), name, field)
                if key in seen:
                    continue
                seen.add(key)
                terms = words(name) + [normalise(name)]
                if field == "identifier" and ":" in name:  # CHEBI:68478 is also found by 68478
                    terms.append(normalise(name.split(":", 1)[1]))
                type_iri = str(r["type"])
                db.execute(
                    "INSERT INTO names VALUES (?,?,?,?,?,?,?,?)",
                    (
                        " ".join(terms),
                        normalise(name),
                        str(r["x"]),
                        str(r["label"]),
                        type_iri,
                        str(r.get("typeLabel") or type_iri.rsplit("#", 1)[-1]),
                        name,
                        field,
                    ),
                )
            db.commit()
        finally:
            db.close()
        os.replace(tmp, path)

    # ------------------------------------------------------------ querying
    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Entities whose label, synonym or identifier starts with the words typed (any order)."""
        tokens = words(text)[:8]
        if not tokens:
            return []
        compact = "".join(tokens)
        # every word as a prefix, or the whole text as the prefix of a compact name (IGF-1 R -> igf1r)
        match = " AND ".join(f'"{t}"*' for t in tokens)
        if len(tokens) > 1:
            match = f'({match}) OR "{compact}"*'
        try:
            path = self.ensure_fresh()
        except StoreError:
            raise
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute(
                "SELECT iri, label, type, type_label, matched, field, compact, bm25(names) FROM names"
                " WHERE names MATCH ? ORDER BY bm25(names) LIMIT 2000",
                (match,),
            ).fetchall()
        finally:
            db.close()
        best: OrderedDict[str, tuple[tuple, SearchHit]] = OrderedDict()
        for iri, label, type_, type_label, matched, field, comp, score in rows:
            rank = (
                0 if comp == compact else 1 if comp.startswith(compact) else 2,
                _FIELD_RANK.get(field, 3),
                len(label),
                score,
            )
            hit = SearchHit(iri, label, type_, type_label, matched, field)
            if iri not in best or rank < best[iri][0]:
                best[iri] = (rank, hit)
        ranked = sorted(best.values(), key=lambda pair: pair[0])
        return [hit for _, hit in ranked[:limit]]
