"""Check a Curation as a whole: references, vocabulary, quotes and numbers."""

from __future__ import annotations

import re
from typing import Iterator

from ..terms.prefixes import check_curie
from .model import (
    COMPARATIVE_PREDICATES,
    EFFECT_PREDICATES,
    SCOPES,
    Claim,
    Curation,
    CurationError,
    Result,
)
from .quotes import SourceTexts, quote_in_text
from .vocabulary import Vocabulary


def validate(curation: Curation, vocabulary: Vocabulary, texts: SourceTexts | None = None) -> None:
    """Raise the first CurationError found; quotes are checked only when texts are given."""
    for error in find_errors(curation, vocabulary, texts):
        raise error


def find_errors(
    curation: Curation, vocabulary: Vocabulary, texts: SourceTexts | None = None
) -> Iterator[CurationError]:
    yield from _check_entities(curation, vocabulary)
    yield from _check_statements(curation, vocabulary)
    yield from _check_designs(curation, vocabulary)
    yield from _check_scopes(curation)
    yield from _check_conflicts(curation)
    yield from _check_partitions(curation)
    yield from _check_curated(curation, vocabulary)
    if texts is not None:
        yield from _check_quotes(curation, texts)


def _check_entities(c: Curation, v: Vocabulary) -> Iterator[CurationError]:
    for e in c.entities.values():
        if e.type not in v.entity_types:
            yield CurationError(e.file, e.id, "type", f"unknown entity type {e.type!r}")
        refs = [("broader", r) for r in e.broader]
        for key in ("components", "encodes", "arms", "interventions", "population"):
            refs += [(key, r) for r in e.extra.get(key, [])]
        if "trial" in e.extra:
            refs.append(("trial", e.extra["trial"]))
        for field, ref in refs:
            if ref not in c.entities:
                yield CurationError(e.file, e.id, field, f"unknown entity {ref!r}")


def _check_statements(c: Curation, v: Vocabulary) -> Iterator[CurationError]:
    seen: dict[str, str] = {}

    def unique(file: str, rid: str) -> Iterator[CurationError]:
        if rid in seen or rid in c.entities:
            yield CurationError(file, rid, "id", f"duplicate id, also in {seen.get(rid, 'entities')}")
        seen[rid] = file

    def ref(file: str, rid: str, field: str, value: str | None) -> Iterator[CurationError]:
        if value is not None and value not in c.entities:
            yield CurationError(file, rid, field, f"unknown entity {value!r}")

    for cl in c.claims:
        yield from unique(cl.file, cl.id)
        if cl.source not in c.sources:
            yield CurationError(cl.file, cl.id, "source", f"unknown source {cl.source!r}")
        if cl.predicate not in v.predicates:
            yield CurationError(cl.file, cl.id, "predicate", f"unknown property {cl.predicate!r}")
        elif (cl.predicate == "has_characteristic") != (cl.value is not None):
            yield CurationError(
                cl.file, cl.id, "predicate", "has_characteristic takes a value; every other predicate an object"
            )
        yield from ref(cl.file, cl.id, "subject", cl.subject)
        yield from ref(cl.file, cl.id, "object", cl.object)
        yield from ref(cl.file, cl.id, "cites", cl.cites)
        for key in ("endpoint", "population"):
            yield from ref(cl.file, cl.id, f"qualifiers.{key}", cl.qualifiers.get(key))
    for r in c.results:
        yield from unique(r.file, r.id)
        for key in ("trial", "arm", "comparator", "endpoint", "event", "population", "marker"):
            yield from ref(r.file, r.id, key, getattr(r, key))
        for event in r.events:
            yield from ref(r.file, r.id, "event", event)
        for i in r.interventions:
            yield from ref(r.file, r.id, "intervention", i)
        yield from _check_numbers(r)
    for case in c.cases:
        yield from unique(case.file, case.id)
        yield from ref(case.file, case.id, "diagnosis", case.diagnosis)
        for f in case.features:
            yield from ref(case.file, case.id, f"features.{f.property}.entity", f.entity)
        for ep in case.episodes:
            where = f"episodes.{ep.order}"
            for i in ep.interventions:
                yield from ref(case.file, case.id, f"{where}.interventions", i)
            yield from ref(case.file, case.id, f"{where}.trial", ep.trial)
            for o in ep.outcomes:
                yield from ref(case.file, case.id, f"{where}.outcomes.event", o.event)


TRIAL_DESIGNS = {"randomised-controlled-trial", "non-randomised-controlled-trial", "single-arm-trial"}
PHASE = re.compile(r"^[0-4](/[1-4])?$")
# the design names used before study designs were ontology terms, and what replaced them
OLD_DESIGNS = {
    "randomised": "randomised-controlled-trial",
    "single-arm": "single-arm-trial",
    "non-randomised": "non-randomised-controlled-trial (with a control group) or case-series (without)",
    "retrospective": "retrospective-cohort (with a control group) or case-series (without)",
}


