"""Evidence levels: each claim's level, derived from the design of the study it rests on.

Scale: the Oxford Centre for Evidence-Based Medicine 2011 levels for the
question "does this intervention help?" (treatment benefits):

    1  systematic review of randomised trials
    2  randomised trial
    3  non-randomised controlled cohort / follow-up study
    4  case series, case-control or historically controlled studies
    5  mechanism-based reasoning

Designs are the :StudyDesign individuals of ontology/pnet.ttl (curated as
``design:`` on sources and trials); ``LEVEL`` (terms/evidence.py) gives each its level:
systematic-review 1; randomised-controlled-trial 2 (any phase);
non-randomised-controlled-trial, prospective-cohort and retrospective-cohort 3;
single-arm-trial, case-series and case-report 4; narrative-review, guideline,
preclinical-cell-line, preclinical-animal and mechanistic-reasoning 5.

The rule, for one claim (first that applies):

1. The claim ``cites:`` a study (a review reporting a trial's finding): the
   claim takes the cited study's design and level; the review is recorded as
   the claim's secondary source (``pnet:secondarySource``) and the study as
   what the level comes from (``pnet:evidenceFrom``).
2. The claim states a molecular mechanism (inhibits, activates,
   phosphorylates, binds, targets, component_of, encodes,
   resistance_mechanism_for) without citing a study: mechanism-based
   reasoning, level 5, whatever the source.
3. Otherwise the claim takes the design of its own source document: a case
   report gives 4, a narrative review or a guideline 5 (expert opinion), a
   trial report its own design's level.

A single case: a single-arm trial is graded as an uncontrolled series (4, not
3: CEBM's level 3 needs a control group). A case report has no row of its own
on the 2011 scale; it is graded with case series at 4, the lowest
observational level, and keeps the design ``case-report`` so that claims
resting on one patient can be told apart (queries/evidence-case-report-only-claims.rq).
A paper reporting two patients, each as a case, is case reports, not a series.

Claims are also grouped by (subject, predicate, object): a group's strongest
level and number of supporting source documents count its supporting claims
(neither negated nor with a recorded conflict); the others are its
conflicting claims. When every claim of a group conflicts, the strongest level
is taken over all of them.

Everything derived here goes into one named graph,
``https://w3id.org/pnet-kg/graph/evidence``, so that the grading can be
replaced or dropped as a whole: the designs of sources and studies (converted
from the curated ``design:``), each claim's level, design, study and secondary
source, and the claim groups. Never curated by hand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from ..curation.model import Claim, Curation
from ..curation.vocabulary import LITERAL_PREDICATE, camel
from ..terms import iris
from ..terms.evidence import LEVEL

PNET = iris.PNET
EVIDENCE_GRAPH = iris.EVIDENCE_GRAPH

MECHANISTIC = {
    "inhibits",
    "activates",
    "phosphorylates",
    "binds",
    "targets",
    "component_of",
    "encodes",
    "resistance_mechanism_for",
}


@dataclass(frozen=True)
class Grade:
    """What one claim's evidence rests on."""

    level: int
    design: str
    basis: str  # the study id, or the source id, whose design gives the level
    secondary_source: str | None = None  # the review that reported a cited study


@dataclass
class ClaimGroup:
    """All claims with one (subject, predicate, object)."""

    key: tuple[str, str, str]
    supporting: list[Claim] = field(default_factory=list)
    conflicting: list[Claim] = field(default_factory=list)
    strongest: int | None = None
    sources: int = 0


def grade(claim: Claim, curation: Curation) -> Grade | None:
    """The claim's level by the rule of this module; None when a design it needs is missing."""
    if claim.cites:
        study = curation.entities.get(claim.cites)
        design = study.extra.get("design") if study else None
        return Grade(LEVEL[design], design, claim.cites, claim.source) if design in LEVEL else None
    if claim.predicate in MECHANISTIC:
        return Grade(LEVEL["mechanistic-reasoning"], "mechanistic-reasoning", claim.source)
    source = curation.sources.get(claim.source)
    design = source.design if source else None
    return Grade(LEVEL[design], design, claim.source) if design in LEVEL else None


