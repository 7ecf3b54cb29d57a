"""External identifiers in: /resolve/CHEBI:68478 -> the entity page; the mapping set as SSSOM.

A researcher arrives with another resource's identifier, written as that
resource writes it (``NCT00510068``, ``mesh:D000068338``, ``HGNC:3942``). The
identifier is normalised to our CURIE, looked up on the curated pnet:Mapping
records, and the entity it is the same as (exact, or else close match) is
where the browser goes. Anything else is a 404 that says what was understood.
"""

from __future__ import annotations

import re

import bioregistry
from flask import Blueprint, Response, current_app, redirect
from rdflib import Literal
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as BaseResponse

from ..build import iris
from ..build.prefixes import VOCABULARIES, check_curie
from ..build.sssom import MAPPINGS_SSSOM, MappingRow, to_tsv
from ..curation.extracts import Extracts

bp = Blueprint("resolve", __name__)

_PREFIXES = """PREFIX pnet: <https://w3id.org/pnet-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_BY_NORM = {norm: prefix for prefix, (norm, _) in VOCABULARIES.items()}
_NCT = re.compile(r"^NCT\d{8}$", re.I)
_RANK = {"exact": 0, "close": 1}
EXTRACTS = "pnetkg.extracts"


def our_curie(text: str) -> str:
    """The CURIE as the graph writes it, from an identifier as people write it; NotFound when it is none."""
    text = text.strip()
    if _NCT.match(text):  # trial registrations are cited bare
        text = "CLINICALTRIALS:" + text
    prefix, sep, local = text.partition(":")
    if not sep or not local:
        raise NotFound(f"{text!r} is not a CURIE: write it as PREFIX:ID, e.g. CHEBI:68478 or HGNC:3942")
    ours = (
        prefix.upper() if prefix.upper() in VOCABULARIES else _BY_NORM.get(bioregistry.normalize_prefix(prefix) or "")
    )
    if ours is None:
        raise NotFound(f"unknown prefix {prefix!r}; this graph maps to: {', '.join(VOCABULARIES)}")
    for candidate in (local, local.upper()):  # "ncit:c1212" is NCIT:C1212
        if check_curie(f"{ours}:{candidate}") is None:
            return f"{ours}:{candidate}"
    raise NotFound(f"{ours}:{local} is not a valid identifier: {check_curie(f'{ours}:{local}')}")


@bp.route("/resolve/<path:identifier>")
def resolve(identifier: str) -> BaseResponse:
    curie = our_curie(identifier)
    rows = current_app.config["STORE"].select(
        _PREFIXES
        + f"""SELECT ?entity ?predicate WHERE {{
          ?m a pnet:Mapping ; dcterms:identifier {Literal(curie).n3()} ;
             pnet:mappingSubject ?entity ; pnet:mappingPredicate ?predicate .
        }}"""
    )
    found = sorted((_match(r["predicate"]), str(r["entity"])) for r in rows)
    same = [(m, e) for m, e in found if m in _RANK]
    if same:
        best = min(same, key=lambda me: (_RANK[me[0]], me[1]))
        return redirect("/" + best[1].removeprefix(iris.BASE), code=303)
    if found:
        others = ", ".join(f"/{e.removeprefix(iris.BASE)} ({m} match)" for m, e in found)
        raise NotFound(f"no entity of this graph is the same as {curie}; related: {others}")
    raise NotFound(f"no entity of this graph is mapped to {curie}")


@bp.route("/" + MAPPINGS_SSSOM)
def mappings_sssom() -> Response:
    """The curated mapping set, read from the store, as an SSSOM table."""
    rows = current_app.config["STORE"].select(
        _PREFIXES
        + """SELECT ?entity ?label ?predicate ?id ?justification WHERE {
          ?m a pnet:Mapping ; pnet:mappingSubject ?entity ; pnet:mappingPredicate ?predicate ;
             dcterms:identifier ?id .
          OPTIONAL { ?m pnet:justification ?justification }
          OPTIONAL { ?entity rdfs:label ?label }
        }"""
    )
    extracts = _extracts()
    mappings: dict[tuple[str, str], MappingRow] = {}
    for r in rows:
        entity, curie = str(r["entity"]).removeprefix(str(iris.ENTITY)), str(r["id"])
        entry = extracts.get(curie)
        mappings.setdefault(
            (entity, curie),
            MappingRow(
                entity,
                str(r.get("label", entity)),
                _match(r["predicate"]),
                curie,
                entry.label if entry and not entry.via else None,
                str(r.get("justification", "")),
            ),
        )
    body = to_tsv(list(mappings.values()))
    return Response(body, content_type="text/tab-separated-values; charset=utf-8")


def _match(predicate: object) -> str:
    # skos:exactMatch -> exact
    return str(predicate).rsplit("#", 1)[-1].removesuffix("Match")


def _extracts() -> Extracts:
    """The vocabulary extracts of the repository, read once, for the object labels of the table."""
    if EXTRACTS not in current_app.extensions:
        current_app.extensions[EXTRACTS] = Extracts(current_app.config["SETTINGS"].repository / "vocab")
    return current_app.extensions[EXTRACTS]
