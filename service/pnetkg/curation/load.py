"""Read graph_data/ into model objects, checking each record's shape.

Every problem is a CurationError naming the file, the record and the field.
Cross-references and quotes are checked later, by ``validate``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import yaml

from .model import (
    SCOPES,
    Claim,
    CuratedStatement,
    Curation,
    CurationError,
    Entity,
    Episode,
    Feature,
    Outcome,
    PatientCase,
    Result,
    Source,
    Xref,
)

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ENTITY_EXTRAS = {
    "components",
    "encodes",
    "arms",
    "interventions",
    "trial",
    "phase",
    "design",
    "population",
    "publications",
}
MATCHES = {"exact", "close", "broad", "narrow", "related"}
OUTCOME_KINDS = {
    "response",
    "stable-disease",
    "progression",
    "symptom-control",
    "symptom-recurrence",
    "no-response",  # the treatment did not work: no tumour response, or symptoms not controlled
    "adverse-event",
    "discontinuation",
    "death",
    "other",
}


class Record:
    """One YAML mapping being read, so that every error can say where it is."""

    def __init__(self, data: Any, file: str, record: str, allowed: set[str]):
        if not isinstance(data, dict):
            raise CurationError(file, record, "-", "expected a mapping of fields")
        self.data, self.file, self.record = data, file, record
        unknown = set(data) - allowed
        if unknown:
            raise CurationError(
                file, record, sorted(unknown)[0], f"unknown field (allowed: {', '.join(sorted(allowed))})"
            )

    def error(self, field: str, message: str) -> CurationError:
        return CurationError(self.file, self.record, field, message)

    def get(self, field: str, kind: type | tuple[type, ...], required: bool = False) -> Any:
        value = self.data.get(field)
        if value is None:
            if required:
                raise self.error(field, "missing")
            return None
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.error(field, f"expected {_kind_name(kind)}, got {value!r}")
        if not isinstance(value, kind):
            raise self.error(field, f"expected {_kind_name(kind)}, got {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self.error(field, "empty")
        return value

    def text(self, field: str, required: bool = False) -> str | None:
        value = self.get(field, (str, int, float), required)
        return None if value is None else str(value)

    def need_text(self, field: str) -> str:
        """A required text field: missing or empty is an error naming the field."""
        value = self.text(field, True)
        assert value is not None  # text(required=True) raised otherwise
        return value

    def need_ident(self, field: str) -> str:
        value = self.ident(field, True)
        assert value is not None
        return value

    def number(self, field: str, required: bool = False) -> float | None:
        value = self.get(field, (int, float), required)
        return None if value is None else float(value)

    def ident(self, field: str, required: bool = False) -> str | None:
        value = self.get(field, str, required)
        if value is not None and not ID.match(value):
            raise self.error(field, f"{value!r} is not an id (lowercase letters, digits, hyphens)")
        return value

    def idents(self, field: str) -> list[str]:
        values = self.get(field, list) or []
        for value in values:
            if not isinstance(value, str) or not ID.match(value):
                raise self.error(field, f"{value!r} is not an id (lowercase letters, digits, hyphens)")
        return values


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(
        {"str": "text", "int": "integer", "float": "number", "list": "list", "dict": "mapping"}.get(
            k.__name__, k.__name__
        )
        for k in kinds
    )


def read_yaml(path: Path, root: Path) -> Any:
    name = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "-"
        raise CurationError(name, where, "-", f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError as exc:
        raise CurationError(name, "-", "-", f"not UTF-8 text: {exc.reason}") from None


def load_curation(root: Path) -> Curation:
    """Read every curated file under ``root`` (the graph_data directory)."""
    root = Path(root)
    if not root.is_dir():
        raise CurationError(str(root), "-", "-", "no such directory")
    sources = _load_list(root, root / "sources.yaml", _source)
    entities: dict[str, Entity] = {}
    for path in sorted((root / "entities").glob("*.yaml")):
        for entity in _load_list(root, path, _entity):
            if entity.id in entities:
                raise CurationError(entity.file, entity.id, "id", f"duplicate id, also in {entities[entity.id].file}")
            entities[entity.id] = entity
    claims: list[Claim] = []
    results: list[Result] = []
    cases: list[PatientCase] = []
    for path in sorted((root / "statements").glob("*.yaml")):
        c, r, p = _load_statements(root, path)
        claims += c
        results += r
        cases += p
    curated: list[CuratedStatement] = []
    for path in sorted((root / "curated").glob("*.yaml")):
        curated += _load_list(root, path, _curated)
    return Curation(
        sources={s.id: s for s in sources},
        entities=entities,
        claims=claims,
        results=results,
        cases=cases,
        curated=curated,
    )


def _name(root: Path, path: Path) -> str:
    return f"{root.name}/{path.relative_to(root)}"


def _load_list(root: Path, path: Path, make: Callable[[Any, str, str], Any]) -> list[Any]:
    name = _name(root, path)
    if not path.is_file():
        raise CurationError(name, "-", "-", "file missing")
    data = read_yaml(path, root) or []
    if not isinstance(data, list):
        raise CurationError(name, "-", "-", "expected a list of records")
    out = []
    for index, item in enumerate(data):
        record_name = item.get("id", f"record {index + 1}") if isinstance(item, dict) else f"record {index + 1}"
        out.append(make(item, name, str(record_name)))
    return out


def _source(data: Any, file: str, record: str) -> Source:
    r = Record(data, file, record, {"id", "file", "kind", "design", "label", "citation", "summary"})
    return Source(
        id=r.need_ident("id"),
        file=r.need_text("file"),
        kind=r.need_text("kind"),
        label=r.need_text("label"),
        citation=r.text("citation"),
        summary=r.need_text("summary"),
        design=r.ident("design"),
    )


def _entity(data: Any, file: str, record: str) -> Entity:
    fields = {"id", "type", "label", "synonyms", "definition", "broader", "xrefs"} | ENTITY_EXTRAS
    r = Record(data, file, record, fields)
    xrefs = []
    for item in r.get("xrefs", list) or []:
        x = Record(item, r.file, r.record, {"id", "match", "justification"})
        match = x.need_text("match")
        if match not in MATCHES:
            raise x.error("xrefs.match", f"{match!r} is not one of {', '.join(sorted(MATCHES))}")
        xrefs.append(Xref(curie=x.need_text("id"), match=match, justification=x.need_text("justification")))
    synonyms = r.get("synonyms", list) or []
    for s in synonyms:
        if not isinstance(s, (str, int, float)) or isinstance(s, bool):
            raise r.error("synonyms", f"{s!r} is not text")
    extra = {k: r.data[k] for k in ENTITY_EXTRAS if r.data.get(k) is not None}
    for key in ("components", "encodes", "arms", "interventions"):
        if key in extra:
            r.idents(key)
    if "trial" in extra:
        r.ident("trial")
    if "design" in extra:
        r.ident("design")
    if "phase" in extra:  # 3 or "3" or "1/2"
        extra["phase"] = r.text("phase")
    if "population" in extra:  # one tumour type or a list of them
        extra["population"] = (
            r.idents("population") if isinstance(extra["population"], list) else [r.ident("population")]
        )
    return Entity(
        id=r.need_ident("id"),
        type=r.need_text("type"),
        label=r.need_text("label"),
        file=r.file,
        synonyms=[str(s) for s in synonyms],
        definition=r.text("definition"),
        broader=r.idents("broader"),
        xrefs=xrefs,
        extra=extra,
    )


def _load_statements(root: Path, path: Path) -> tuple[list[Claim], list[Result], list[PatientCase]]:
    name = _name(root, path)
    data = read_yaml(path, root)
    top = Record(data, name, "-", {"source", "claims", "results", "patient_cases"})
    source = top.need_ident("source")
    assert source is not None
    claims = [
        _claim(Record(c, name, _rid(c, i, "claim"), _CLAIM_FIELDS), source)
        for i, c in enumerate(top.get("claims", list) or [])
    ]
    results = [
        _result(Record(c, name, _rid(c, i, "result"), _RESULT_FIELDS), source)
        for i, c in enumerate(top.get("results", list) or [])
    ]
    cases = [
        _case(Record(c, name, _rid(c, i, "patient case"), _CASE_FIELDS), source)
        for i, c in enumerate(top.get("patient_cases", list) or [])
    ]
    return claims, results, cases


def _rid(data: Any, index: int, what: str) -> str:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return data["id"]
    return f"{what} {index + 1}"


_CLAIM_FIELDS = {
    "id",
    "subject",
    "predicate",
    "object",
    "value",
    "quote",
    "qualifiers",
    "cites",
    "conflict",
    "scope",
    "n",
    "corrected_by",
}
_QUALIFIERS = {"endpoint", "population", "mechanism", "negated", "hedged", "comparator", "results"}
_RESULT_FIELDS = {
    "id",
    "trial",
    "arm",
    "comparator",
    "endpoint",
    "event",
    "grade",
    "value",
    "unit",
    "ci_low",
    "ci_high",
    "ci_level",
    "p_value",
    "n",
    "population",
    "quote",
    "note",
    "conflict",
    "intervention",
    "value_low",
    "value_high",
    "timepoint",
    "marker",
    "partition",
    "assessment",
    "subgroup",
}
_CASE_FIELDS = {"id", "age", "sex", "diagnosis", "quote", "features", "episodes"}
_CURATED_FIELDS = {"id", "subject", "predicate", "object", "value", "note", "references", "supported_by", "corrects"}


def _claim(r: Record, source: str) -> Claim:
    qualifiers = r.get("qualifiers", dict) or {}
    unknown = set(qualifiers) - _QUALIFIERS
    if unknown:
        raise r.error(
            f"qualifiers.{sorted(unknown)[0]}", f"unknown qualifier (allowed: {', '.join(sorted(_QUALIFIERS))})"
        )
    if "results" in qualifiers:
        results = qualifiers["results"]
        results = results if isinstance(results, list) else [results]
        if not all(isinstance(x, str) and ID.match(x) for x in results):
            raise r.error("qualifiers.results", f"{qualifiers['results']!r} is not a list of result ids")
        qualifiers = {**qualifiers, "results": results}
    scope = r.text("scope")
    if scope is not None and scope not in SCOPES:
        raise r.error("scope", f"{scope!r} is not one of {', '.join(SCOPES)}")
    n = r.get("n", int)
    if n is not None and n < 1:
        raise r.error("n", f"{n} is not a number of patients")
    claim = Claim(
        id=r.need_ident("id"),
        source=source,
        subject=r.need_ident("subject"),
        predicate=r.need_text("predicate"),
        quote=r.need_text("quote"),
        file=r.file,
        object=r.ident("object"),
        value=r.text("value"),
        qualifiers=qualifiers,
        cites=r.ident("cites"),
        conflict=r.text("conflict"),
        scope=scope,
        n=n,
        corrected_by=r.idents("corrected_by"),
    )
    if (claim.object is None) == (claim.value is None):
        raise r.error("object", "give exactly one of object (an entity id) or value (a literal)")
    return claim


def _result(r: Record, source: str) -> Result:
    low, high = r.number("value_low"), r.number("value_high")
    value = r.get("value", (int, float, str))
    if value is None and (low is None or high is None) and r.data.get("p_value") is None:
        raise r.error("value", "missing: give a value, a range (value_low and value_high) or a p_value")
    events = _one_or_more(r, "event") if isinstance(r.data.get("event"), list) else []
    return Result(
        id=r.need_ident("id"),
        source=source,
        endpoint=r.need_ident("endpoint"),
        value=value if isinstance(value, str) or value is None else float(value),
        unit=r.text("unit", value is not None or low is not None),
        quote=r.need_text("quote"),
        file=r.file,
        trial=r.ident("trial"),
        arm=r.ident("arm"),
        comparator=r.ident("comparator"),
        event=None if events else r.ident("event"),
        grade=r.text("grade"),
        ci_low=r.number("ci_low"),
        ci_high=r.number("ci_high"),
        ci_level=r.number("ci_level"),
        p_value=r.text("p_value"),
        n=r.get("n", int),
        population=r.ident("population"),
        note=r.text("note"),
        conflict=r.text("conflict"),
        interventions=_one_or_more(r, "intervention"),
        value_low=low,
        value_high=high,
        timepoint=r.text("timepoint"),
        marker=r.ident("marker"),
        events=events,
        partition=r.ident("partition"),
        assessment=r.text("assessment"),
        subgroup=r.text("subgroup"),
    )


def _curated(data: Any, file: str, record: str) -> CuratedStatement:
    r = Record(data, file, record, _CURATED_FIELDS)
    statement = CuratedStatement(
        id=r.need_ident("id"),
        subject=r.need_ident("subject"),
        predicate=r.need_text("predicate"),
        file=r.file,
        note=r.need_text("note"),
        object=r.ident("object"),
        value=r.text("value"),
        references=[str(x) for x in r.get("references", list) or []],
        supported_by=r.idents("supported_by"),
        corrects=r.idents("corrects"),
    )
    if (statement.object is None) == (statement.value is None):
        raise r.error("object", "give exactly one of object (an entity id) or value (a literal)")
    if not statement.references and not statement.supported_by:
        raise r.error("references", "missing: a curated statement names what it rests on (references or supported_by)")
    return statement


def _one_or_more(r: Record, field: str) -> list[str]:
    """A field that holds one id or a list of ids, as a list."""
    if isinstance(r.data.get(field), list):
        return r.idents(field)
    one = r.ident(field)
    return [one] if one else []


def _case(r: Record, source: str) -> PatientCase:
    features = []
    for i, item in enumerate(r.get("features", list) or []):
        f = Record(
            item,
            r.file,
            f"{r.record} feature {i + 1}",
            {"property", "value", "unit", "quote", "entity", "note", "uln", "when"},
        )
        features.append(
            Feature(
                property=f.need_text("property"),
                quote=f.need_text("quote"),
                value=f.data.get("value"),
                unit=f.text("unit"),
                entity=f.ident("entity"),
                note=f.text("note"),
                uln=f.text("uln"),
                when=f.text("when"),
            )
        )
    episodes = []
    for i, item in enumerate(r.get("episodes", list) or []):
        e = Record(
            item,
            r.file,
            f"{r.record} episode {i + 1}",
            {"order", "when", "interventions", "trial", "outcomes", "quote", "note", "dose"},
        )
        outcomes = []
        for item2 in e.get("outcomes", list) or []:
            o = Record(item2, r.file, f"{r.record} episode {i + 1} outcome", {"kind", "note", "event", "grade"})
            kind = o.need_text("kind")
            if kind not in OUTCOME_KINDS:
                raise o.error("kind", f"{kind!r} is not one of {', '.join(sorted(OUTCOME_KINDS))}")
            outcomes.append(Outcome(kind=kind, note=o.text("note"), event=o.ident("event"), grade=o.text("grade")))
        episodes.append(
            Episode(
                order=e.get("order", int, True),
                quote=e.need_text("quote"),
                when=e.text("when"),
                interventions=e.idents("interventions"),
                trial=e.ident("trial"),
                outcomes=outcomes,
                note=e.text("note"),
                dose=e.text("dose"),
            )
        )
    return PatientCase(
        id=r.need_ident("id"),
        source=source,
        quote=r.need_text("quote"),
        file=r.file,
        age=r.get("age", int),
        sex=r.text("sex"),
        diagnosis=r.ident("diagnosis"),
        features=features,
        episodes=episodes,
    )
