"""The terms of the ontology that curated files may use: entity types and predicates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph

from ..terms.iris import PNET

LITERAL_PREDICATE = "has_characteristic"


def camel(snake: str) -> str:
    """``improves_outcome_in`` -> ``improvesOutcomeIn`` (curated name -> ontology name)."""
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(camel_name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", camel_name).lower()


@dataclass(frozen=True)
class Vocabulary:
    entity_types: frozenset[str]
    predicates: frozenset[str]  # snake_case names of the claim predicates
    designs: frozenset[str] = frozenset()  # skos:notation of each :StudyDesign (curated `design:` values)

    @classmethod
    def from_ontology(cls, path: Path) -> "Vocabulary":
        g = Graph().parse(path, format="turtle")
        records = set(g.transitive_subjects(RDFS.subClassOf, PNET.InformationEntity))
        defined = set(g.subjects(OWL.equivalentClass, None))
        types = {
            str(c)[len(PNET) :]
            for c in g.subjects(RDF.type, OWL.Class)
            if str(c).startswith(str(PNET)) and c not in records and c not in defined
        }
        relations = set(g.transitive_subjects(RDFS.subPropertyOf, PNET.relatedTo))
        predicates = {snake(str(p)[len(PNET) :]) for p in relations if p != PNET.relatedTo}
        designs = {str(g.value(d, SKOS.notation)) for d in g.subjects(RDF.type, PNET.StudyDesign)}
        return cls(frozenset(types), frozenset(predicates | {LITERAL_PREDICATE}), frozenset(designs))
