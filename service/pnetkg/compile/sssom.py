"""The curated mappings as an SSSOM table (https://mapping-commons.github.io/sssom/).

The build writes it from the checked mappings (with the vocabulary's label
where an extract gives one); the service hands out the file the build wrote.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..terms import iris
from ..terms.dumps import MAPPINGS_REPORT, MAPPINGS_SSSOM
from ..terms.prefixes import converter

if TYPE_CHECKING:
    from ..curation.extracts import Entry
    from ..curation.xrefs import MappingReport

MAPPING_SET_ID = iris.BASE + MAPPINGS_SSSOM
# the curated mapping set is released like the rest of the graph's curated data
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SUBJECT_PREFIX = "pnetkg"
PREDICATES = {m: f"skos:{m}Match" for m in ("exact", "close", "broad", "narrow", "related")}
COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "comment",
)


@dataclass(frozen=True)
class MappingRow:
    entity: str  # the entity id (everolimus)
    label: str
    match: str  # exact | close | broad | narrow | related
    curie: str  # the external identifier (CHEBI:68478)
    object_label: str | None
    justification: str


def rows_from_report(report: MappingReport) -> list[MappingRow]:
    # a label borrowed through another vocabulary's record is not the object's own label
    return [
        MappingRow(c.entity.id, c.entity.label, c.xref.match, c.xref.curie, _own_label(c.entry), c.xref.justification)
        for c in report.checked
    ]


def _own_label(entry: Entry | None) -> str | None:
    return entry.label if entry and not entry.via else None


def to_tsv(rows: list[MappingRow], mapping_date: str | None = None) -> str:
    """The SSSOM TSV: a commented YAML metadata block, then a header and one line per mapping."""
    used = {r.curie.partition(":")[0] for r in rows}
    curie_map = {SUBJECT_PREFIX: str(iris.ENTITY), "skos": "http://www.w3.org/2004/02/skos/core#"}
    curie_map["semapv"] = "https://w3id.org/semapv/vocab/"
    curie_map.update({p: converter().prefix_map[p] for p in sorted(used)})
    meta = [
        f"mapping_set_id: {MAPPING_SET_ID}",
        "mapping_set_title: pnet-kg mappings to external vocabularies",
        "mapping_set_description: Curated links from pnet-kg entities to ChEBI, DrugBank, ChEMBL, MeSH, NCIt,"
        " HGNC, NCBI Gene, UniProt, MONDO, HP, MAxO, DOID and ClinicalTrials.gov, each with its justification.",
        f"license: {LICENSE}",
        f"mapping_date: {mapping_date or date.today().isoformat()}",
        f"subject_source: {iris.BASE}",
        "curie_map:",
        *(f"  {p}: {json.dumps(u)}" for p, u in curie_map.items()),
    ]
    lines = ["#" + m for m in meta]
    lines.append("\t".join(COLUMNS))
    for r in sorted(rows, key=lambda r: (r.entity, r.curie)):
        cells = (
            f"{SUBJECT_PREFIX}:{r.entity}",
            r.label,
            PREDICATES[r.match],
            r.curie,
            r.object_label or "",
            "semapv:ManualMappingCuration",
            r.justification,
        )
        lines.append("\t".join(_cell(c) for c in cells))
    return "\n".join(lines) + "\n"


def write_mapping_files(report: MappingReport, directory: Path) -> list[str]:
    """Write the SSSOM table and the verification report into ``directory``; returns the file names."""
    (directory / MAPPINGS_SSSOM).write_text(to_tsv(rows_from_report(report)), encoding="utf-8")
    (directory / MAPPINGS_REPORT).write_text(json.dumps(report.summary(), indent=2), encoding="utf-8")
    return [MAPPINGS_SSSOM, MAPPINGS_REPORT]


def _cell(text: str) -> str:
    # a tab or line break inside a cell would split the row
    return re.sub(r"\s+", " ", text).strip()
