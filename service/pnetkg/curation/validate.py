"""Check a Curation as a whole: references, vocabulary, quotes and numbers."""

from __future__ import annotations

import re
from typing import Iterator

from .model import Curation, CurationError, Result
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
        if text is None:
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
