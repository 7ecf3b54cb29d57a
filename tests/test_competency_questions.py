"""The competency questions of ../shared/competency-questions.md, one test each.

Every query of ``queries/cqNN-*.rq`` runs on each backend of the ``store``
fixture (embedded store, Oxigraph server, Virtuoso) and must return the
expected answer as the curated graph holds it. Numbers are compared as floats
(a server may print 11.0 as "11"), labels case-insensitively.
"""

from __future__ import annotations

import math
import re

import pytest
from pnetkg.config import REPOSITORY

QUERIES = REPOSITORY / "queries"
STATEMENTS = REPOSITORY / "graph_data" / "statements"
ENTITY = "https://w3id.org/pnet-kg/entity/"
SOURCE = "https://w3id.org/pnet-kg/source/"
PNET = "https://w3id.org/pnet-kg/ontology#"
CQ_FILES = sorted(QUERIES.glob("cq[0-9][0-9]-*.rq"))


def _file(number: int):
    matches = [p for p in CQ_FILES if p.name.startswith(f"cq{number:02d}-")]
    assert len(matches) == 1, f"expected exactly one queries/cq{number:02d}-*.rq, found {matches}"
    return matches[0]


def run(store, number: int) -> list[dict]:
    rows = store.select(_file(number).read_text(encoding="utf-8"))
    assert rows, f"CQ{number:02d} returned no rows"
    return rows


def local(term, base: str = ENTITY) -> str | None:
    """The id of an entity (or source) IRI; None for anything else."""
    if term is None:
        return None
    s = str(term)
    return s[len(base) :] if s.startswith(base) else None


def text(term) -> str:
    return "" if term is None else str(term).strip().lower()


def num(term) -> float:
    return float(str(term).replace(",", "."))


def close(a, b: float) -> bool:
    return a is not None and math.isclose(num(a), b, rel_tol=0, abs_tol=1e-6)


def ids(rows, var: str, base: str = ENTITY) -> set[str]:
    return {i for r in rows if (i := local(r.get(var), base)) is not None}


def labels(rows, var: str) -> set[str]:
    return {text(r.get(var)) for r in rows if r.get(var) is not None}


def assert_evidence(rows, *, sources: bool = True) -> None:
    """Every row carries a non-empty quote and a source document."""
    for r in rows:
        assert text(r.get("quote")), f"row without quote: {r}"
        if sources:
            assert local(r.get("source"), SOURCE), f"row without source: {r}"


# ---------------------------------------------------------------- the files


def test_every_query_file_has_question_and_expected_comment():
    numbers = sorted(int(p.name[2:4]) for p in CQ_FILES)
    assert numbers == list(range(1, 21)), f"queries/cq01..cq20 expected, found {numbers}"
    for path in CQ_FILES:
        n = path.name[2:4]
        lines = path.read_text(encoding="utf-8").splitlines()
        assert re.match(rf"# CQ{n}: \S.*\?$", lines[0]), f"{path.name}: first line must be '# CQ{n}: <question>'"
        assert lines[1].startswith("# Expected: ") and len(lines[1]) > len("# Expected: "), (
            f"{path.name}: second line must be '# Expected: <answer>'"
        )
        body = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
        assert body and body[0].startswith("PREFIX"), f"{path.name}: PREFIX lines must follow the comments"
        assert sum(1 for ln in body if re.match(r"\s*SELECT\b", ln)) == 1, f"{path.name}: one SELECT query"


# --------------------------------------------------------- the 20 questions


def test_cq01_fda_approved_targeted_agents(store):
    rows = run(store, 1)
    assert {"everolimus", "sunitinib"} <= labels(rows, "drugLabel")
    assert {"everolimus", "sunitinib"} <= ids(rows, "drug")
    assert_evidence(rows)


def test_cq02_sunitinib_targets(store):
    rows = run(store, 2)
    assert {"vegfr2", "vegfr3", "pdgfr-alpha", "pdgfr-beta", "c-kit"} <= ids(rows, "target")
    assert {"vegfr-2", "vegfr-3", "pdgfr-α", "pdgfr-β", "c-kit"} <= labels(rows, "targetLabel")
    assert_evidence(rows)


def _pfs_rows(rows):
    median = {
        (local(r.get("arm")), local(r.get("source"), SOURCE)): r
        for r in rows
        if local(r.get("endpoint")) == "median-pfs"
    }
    hr = [r for r in rows if local(r.get("endpoint")) == "pfs-hazard-ratio"]
    return median, hr


