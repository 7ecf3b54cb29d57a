"""Evidence levels: every claim has one, derived from study designs by the documented rule."""

from __future__ import annotations

import pytest
from pnetkg.compile.checks import CheckError
from pnetkg.compile.evidence import grade, groups
from pnetkg.compile.pipeline import Layout, build
from pnetkg.config import REPOSITORY
from pnetkg.curation.load import load_curation
from pnetkg.curation.model import Claim, CurationError
from pnetkg.curation.vocabulary import Vocabulary
from pnetkg.terms.evidence import LEVEL

from .conftest import edit

PREFIXES = """
PREFIX pnet: <https://w3id.org/pnet-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
QUERIES = REPOSITORY / "queries"


@pytest.fixture(scope="module")
def curation():
    return load_curation(REPOSITORY / "graph_data")


def claim(source: str, predicate: str = "treats", cites: str | None = None) -> Claim:
    return Claim(
        id="x-c001",
        source=source,
        subject="everolimus",
        predicate=predicate,
        quote="a quote",
        file="test",
        object="pnet",
        cites=cites,
        scope="review",
    )


# ------------------------------------------------------------------ the rule
def test_randomised_phase_3_trial_gives_level_2(curation):
    assert curation.entities["radiant-3"].extra["design"] == "randomised-controlled-trial"
    assert str(curation.entities["radiant-3"].extra["phase"]) == "3"
    found = grade(claim("s003", "improves_outcome_in", cites="radiant-3"), curation)
    assert (found.level, found.design, found.basis) == (2, "randomised-controlled-trial", "radiant-3")


def test_single_arm_phase_2_study_gives_level_4(curation):
    assert curation.entities["mk-0646-phase-2"].extra["design"] == "single-arm-trial"
    found = grade(claim("s000", cites="mk-0646-phase-2"), curation)
    assert (found.level, found.design) == (4, "single-arm-trial")


def test_case_report_claim_gives_case_report_level(curation):
    assert curation.sources["s001"].design == "case-report"
    found = grade(claim("s001", "controls_symptom"), curation)
    assert (found.level, found.design, found.basis, found.secondary_source) == (4, "case-report", "s001", None)


def test_review_claim_citing_a_trial_takes_the_trials_level_and_records_the_review(curation):
    cited = next(c for c in curation.claims if c.source == "s004" and c.cites == "radiant-3")
    found = grade(cited, curation)
    assert (found.level, found.basis, found.secondary_source) == (2, "radiant-3", "s004")


def test_review_claim_without_citation_is_expert_opinion_level_5(curation):
    found = grade(claim("s003", "treats"), curation)
    assert (found.level, found.design) == (5, "narrative-review")


def test_mechanistic_claim_is_level_5_even_in_a_case_report(curation):
    found = grade(claim("s000", "inhibits"), curation)
    assert (found.level, found.design) == (5, "mechanistic-reasoning")


def test_every_design_of_the_ontology_has_a_level():
    vocabulary = Vocabulary.from_ontology(REPOSITORY / "ontology" / "pnet.ttl")
    assert vocabulary.designs == set(LEVEL)


def test_groups_count_sources_and_separate_conflicting_claims(curation):
    by_key = {g.key: g for g in groups(curation)}
    group = by_key[("everolimus", "improves_outcome_in", "pnet")]
    assert group.strongest == 2
    assert group.sources >= 2
    assert all(c.conflict or c.qualifiers.get("negated") for c in group.conflicting)


# ------------------------------------------------------------ the built graph
def test_every_claim_has_exactly_one_level_and_design(embedded, curation):
    rows = embedded.select(
        PREFIXES
        + """SELECT ?claim (COUNT(DISTINCT ?level) AS ?levels) (COUNT(DISTINCT ?design) AS ?designs) WHERE {
          ?claim a pnet:Claim .
          OPTIONAL { ?claim pnet:evidenceLevel ?level } OPTIONAL { ?claim pnet:studyDesign ?design }
        } GROUP BY ?claim"""
    )
    assert len(rows) == len(curation.claims)
    bad = [str(r["claim"]) for r in rows if int(r["levels"]) != 1 or int(r["designs"]) != 1]
    assert bad == []


def test_every_source_and_study_has_a_design(embedded):
    rows = embedded.select(
        PREFIXES
        + """SELECT ?x WHERE {
          VALUES ?class { pnet:SourceDocument pnet:ClinicalTrial } ?x a ?class .
          FILTER NOT EXISTS { ?x pnet:studyDesign/a pnet:StudyDesign }
        }"""
    )
    assert rows == []


def test_review_claim_citing_radiant_3_is_level_2_with_the_review_as_secondary_source(embedded):
    rows = embedded.select(
        PREFIXES
        + """SELECT ?level ?secondary ?from WHERE {
          ?claim pnet:citesStudy <https://w3id.org/pnet-kg/entity/radiant-3> ; pnet:fromSource ?source ;
                 pnet:evidenceLevel ?level ; pnet:secondarySource ?secondary ; pnet:evidenceFrom ?from .
        } LIMIT 1"""
    )
    assert int(rows[0]["level"]) == 2
    assert str(rows[0]["from"]).endswith("/entity/radiant-3")
    assert "/source/s00" in str(rows[0]["secondary"])


# ------------------------------------------------------------------- queries
def run(store, name: str) -> list[dict]:
    text = (QUERIES / name).read_text(encoding="utf-8")
    assert text.startswith("# Question: ")
    return store.select(text)


def test_strongest_evidence_per_drug_puts_everolimus_and_sunitinib_at_level_2(embedded):
    rows = run(embedded, "evidence-strongest-per-drug.rq")
    best = {str(r["label"]): int(r["strongest"]) for r in rows}
    assert best["everolimus"] == 2 and best["sunitinib"] == 2
    assert "randomised controlled trial" in next(str(r["designs"]) for r in rows if str(r["label"]) == "everolimus")
    assert all(1 <= level <= 5 for level in best.values())


def test_case_report_only_claims_include_sirt_for_hormonal_syndrome(embedded):
    rows = run(embedded, "evidence-case-report-only-claims.rq")
    assert rows
    assert any(
        str(r["subjectLabel"]) == "selective internal radiation therapy"
        and str(r["predicateLabel"]) == "controls symptom"
        for r in rows
    )
    assert not any(str(r["subjectLabel"]) == "everolimus" and str(r["objectLabel"]).startswith("pancreatic neuro")
                   for r in rows)  # fmt: skip


def test_disagreeing_sources_are_found(embedded):
    rows = run(embedded, "evidence-disagreeing-sources.rq")
    assert rows
    assert all(1 <= int(r["conflictingLevel"]) <= 5 for r in rows)


# ------------------------------------------------------- a broken copy fails
@pytest.mark.slow
def test_removing_a_trials_design_fails_the_shacl_check(repo):
    edit(repo / "graph_data" / "entities" / "trials.yaml", "  design: randomised-controlled-trial\n", "")
    with pytest.raises(CheckError) as err:
        build(Layout.of_repository(repo))
    assert "radiant-2" in str(err.value)
    assert "exactly one study design" in str(err.value)


@pytest.mark.slow
def test_removing_a_sources_design_fails_the_shacl_check(repo):
    edit(repo / "graph_data" / "sources.yaml", "  design: case-report\n", "")
    with pytest.raises(CheckError, match="exactly one"):
        build(Layout.of_repository(repo))


def test_unknown_design_fails_with_file_record_and_field(repo):
    edit(repo / "graph_data" / "entities" / "trials.yaml", "design: single-arm-trial", "design: single-arm")
    with pytest.raises(CurationError) as err:
        build(Layout.of_repository(repo))
    assert (err.value.record, err.value.field) == ("radiant-1", "design")
    assert "use single-arm-trial" in str(err.value)


def test_trial_design_without_phase_fails(repo):
    edit(repo / "graph_data" / "entities" / "trials.yaml", "  phase: 2\n", "")
    with pytest.raises(CurationError, match=r"radiant-1: phase: missing"):
        build(Layout.of_repository(repo))


# ------------------------------------------------------- pages, over real HTTP
def test_claims_list_filters_and_sorts_by_level(server):
    import re

    import requests

    only = requests.get(server + "/claims", params={"level": "2", "sort": "subject"})
    assert only.status_code == 200
    badges = re.findall(r'<td><span class="evidence-level evidence-level-(\d)"', only.text)  # table, not legend
    rows = only.text.count("<tr>") - 1
    assert rows > 0 and set(badges) == {"2"}
    everything = requests.get(server + "/claims", params={"sort": "level"})
    levels = [int(n) for n in re.findall(r'<td><span class="evidence-level evidence-level-(\d)"', everything.text)]
    assert len(levels) > rows and levels == sorted(levels)
    assert requests.get(server + "/claims", params={"level": "9"}).status_code == 400
    assert requests.get(server + "/claims", params={"sort": "nonsense"}).status_code == 400


def test_entity_page_shows_levels_with_a_legend_and_a_forest_plot_by_design(server):
    import requests

    page = requests.get(server + "/entity/everolimus", headers={"Accept": "text/html"}).text
    assert 'class="evidence-legend"' in page
    assert "evidence-level-2" in page and "evidence-level-5" in page
    forest = page[page.index('<svg class="forest"') : page.index("</svg>", page.index('<svg class="forest"'))]
    designs = [d for d in ("L2 randomised controlled trial", "L4 single-arm trial") if d in forest]
    assert designs and designs[0] == "L2 randomised controlled trial"
    assert "ordered by the evidence level" in forest
