"""Plain objects for the curated records, independent of RDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class CurationError(Exception):
    """A curated record is wrong; names the file, record and field to fix."""

    def __init__(self, file: str, record: str, field: str, message: str):
        self.file, self.record, self.field, self.message = file, record, field, message
        super().__init__(f"{file}: {record}: {field}: {message}")


@dataclass(frozen=True, kw_only=True)
class Xref:
    curie: str
    match: str
    justification: str


@dataclass(kw_only=True)
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


@dataclass(kw_only=True)
class Source:
    id: str
    file: str
    kind: str
    label: str
    citation: str | None
    summary: str
    design: str | None = None  # a StudyDesign notation; missing designs fail the SHACL check


@dataclass(kw_only=True)
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
    scope: str | None = None  # what the claim rests on (SCOPES); required, the check names a claim without one
    n: int | None = None  # patients the observation rests on, as printed
    corrected_by: list[str] = field(default_factory=list)  # with a conflict: the statements that say it right


# What a claim rests on. A review's own statement is general knowledge; every
# other scope reports an observation of the patients or models named.
SCOPES = {
    "patient": "one patient",
    "case-series": "a case series",
    "single-arm-trial": "a single-arm trial",
    "comparative-trial": "a trial with a control group",
    "observational-study": "an observational study of a population",
    "preclinical-cell-line": "experiments in cell lines",
    "preclinical-animal": "experiments in animals",
    "review": "a review's general statement",
}
GENERAL_SCOPES = {"review"}
# Effects of an intervention on a disease: they name their endpoint. Improving an
# outcome needs a comparator; activity in a single arm, series or patient does not.
EFFECT_PREDICATES = {"improves_outcome_in", "shows_activity_in"}
COMPARATIVE_PREDICATES = {"improves_outcome_in"}


@dataclass(kw_only=True)
class CuratedStatement:
    """A statement of general knowledge, with the references it rests on (corrects a source, or completes it)."""

    id: str
    subject: str
    predicate: str
    file: str
    note: str
    object: str | None = None
    value: str | None = None
    references: list[str] = field(default_factory=list)  # CURIEs: DOI, PUBMED, CHEBI, DRUGBANK, ...
    supported_by: list[str] = field(default_factory=list)  # claims of the sources that state it
    corrects: list[str] = field(default_factory=list)  # claims it corrects


@dataclass(kw_only=True)
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
    partition: str | None = None  # shares of one whole carry the same partition name
    assessment: str | None = None  # who assessed the endpoint, as printed (local, central review)
    subgroup: str | None = None  # the subgroup of the population the result is for, as printed


@dataclass(kw_only=True)
class Feature:
    property: str
    quote: str
    value: Any = None
    unit: str | None = None
    entity: str | None = None
    note: str | None = None
    uln: str | None = None  # upper limit of normal, as printed
    when: str | None = None


@dataclass(kw_only=True)
class Outcome:
    kind: str
    note: str | None = None
    event: str | None = None
    grade: str | None = None


@dataclass(kw_only=True)
class Episode:
    order: int
    quote: str
    when: str | None = None
    interventions: list[str] = field(default_factory=list)
    trial: str | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    note: str | None = None
    dose: str | None = None


@dataclass(kw_only=True)
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


@dataclass(kw_only=True)
class Curation:
    """Everything curated, as read from graph_data/."""

    sources: dict[str, Source]
    entities: dict[str, Entity]
    claims: list[Claim]
    results: list[Result]
    cases: list[PatientCase]
    curated: list[CuratedStatement] = field(default_factory=list)
