"""External identifiers in: /resolve/CHEBI:68478 -> the entity page.

A researcher arrives with another resource's identifier, written as that
resource writes it (``NCT00510068``, ``mesh:D000068338``, ``HGNC:3942``). The
identifier is normalised to our CURIE, looked up on the curated pnet:Mapping
records, and the entity it is the same as (exact, or else close match) is
where the browser goes. Anything else is a 404 that says what was understood.
"""

from __future__ import annotations

import re

import bioregistry
from flask import Blueprint, current_app, redirect
from rdflib import Literal
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as BaseResponse

from ..terms import iris
from ..terms.prefixes import VOCABULARIES, check_curie, sparql_preamble

bp = Blueprint("resolve", __name__)

_PREFIXES = sparql_preamble("pnet", "dcterms")
_BY_NORM = {norm: prefix for prefix, (norm, _) in VOCABULARIES.items()}
_NCT = re.compile(r"^NCT\d{8}$", re.I)
_RANK = {"exact": 0, "close": 1}


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


def _match(predicate: object) -> str:
    # skos:exactMatch -> exact
    return str(predicate).rsplit("#", 1)[-1].removesuffix("Match")