def _check_designs(c: Curation, v: Vocabulary) -> Iterator[CurationError]:
    """Designs are study-design notations of the ontology; a trial design carries its phase."""

    def known(file: str, rid: str, design: str) -> Iterator[CurationError]:
        if design in v.designs or not v.designs:
            return
        hint = f"use {OLD_DESIGNS[design]}" if design in OLD_DESIGNS else f"one of {', '.join(sorted(v.designs))}"
        yield CurationError(file, rid, "design", f"unknown study design {design!r}: {hint}")

    for s in c.sources.values():
        if s.design:
            yield from known(s.file, s.id, s.design)
    for e in c.entities.values():
        design, phase = e.extra.get("design"), e.extra.get("phase")
        if design is None:
            continue
        if e.type != "ClinicalTrial":
            yield CurationError(e.file, e.id, "design", f"only a ClinicalTrial (trial or series) has one, not {e.type}")
        yield from known(e.file, e.id, design)
        if design in TRIAL_DESIGNS and phase is None:
            yield CurationError(e.file, e.id, "phase", f"missing: a {design} gives its phase (1, 2, 3, 4 or 1/2, 2/3)")
        if phase is not None and not PHASE.match(str(phase)):
            yield CurationError(e.file, e.id, "phase", f"{phase!r} is not a phase (1, 2, 3, 4 or 1/2, 2/3)")


# designs that have no control group: a claim resting on one cannot say an intervention improves an outcome
UNCONTROLLED_DESIGNS = {"single-arm-trial", "case-series", "case-report"}
UNCONTROLLED_SCOPES = {"patient", "case-series", "single-arm-trial", "preclinical-cell-line", "preclinical-animal"}


def _cited_design(c: Curation, claim: Claim) -> str | None:
    study = c.entities.get(claim.cites) if claim.cites else None
    return study.extra.get("design") if study else None


def _rests_on_cases(c: Curation, claim: Claim) -> bool:
    """Whether the claim rests only on case reports or a case series (its source's design, or the cited study's)."""
    source = c.sources.get(claim.source)
    design = _cited_design(c, claim) or (source.design if source else None)
    return design in ("case-report", "case-series")


def _check_scopes(c: Curation) -> Iterator[CurationError]:
    """A claim says what it rests on, and an effect says which effect, against what."""
    for cl in c.claims:
        err = lambda field, message, cl=cl: CurationError(cl.file, cl.id, field, message)  # noqa: E731
        if cl.scope is None:
            if cl.predicate in EFFECT_PREDICATES and _rests_on_cases(c, cl):
                yield err("scope", "missing: an effect resting on case reports or a case series says so (scope, n)")
            else:
                yield err("scope", f"missing: one of {', '.join(SCOPES)}")
            continue
        if cl.predicate in EFFECT_PREDICATES and not cl.qualifiers.get("endpoint"):
            yield err("qualifiers.endpoint", f"missing: {cl.predicate} names the endpoint it is about")
        if cl.predicate in COMPARATIVE_PREDICATES:
            design = _cited_design(c, cl)
            if cl.scope in UNCONTROLLED_SCOPES or design in UNCONTROLLED_DESIGNS:
                why = f"scope {cl.scope}" if cl.scope in UNCONTROLLED_SCOPES else f"{cl.cites} is a {design}"
                yield err(
                    "predicate",
                    f"{cl.predicate} needs a comparator, but {why}: use shows_activity_in for what was observed",
                )
            if cl.scope == "comparative-trial" and not cl.qualifiers.get("comparator"):
                yield err("qualifiers.comparator", "missing: an effect in a comparative trial names its comparator")
        if cl.scope == "comparative-trial" and not cl.cites:
            yield err("cites", "missing: a claim resting on a comparative trial cites the trial")
        if cl.scope == "patient" and cl.n not in (None, 1):
            yield err("n", f"scope patient is one patient, not {cl.n}")
        for key in ("comparator",):
            if cl.qualifiers.get(key) and cl.qualifiers[key] not in c.entities:
                yield err(f"qualifiers.{key}", f"unknown entity {cl.qualifiers[key]!r}")
        results = {r.id for r in c.results}
        for rid in cl.qualifiers.get("results", []):
            if rid not in results:
                yield err("qualifiers.results", f"unknown result {rid!r}")


def _check_conflicts(c: Curation) -> Iterator[CurationError]:
    """A claim flagged as conflicting points at the statements that say it right: it never stands alone."""
    claims = {cl.id: cl for cl in c.claims}
    curated = {s.id for s in c.curated}
    for cl in c.claims:
        for ref in cl.corrected_by:
            if ref not in claims and ref not in curated:
                yield CurationError(cl.file, cl.id, "corrected_by", f"unknown claim or curated statement {ref!r}")
            elif ref in claims and (claims[ref].conflict or ref == cl.id):
                yield CurationError(cl.file, cl.id, "corrected_by", f"{ref} is itself flagged as conflicting")
        if cl.corrected_by and not cl.conflict:
            yield CurationError(cl.file, cl.id, "corrected_by", "only a claim with a conflict is corrected")
        if cl.conflict and not cl.corrected_by:
            yield CurationError(
                cl.file,
                cl.id,
                "corrected_by",
                "missing: a conflicting claim names the corrected or surviving statements (a curated statement "
                "in graph_data/curated/, or the claims that keep the true part of its quote)",
            )