def test_cq03_radiant3_pfs_per_arm_and_hazard_ratio(store):
    rows = run(store, 3)
    median, hr = _pfs_rows(rows)
    everolimus = [r for (arm, _), r in median.items() if arm == "radiant-3-everolimus"]
    placebo = [r for (arm, _), r in median.items() if arm == "radiant-3-placebo"]
    assert everolimus and all(close(r["value"], 11.0) for r in everolimus)
    assert placebo and all(close(r["value"], 4.6) for r in placebo)
    assert all(text(r.get("unit")) == "month" for r in everolimus + placebo)
    assert hr, "no PFS hazard ratio for RADIANT-3"
    for r in hr:
        assert close(r["value"], 0.35)
        assert close(r.get("ciLower"), 0.27) and close(r.get("ciUpper"), 0.45)
    assert any(text(r.get("pValue")).replace(" ", "") in {"<0.001", "<.001"} for r in hr)
    assert_evidence(rows)


def test_cq04_sunitinib_phase3_pfs_per_arm_and_hazard_ratio(store):
    rows = run(store, 4)
    median, hr = _pfs_rows(rows)
    assert any(arm == "sunitinib-phase-3-sunitinib" and close(r["value"], 11.4) for (arm, _), r in median.items())
    assert any(arm == "sunitinib-phase-3-placebo" and close(r["value"], 5.5) for (arm, _), r in median.items())
    assert any(close(r["value"], 0.42) and close(r.get("ciLower"), 0.26) and close(r.get("ciUpper"), 0.66) for r in hr)
    assert_evidence(rows)


def test_cq05_mtor_inhibitors(store):
    rows = run(store, 5)
    assert {"everolimus", "temsirolimus", "sirolimus", "bez235"} <= ids(rows, "drug")
    assert {"everolimus", "temsirolimus", "sirolimus"} <= labels(rows, "drugLabel")
    dual = {local(r["drug"]) for r in rows if r.get("alsoInhibitsPI3K") is not None}
    assert "bez235" in dual, "BEZ235 must come back as a dual PI3K/mTOR inhibitor"
    assert not dual & {"everolimus", "temsirolimus", "sirolimus"}
    assert_evidence(rows)


def test_cq06_insulinoma_hormones(store):
    rows = run(store, 6)
    assert {"insulin", "proinsulin", "c-peptide"} <= ids(rows, "hormone")
    assert {"insulin", "proinsulin", "c-peptide"} <= labels(rows, "hormoneLabel")
    secreted = {local(r["hormone"]) for r in rows if str(r.get("relation")) == PNET + "secretes"}
    assert "insulin" in secreted
    assert_evidence(rows)


def test_cq07_functional_pnets_and_their_hormones(store):
    rows = run(store, 7)
    pairs = {(local(r["tumour"]), local(r.get("hormone"))) for r in rows}
    for pair in [
        ("insulinoma", "insulin"),
        ("gastrinoma", "gastrin"),
        ("glucagonoma", "glucagon"),
        ("vipoma", "vip"),
    ]:
        assert pair in pairs, f"missing {pair}"
    # somatostatinoma is a functional pNET in the graph; its hormone (somatostatin)
    # is not yet curated as a `secretes` claim (reported to the lead as a data gap).
    assert "somatostatinoma" in ids(rows, "tumour")
    assert {"vasoactive intestinal peptide", "insulin", "gastrin", "glucagon"} <= labels(rows, "hormoneLabel")
    assert_evidence([r for r in rows if r.get("hormone") is not None])


def test_cq08_therapies_for_hypoglycaemia_with_source_and_effect(store):
    rows = run(store, 8)
    effective = {(local(r["therapy"]), local(r["source"], SOURCE)) for r in rows if text(r["effect"]) == "effective"}
    for therapy in ["octreotide", "diazoxide", "dexamethasone", "tae", "sirt", "glucagon", "everolimus"]:
        assert any(t == therapy for t, _ in effective), f"{therapy} missing as an effective therapy"
    assert any(t in {"dextrose-infusion", "dextrose"} for t, _ in effective)
    assert ("tae", "s001") in effective and ("sirt", "s002") in effective and ("diazoxide", "s000") in effective
    ineffective = {local(r["therapy"]) for r in rows if text(r["effect"]) == "not effective"}
    assert "diazoxide" in ineffective, "the source 001 statement that diazoxide failed must come back"
    assert {"effective", "not effective"} <= labels(rows, "effect")
    assert_evidence(rows)


