"""Check every external identifier of every entity against the registry and the vocabulary extracts.

Syntax is checked against the Bioregistry pattern of the prefix. Where an
extract in vocab/ lists the identifier, an exact match must name the same
thing: one of the vocabulary's names must equal the entity's label or a
synonym once case, hyphens, spacing, Greek letters and British spellings are
set aside. A broader, narrower, close or related concept only has to exist.
Identifiers no extract lists are not errors; they are reported as unverified.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..terms.prefixes import check_curie, split, vocabulary_name
from .extracts import Entry, Extracts
from .model import Curation, CurationError, Entity, Xref

# Vocabularies whose extract lists every identifier the sources need (README of
# vocab/): an identifier missing there is a mistake, not merely unconfirmed.
LISTED = {"HGNC", "NCBIGENE", "DRUGBANK", "MONDO", "MAXO"}
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "µ": "mu", "μ": "mu"}


@dataclass(frozen=True)
class Checked:
    entity: Entity
    xref: Xref
    status: str  # "label" (exists, names agree) | "exists" | "unverified"
    entry: Entry | None = None


@dataclass
class MappingReport:
    checked: list[Checked] = field(default_factory=list)

    def summary(self) -> dict:
        """Counts per vocabulary and predicate, and the unverified mappings, for mappings-report.json."""
        counts: dict = defaultdict(lambda: defaultdict(lambda: {"verified": 0, "unverified": 0}))
        unverified = []
        for c in self.checked:
            cell = counts[vocabulary_name(c.xref.curie)][c.xref.match]
            cell["unverified" if c.status == "unverified" else "verified"] += 1
            if c.status == "label":
                cell["label_agrees"] = cell.get("label_agrees", 0) + 1
            if c.status == "unverified":
                unverified.append({"entity": c.entity.id, "id": c.xref.curie, "match": c.xref.match})
        total = len(self.checked)
        verified = sum(c.status != "unverified" for c in self.checked)
        return {
            "mappings": total,
            "verified": verified,
            "unverified": total - verified,
            "by_vocabulary": {v: dict(p) for v, p in sorted(counts.items())},
            "unverified_mappings": unverified,
        }


def check_mappings(curation: Curation, vocab: Path | None) -> MappingReport:
    """Check every xref against the extracts in ``vocab`` (None or absent: syntax only, all unverified)."""
    return check_xrefs(curation, Extracts(vocab))


def check_xrefs(curation: Curation, extracts: Extracts) -> MappingReport:
    """Raise a CurationError for the first wrong identifier; otherwise report what was verified."""
    report = MappingReport()
    exact: dict[str, str] = {}
    for entity in curation.entities.values():
        for xref in entity.xrefs:
            report.checked.append(check_xref(entity, xref, extracts))
            # /resolve sends an identifier to one entity: two exact matches mean a duplicate or a slip
            other = exact.setdefault(xref.curie, entity.id) if xref.match == "exact" else entity.id
            if other != entity.id:
                raise CurationError(
                    entity.file, entity.id, "xrefs", f"{xref.curie} is already the exact match of {other}"
                )
    return report


def check_xref(entity: Entity, xref: Xref, extracts: Extracts) -> Checked:
    def fail(message: str) -> CurationError:
        return CurationError(entity.file, entity.id, "xrefs", message)

    problem = check_curie(xref.curie)
    if problem:
        raise fail(f"{xref.curie} is not a valid CURIE: {problem}")
    entry = extracts.get(xref.curie)
    prefix = split(xref.curie)[0]
    if entry is None:
        if prefix in LISTED and extracts.entries:
            raise fail(f"{xref.curie} is not in the {vocabulary_name(xref.curie)} extract (vocab/)")
        return Checked(entity, xref, "unverified")
    if xref.match != "exact":
        return Checked(entity, xref, "exists", entry)
    if problem := _kind_problem(entity, xref, entry):
        raise fail(problem)
    if not entry.names:
        return Checked(entity, xref, "exists", entry)
    ours = {k for n in (entity.label, *entity.synonyms) for k in keys(n)}
    if ours & {k for n in entry.names for v in variants(n) for k in keys(v)}:
        return Checked(entity, xref, "label", entry)
    said = f'"{entry.label}"' if entry.label else " or ".join(f'"{n}"' for n in sorted(entry.names)[:3])
    where = vocabulary_name(xref.curie) + (f" (names of {entry.via}, which it maps to)" if entry.via else "")
    raise fail(f'{xref.curie} is {said} in {where}, expected a label or synonym of "{entity.label}"')


def _kind_problem(entity: Entity, xref: Xref, entry: Entry) -> str | None:
    """An exact match must be the same kind of thing: a gene record is not its protein, nor a drug."""
    name = vocabulary_name(xref.curie)
    if entry.kind == "allele":
        return f"{xref.curie} is a wild-type allele code in {name}, not the gene; use the gene code"
    if entry.kind == "gene" and entity.type != "Gene":
        return f"{xref.curie} is a gene in {name}, but {entity.id} is a {entity.type}: use a close or related match"
    if entry.kind == "protein" and entity.type == "Gene":
        return f"{xref.curie} is a protein in {name}, but {entity.id} is a Gene: use a related match"
    return None


def keys(name: str) -> set[str]:
    """Comparison keys of a name: its words run together, and its words in any order (MeSH inverts)."""
    words = normalise(name)
    return {"".join(words), " ".join(sorted(words))}


def normalise(name: str) -> list[str]:
    """The words of a name, with case, punctuation, Greek letters, British spelling and plurals set aside."""
    text = unicodedata.normalize("NFKC", name).lower()
    for letter, word in _GREEK.items():
        text = text.replace(letter, word)
    text = text.replace("tumour", "tumor").replace("ae", "e").replace("oe", "e")
    return [_singular(w) for w in re.findall(r"[a-z0-9]+", text)]


def _singular(word: str) -> str:
    # MeSH headings are plural ("Neuroendocrine Tumors", "Gastrins"); both sides are reduced alike
    if word.endswith("oses"):  # "Mycoses" -> "mycosis"
        return word[:-4] + "osis"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "is", "us")):
        return word[:-1]
    return word


def variants(name: str) -> list[str]:
    """A vocabulary name and the plain forms MeSH writes inverted ("Adenoma, Islet Cell", "KDR protein, human")."""
    out = [name]
    # MAxO names a medical action, not the technique: "clinical core needle biopsy", "CT procedure"
    plain = re.sub(r"^clinical | procedure$", "", name)
    if plain != name:
        out.append(plain)
    human = re.fullmatch(r"(.+?) protein, human", name)
    if human:
        out += [human.group(1), human.group(1) + " protein"]
    elif name.count(", ") == 1:
        head, tail = name.split(", ")
        out.append(f"{tail} {head}")
    return out
