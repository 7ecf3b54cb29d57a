"""Plain objects for the curated records, independent of RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class CurationError(Exception):
    """A curated record is wrong; names the file, record and field to fix."""

    def __init__(self, file: str, record: str, field: str, message: str):
        self.file, self.record, self.field, self.message = file, record, field, message
        super().__init__(f"{file}: {record}: {field}: {message}")


@dataclass(frozen=True)
class Xref:
    curie: str
    match: str
    justification: str


@dataclass
class Entity:
    id: str
    type: str
    label: str
    file: str
    synonyms: list[str] = field(default_factory=list)
    definition: str | None = None
    broader: list[str] = field(default_factory=list)
    xrefs: list[Xref] = field(default_factory=list)
    # type-specific curated structure: components, encodes, arms, interventions,
    # trial, phase, design, population, publications
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Source:
    id: str
    file: str
    kind: str
    label: str
    citation: str | None
    summary: str
    design: str | None = None  # a StudyDesign notation; missing designs fail the SHACL check


@dataclass
class Claim:
    id: str
    source: str
    subject: str
    predicate: str
    quote: str
    file: str
    object: str | None = None
    value: str | None = None
    qualifiers: dict[str, Any] = field(default_factory=dict)
    cites: str | None = None
    conflict: str | None = None


@dataclass
class Result:
    id: str
    source: str
    endpoint: str
    value: float | str | None  # a number, or the text as printed when it is not one (">36")
    unit: str | None
    quote: str
    file: str
    trial: str | None = None
    arm: str | None = None
    comparator: str | None = None
    event: str | None = None
    grade: str | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_level: float | None = None
    p_value: str | None = None
    n: int | None = None
    population: str | None = None
    note: str | None = None
    conflict: str | None = None
    interventions: list[str] = field(default_factory=list)  # for a series or study without arms
    value_low: float | None = None  # a range as printed ("70-80%"), instead of a single value
    value_high: float | None = None
    timepoint: str | None = None
    marker: str | None = None  # the analyte or gene a result measures
    events: list[str] = field(default_factory=list)  # more events than one


@dataclass
class Feature:
    property: str
    quote: str
    value: Any = None
    unit: str | None = None
    entity: str | None = None
    note: str | None = None
    uln: str | None = None  # upper limit of normal, as printed
    when: str | None = None


@dataclass
class Outcome:
    kind: str
    note: str | None = None
    event: str | None = None
    grade: str | None = None


@dataclass
class Episode:
    order: int
    quote: str
    when: str | None = None
    interventions: list[str] = field(default_factory=list)
    trial: str | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    note: str | None = None
    dose: str | None = None


@dataclass
class PatientCase:
    id: str
    source: str
    quote: str
    file: str
    age: int | None = None
    sex: str | None = None
    diagnosis: str | None = None
    features: list[Feature] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)


@dataclass
class Curation:
    """Everything curated, as read from graph_data/."""

    sources: dict[str, Source]
    entities: dict[str, Entity]
    claims: list[Claim]
    results: list[Result]
    cases: list[PatientCase]