def test_cq09_genes_altered_in_sporadic_pnet(store):
    rows = run(store, 9)
    assert {"gene-men1", "gene-daxx", "gene-atrx", "gene-pten", "gene-tsc2", "gene-pik3ca"} <= ids(rows, "gene")
    assert {"men1 gene", "daxx gene", "atrx gene", "pten gene", "tsc2 gene", "pik3ca gene"} <= labels(rows, "geneLabel")
    assert_evidence(rows)


def test_cq10_hereditary_syndromes(store):
    rows = run(store, 10)
    assert {"men1", "tuberous-sclerosis", "nf1", "vhl"} <= ids(rows, "syndrome")
    got = labels(rows, "syndromeLabel")
    assert {"multiple endocrine neoplasia type 1", "neurofibromatosis type 1", "von hippel-lindau disease"} <= got
    assert any(label.startswith("tuberous sclerosis") for label in got)
    assert_evidence(rows)


def test_cq11_case_trials_with_registry_ids(store):
    rows = run(store, 11)
    by_nct: dict[str, set[str]] = {}
    for r in rows:
        nct = str(r.get("registryId", "")).split(":")[-1]
        by_nct.setdefault(nct, set()).add(local(r.get("drug")))
    assert set(by_nct) == {"NCT00610129", "NCT01010126", "NCT01169649"}
    assert "mk-0646" in by_nct["NCT00610129"]
    assert {"bevacizumab", "temsirolimus"} <= by_nct["NCT01010126"]
    assert "mk-2206" in by_nct["NCT01169649"]
    for r in rows:
        assert str(r["registryLink"]).startswith("http") and str(r["registryLink"]).endswith(
            str(r["registryId"]).split(":")[-1]
        )
    assert_evidence(rows)


def test_cq12_liver_directed_therapies(store):
    rows = run(store, 12)
    assert {"tae", "tace", "sirt", "tumour-ablation", "liver-resection"} <= ids(rows, "therapy")
    got = labels(rows, "therapyLabel")
    assert {
        "transarterial embolization",
        "transarterial chemoembolization",
        "selective internal radiation therapy",
    } <= got
    assert_evidence([r for r in rows if r.get("quote") is not None])
    assert {"tae", "tace", "sirt", "tumour-ablation", "liver-resection"} <= {
        local(r["therapy"]) for r in rows if r.get("quote") is not None
    }


def test_cq13_radiant3_everolimus_adverse_events(store):
    rows = run(store, 13)
    any_grade = {local(r["event"]): num(r["value"]) for r in rows if r.get("grade") is None}
    severe = {local(r["event"]): num(r["value"]) for r in rows if text(r.get("grade")) == "3-4"}
    assert any_grade.get("stomatitis") == 64 and any_grade.get("rash") == 49 and any_grade.get("diarrhoea") == 34
    assert severe.get("stomatitis") == 7 and severe.get("anaemia") == 6 and severe.get("hyperglycaemia") == 5
    assert all(text(r.get("unit")) == "percent" for r in rows)
    assert {"stomatitis", "rash", "diarrhea", "anemia", "hyperglycemia"} <= labels(rows, "eventLabel")
    assert_evidence(rows)


def test_cq14_pi3k_akt_mtor_pathway_drug_targets(store):
    rows = run(store, 14)
    pairs = {(local(r["member"]), local(r["drug"])) for r in rows}
    for pair in [
        ("mtor", "everolimus"),
        ("mtor", "temsirolimus"),
        ("mtor", "sirolimus"),
        ("akt", "mk-2206"),
        ("igf-1r", "mk-0646"),
        ("pi3k", "bez235"),
        ("mtor", "bez235"),
    ]:
        assert pair in pairs, f"missing {pair}"
    assert {"mtor", "akt", "igf-1r", "pi3k"} <= labels(rows, "memberLabel")
    assert_evidence(rows)


def test_cq15_sources_for_everolimus_prolonging_pfs(store):
    rows = run(store, 15)
    assert {"s000", "s003", "s004"} <= ids(rows, "source", SOURCE)
    speaks_of_pfs = {
        local(r["source"], SOURCE) for r in rows if "pfs" in text(r["quote"]) or "progression" in text(r["quote"])
    }
    assert {"s000", "s003", "s004"} <= speaks_of_pfs
    assert all(text(r.get("sourceLabel")) for r in rows)
    assert_evidence(rows)