def conflicts(claim: Claim) -> bool:
    return bool(claim.conflict or claim.qualifiers.get("negated"))


def _key(claim: Claim) -> tuple[str, str, str]:
    obj = f'"{claim.value}"' if claim.predicate == LITERAL_PREDICATE else (claim.object or "")
    return (claim.subject, claim.predicate, obj)


def groups(curation: Curation) -> list[ClaimGroup]:
    """Claims grouped by (subject, predicate, object), with strongest level, sources and conflicts."""
    by_key: dict[tuple[str, str, str], ClaimGroup] = {}
    for claim in curation.claims:
        group = by_key.setdefault(_key(claim), ClaimGroup(_key(claim)))
        (group.conflicting if conflicts(claim) else group.supporting).append(claim)
    for group in by_key.values():
        counted = group.supporting or group.conflicting
        levels = [g.level for g in (grade(c, curation) for c in counted) if g]
        group.strongest = min(levels) if levels else None
        group.sources = len({c.source for c in group.supporting})
    return list(by_key.values())


def add_evidence(ds: Dataset, curation: Curation) -> None:
    """Write designs, claim levels and claim groups into the evidence graph of ``ds``."""
    ontology = ds.graph(iris.ONTOLOGY_GRAPH)
    notations = {str(ontology.value(d, SKOS.notation)): d for d in ontology.subjects(RDF.type, PNET.StudyDesign)}
    g = ds.graph(EVIDENCE_GRAPH)
    for notation, design in notations.items():  # so that studies can be ranked by their design
        if notation in LEVEL:
            g.add((design, PNET.evidenceLevel, Literal(LEVEL[notation], datatype=XSD.integer)))
    for s in curation.sources.values():
        if s.design in notations:
            g.add((iris.source(s.id), PNET.studyDesign, notations[s.design]))
    for e in curation.entities.values():
        if e.extra.get("design") in notations:
            g.add((iris.entity(e.id), PNET.studyDesign, notations[e.extra["design"]]))
    for claim in curation.claims:
        _claim(g, claim, grade(claim, curation), notations)
    for group in groups(curation):
        _group(g, group)


def _claim(g: Graph, claim: Claim, found: Grade | None, notations: dict[str, Node]) -> None:
    if found is None or found.design not in notations:
        return  # left without a level: the SHACL check names the claim
    node = iris.claim(claim.id)
    g.add((node, PNET.evidenceLevel, Literal(found.level, datatype=XSD.integer)))
    g.add((node, PNET.studyDesign, notations[found.design]))
    g.add((node, PNET.evidenceFrom, iris.entity(found.basis) if claim.cites else iris.source(found.basis)))
    if found.secondary_source:
        g.add((node, PNET.secondarySource, iris.source(found.secondary_source)))


def group_iri(key: tuple[str, str, str]) -> URIRef:
    digest = hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{iris.BASE}claim-group/{digest}")


def _group(g: Graph, group: ClaimGroup) -> None:
    node = group_iri(group.key)
    subject, predicate, obj = group.key
    g.add((node, RDF.type, PNET.ClaimGroup))
    g.add((node, PNET.groupSubject, iris.entity(subject)))
    g.add((node, PNET.groupPredicate, PNET[camel(predicate)]))
    g.add((node, PNET.groupObject, Literal(obj[1:-1]) if obj.startswith('"') else iris.entity(obj)))
    g.add((node, PNET.supportingSources, Literal(group.sources, datatype=XSD.integer)))
    if group.strongest is not None:
        g.add((node, PNET.strongestLevel, Literal(group.strongest, datatype=XSD.integer)))
    for claim in group.supporting + group.conflicting:
        g.add((node, PNET.hasMember, iris.claim(claim.id)))
    for claim in group.conflicting:
        g.add((node, PNET.conflictingClaim, iris.claim(claim.id)))