def _share(r: Result) -> float | None:
    """The share a result gives, as a number (the low end of a range as printed, '77–82')."""
    if isinstance(r.value, float):
        return r.value
    if r.value_low is not None:
        return r.value_low
    match = re.match(r"^\s*(\d+(?:\.\d+)?)", r.value or "")
    return float(match.group(1)) if match else None


def _check_partitions(c: Curation) -> Iterator[CurationError]:
    """Shares of one whole (same partition) add up to at most 100%, unless the source's error is flagged."""
    parts: dict[tuple[str, str], list[Result]] = {}
    for r in c.results:
        if r.partition:
            parts.setdefault((r.source, r.partition), []).append(r)
    for (_, name), members in parts.items():
        for r in members:
            if r.unit != "percent":
                yield CurationError(r.file, r.id, "partition", f"a share of {name} is a percent, not {r.unit}")
        total = sum(x for x in map(_share, members) if x is not None)
        if total > 100 and not all(r.conflict for r in members):
            ids = ", ".join(r.id for r in members)
            yield CurationError(
                members[0].file,
                members[0].id,
                "partition",
                f"the shares of {name} ({ids}) add up to {total:g}%: fix them, or flag the source's error (conflict)",
            )


def _check_curated(c: Curation, v: Vocabulary) -> Iterator[CurationError]:
    claims = {cl.id for cl in c.claims}
    seen = set(claims) | {r.id for r in c.results} | set(c.entities)
    for s in c.curated:
        err = lambda field, message, s=s: CurationError(s.file, s.id, field, message)  # noqa: E731
        if s.id in seen:
            yield err("id", "duplicate id")
        seen.add(s.id)
        if s.predicate not in v.predicates:
            yield err("predicate", f"unknown property {s.predicate!r}")
        for field, ref in (("subject", s.subject), ("object", s.object)):
            if ref is not None and ref not in c.entities:
                yield err(field, f"unknown entity {ref!r}")
        for field, refs in (("supported_by", s.supported_by), ("corrects", s.corrects)):
            for ref in refs:
                if ref not in claims:
                    yield err(field, f"unknown claim {ref!r}")
        for ref in s.references:
            problem = check_curie(ref)
            if problem:
                yield err("references", f"{ref}: {problem}")


def number_forms(x: float) -> set[str]:
    """The ways a number may be printed: 11.0 as 11.0 or 11; 0.35 as 0.35, .35 or 0·35."""
    forms = {repr(x)}
    if x == int(x):
        forms.add(str(int(x)))
    else:
        forms.add(f"{x:g}")
    forms |= {f.replace(".", sep) for f in forms for sep in "·,"} | {f[1:] for f in forms if f.startswith("0.")}
    return forms


def _check_numbers(r: Result) -> Iterator[CurationError]:
    quote = r.quote + " " + r.quote.replace(",", "")  # 1,000 as a thousands separator
    if isinstance(r.value, str):
        if r.value.replace(" ", "") not in quote.replace(" ", ""):
            yield CurationError(r.file, r.id, "value", f"{r.value!r} does not appear in the quote")
    for field in ("value", "ci_low", "ci_high", "value_low", "value_high"):
        x = getattr(r, field)
        if isinstance(x, float) and not any(form in quote for form in number_forms(abs(x))):
            yield CurationError(r.file, r.id, field, f"{x:g} does not appear in the quote")
    if r.n is not None and str(r.n) not in quote:
        yield CurationError(r.file, r.id, "n", f"{r.n} does not appear in the quote")


def _check_quotes(c: Curation, texts: SourceTexts) -> Iterator[CurationError]:
    def check(file: str, rid: str, source: str, field: str, quote: str) -> Iterator[CurationError]:
        src = c.sources.get(source)
        text = texts.text(src.file) if src else None
        if src is None or text is None:
            yield CurationError(file, rid, field, f"source text of {source} not found in {texts.directory}")
        elif not quote_in_text(quote, text):
            yield CurationError(file, rid, field, f"quote not found in {src.file}: {quote[:80]!r}")

    for cl in c.claims:
        yield from check(cl.file, cl.id, cl.source, "quote", cl.quote)
    for r in c.results:
        yield from check(r.file, r.id, r.source, "quote", r.quote)
    for case in c.cases:
        yield from check(case.file, case.id, case.source, "quote", case.quote)
        for f in case.features:
            yield from check(case.file, case.id, case.source, f"features.{f.property}.quote", f.quote)
        for ep in case.episodes:
            yield from check(case.file, case.id, case.source, f"episodes.{ep.order}.quote", ep.quote)