def test_cq16_external_identifiers_of_a_drug(store):
    rows = run(store, 16)
    assert {local(r["entity"]) for r in rows} == {"everolimus"}
    got = {str(r["identifier"]) for r in rows}
    assert {"CHEBI:68478", "DRUGBANK:DB01590", "MESH:D000068338"} <= got
    # NCIT for everolimus is 'unconf.' in ../shared/vocab/IDENTIFIERS.md and so not entered (reported to the lead).
    for r in rows:
        assert str(r["link"]).startswith("http"), f"identifier {r['identifier']} is not resolvable"
        assert str(r["identifier"]).split(":", 1)[1].split(":")[-1] in str(r["link"]).replace("_", ":")


def test_cq17_temozolomide_based_therapy(store):
    rows = run(store, 17)
    by_endpoint = {local(r["endpoint"]): r for r in rows}
    orr, pfs = by_endpoint.get("objective-response-rate"), by_endpoint.get("median-pfs")
    assert orr is not None and close(orr["value"], 70) and text(orr.get("unit")) == "percent"
    assert close(orr.get("patients"), 30) and "21 of 30" in text(orr["quote"])
    assert pfs is not None and close(pfs["value"], 18) and text(pfs.get("unit")) == "month"
    assert "single-institution" in text(orr.get("studyLabel"))
    assert_evidence(rows)


def test_cq18_case_regimens_in_chronological_order(store):
    rows = run(store, 18)
    first: dict[str, int] = {}
    for r in rows:
        i, order = local(r["intervention"]), int(num(r["order"]))
        first[i] = min(order, first.get(i, order))
    orders = [int(num(r["order"])) for r in rows]
    assert orders == sorted(orders), "episodes must come back in chronological order"
    capecitabine_temozolomide = max(first["capecitabine"], first["temozolomide"])
    assert capecitabine_temozolomide < first["gemox"] < first["platinum-etoposide"]
    # the intervening trials and embolizations lie between
    assert capecitabine_temozolomide < first["tae"] < first["gemox"]
    trials = {local(r.get("trial")): int(num(r["order"])) for r in rows if r.get("trial") is not None}
    assert {"mk-0646-phase-2", "bevacizumab-temsirolimus-phase-2", "mk-2206-phase-2"} <= set(trials)
    assert all(capecitabine_temozolomide < o < first["gemox"] for o in trials.values())
    when = {local(r["intervention"]): text(r.get("when")) for r in rows}
    assert "2004" in when["capecitabine"] and "2013" in when["platinum-etoposide"]
    assert {"gemox", "platinum/etoposide", "capecitabine", "temozolomide"} <= labels(rows, "interventionLabel")
    assert_evidence(rows)


def test_cq19_conflicting_statements(store):
    rows = run(store, 19)
    found = {(local(r.get("subject")), str(r.get("predicate", "")), local(r.get("object"))) for r in rows}
    assert ("sunitinib", PNET + "memberOfClass", "monoclonal-antibody-class") in found
    assert ("diazoxide", PNET + "inhibits", "k-atp-channel") in found
    for r in rows:
        assert text(r.get("conflictNote")), f"conflict without a note: {r}"
    assert len(ids(rows, "source", SOURCE)) >= 2, "conflicts should come from more than one source"
    assert_evidence(rows)


def test_cq20_statements_from_a_source(store):
    import yaml

    rows = run(store, 20)
    assert ids(rows, "source", SOURCE) == {"s001"}
    curated = yaml.safe_load((STATEMENTS / "s001.yaml").read_text(encoding="utf-8"))
    claim_ids = {c["id"] for c in curated.get("claims") or []}
    result_ids = {r["id"] for r in curated.get("results") or []}
    assert claim_ids, "source s001 has no curated claims"
    got = {str(r["record"]).rstrip("/").rsplit("/", 1)[-1] for r in rows}
    assert claim_ids <= got, f"claims of s001 missing from the answer: {sorted(claim_ids - got)[:10]}"
    assert result_ids <= got, f"results of s001 missing from the answer: {sorted(result_ids - got)[:10]}"
    claims = [r for r in rows if str(r.get("kind")) == PNET + "Claim"]
    assert all(r.get("subject") is not None and r.get("predicate") is not None for r in claims)
    assert_evidence(rows)


@pytest.mark.parametrize("path", CQ_FILES, ids=lambda p: p.stem)
def test_query_files_parse_as_sparql(path):
    from rdflib.plugins.sparql import prepareQuery

    prepareQuery(path.read_text(encoding="utf-8"))
