"""Mappings to external vocabularies: checked at build time, published as SSSOM, resolvable over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from pnetkg.compile.pipeline import Layout, build
from pnetkg.config import REPOSITORY
from pnetkg.curation.load import load_curation
from pnetkg.curation.model import CurationError
from pnetkg.curation.xrefs import check_mappings, keys
from pnetkg.terms.dumps import MAPPINGS_REPORT, MAPPINGS_SSSOM

from .conftest import edit
from .servers import start_oxigraph

DATA = Path(__file__).parent / "data"


# ------------------------------------------------------------------ the check on the real data


@pytest.fixture(scope="module")
def report():
    return check_mappings(load_curation(REPOSITORY / "graph_data"), REPOSITORY / "vocab")


def test_every_curated_mapping_passes_the_checks(report):
    summary = report.summary()
    assert summary["mappings"] == sum(len(e.xrefs) for e in load_curation(REPOSITORY / "graph_data").entities.values())
    assert summary["verified"] > 0.95 * summary["mappings"]


def test_exact_matches_to_vocabularies_with_labels_agree_with_the_entity(report):
    labelled = [c for c in report.checked if c.xref.match == "exact" and c.entry and c.entry.names]
    assert labelled and all(c.status == "label" for c in labelled)


def test_identifiers_no_extract_lists_are_reported_unverified(report):
    unverified = {m["id"] for m in report.summary()["unverified_mappings"]}
    assert "CLINICALTRIALS:NCT00510068" in unverified
    assert "CHEBI:68478" not in unverified


@pytest.mark.parametrize(
    "ours, theirs",
    [
        ("PDGFR-α", "PDGFR-alpha"),
        ("pancreatic neuroendocrine tumour", "Pancreatic Neuroendocrine Tumor"),
        ("diarrhoea", "Diarrhea"),
        ("islet cell adenoma", "Adenoma, Islet Cell"),
        ("neuroendocrine tumor", "Neuroendocrine Tumors"),
    ],
)
def test_names_are_compared_without_case_spelling_greek_or_word_order(ours, theirs):
    assert keys(ours) & keys(theirs)


# ------------------------------------------------------------------ each kind of mistake fails the build


def fails(repo: Path) -> CurationError:
    with pytest.raises(CurationError) as err:
        build(Layout.of_repository(repo))
    assert err.value.field == "xrefs"
    return err.value


def test_wrong_identifier_fails_naming_what_the_vocabulary_says(repo):
    drugs = repo / "graph_data" / "entities" / "drugs.yaml"
    edit(drugs, "{id: 'CHEBI:68478'", "{id: 'CHEBI:9168'")  # sirolimus's ChEBI id given to everolimus
    err = fails(repo)
    assert err.file.endswith("entities/drugs.yaml") and err.record == "everolimus"
    assert 'CHEBI:9168 is "sirolimus" in ChEBI, expected a label or synonym of "everolimus"' in str(err)


def test_wrong_label_fails(repo):
    molecular = repo / "graph_data" / "entities" / "molecular.yaml"
    edit(molecular, "synonyms: [MTOR]\n", "synonyms: [RPTOR]\n")
    err = fails(repo)
    assert err.record == "gene-mtor"
    assert 'HGNC:3942 is "MTOR" in HGNC, expected a label or synonym of "MTOR gene"' in str(err)


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("'HGNC:3942'", "'HGNC:HGNC:3942'", "HGNC:HGNC:3942 is not a valid CURIE: 'HGNC:3942' does not match"),
        ("'CHEBI:68478'", "'CHEBI:abc'", "CHEBI:abc is not a valid CURIE: 'abc' does not match the ChEBI"),
        ("'CHEBI:68478'", "'CHEBL:68478'", "unknown prefix 'CHEBL'"),
    ],
)
def test_malformed_curie_fails(repo, old, new, message):
    for name in ("drugs.yaml", "molecular.yaml"):
        path = repo / "graph_data" / "entities" / name
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert message in str(fails(repo))


def test_a_drug_is_not_its_target_gene(repo):
    drugs = repo / "graph_data" / "entities" / "drugs.yaml"
    edit(
        drugs,
        "  - {id: 'DRUGBANK:DB01590'",
        "  - {id: 'HGNC:3942', match: exact, justification: wrong}\n  - {id: 'DRUGBANK:DB01590'",
    )
    assert "HGNC:3942 is a gene in HGNC, but everolimus is a SmallMoleculeDrug" in str(fails(repo))


def test_identifier_missing_from_a_complete_extract_fails(repo):
    edit(repo / "graph_data" / "entities" / "molecular.yaml", "'HGNC:3942'", "'HGNC:99999'")
    assert "HGNC:99999 is not in the HGNC extract" in str(fails(repo))


# ------------------------------------------------------------------ the build's mapping files


def test_build_writes_the_mapping_report(built):
    report = json.loads((built / MAPPINGS_REPORT).read_text())
    chebi = report["by_vocabulary"]["ChEBI"]["exact"]
    assert chebi["verified"] >= 30 and chebi["label_agrees"] >= 30
    assert report["by_vocabulary"]["ClinicalTrials.gov"]["exact"]["unverified"] == 8


def _parse_sssom(path: Path):
    from sssom.parsers import parse_sssom_table

    return parse_sssom_table(path)


def test_sssom_file_of_the_build_parses_with_the_sssom_library(built):
    msdf = _parse_sssom(built / MAPPINGS_SSSOM)
    report = json.loads((built / MAPPINGS_REPORT).read_text())
    assert len(msdf.df) == report["mappings"]
    assert msdf.metadata["license"].startswith("https://creativecommons.org/")
    row = msdf.df[msdf.df["object_id"] == "CHEBI:68478"].iloc[0]
    assert (row["subject_id"], row["predicate_id"], row["object_label"]) == (
        "pnetkg:everolimus",
        "skos:exactMatch",
        "everolimus",
    )
    assert msdf.converter.expand("pnetkg:everolimus") == "https://w3id.org/pnet-kg/entity/everolimus"


# ------------------------------------------------------------------ /resolve and the SSSOM download over HTTP

RESOLVED = [
    ("CHEBI:68478", "everolimus"),
    ("chebi:68478", "everolimus"),
    ("DRUGBANK:DB01590", "everolimus"),
    ("MESH:D000068338", "everolimus"),
    ("CHEMBL.COMPOUND:CHEMBL1908360", "everolimus"),
    ("NCIT:C1212", "sirolimus"),
    ("HGNC:3942", "gene-mtor"),
    ("NCBIGENE:2475", "gene-mtor"),
    ("UNIPROT:P42345", "mtor"),
    ("MONDO:0019954", "pnet"),
    ("CLINICALTRIALS:NCT00510068", "radiant-3"),
    ("NCT00510068", "radiant-3"),
]


@pytest.mark.parametrize("identifier, entity", RESOLVED)
def test_resolve_redirects_to_the_entity_page(server, identifier, entity):
    r = requests.get(f"{server}/resolve/{identifier}", allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/entity/{entity}")


@pytest.mark.parametrize(
    "identifier, says",
    [
        ("FOO:123", "unknown prefix 'FOO'"),
        ("CHEBI:1", "no entity of this graph is mapped to CHEBI:1"),
        ("HGNC:HGNC:3942", "not a valid identifier"),
        ("68478", "is not a CURIE"),
    ],
)
def test_resolve_unknown_prefix_or_identifier_is_a_clear_404(server, identifier, says):
    r = requests.get(f"{server}/resolve/{identifier}", headers={"Accept": "text/plain"})
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("text/plain")
    assert says in r.text


def test_resolve_404_is_a_page_for_browsers(server):
    r = requests.get(f"{server}/resolve/FOO:123", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "text/html" in r.headers["Content-Type"]
    assert "unknown prefix" in r.text and "Traceback" not in r.text


def test_mapping_set_downloads_as_sssom(server, tmp_path):
    r = requests.get(f"{server}/{MAPPINGS_SSSOM}")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/tab-separated-values")
    (tmp_path / MAPPINGS_SSSOM).write_bytes(r.content)
    msdf = _parse_sssom(tmp_path / MAPPINGS_SSSOM)
    assert "CLINICALTRIALS:NCT00510068" in set(msdf.df["object_id"])


# ------------------------------------------------------------------ example queries


def test_select_by_external_identifier_query(store):
    rows = store.select((REPOSITORY / "queries" / "ext-select-by-external-identifier.rq").read_text())
    assert {str(r["entity"]) for r in rows} == {"https://w3id.org/pnet-kg/entity/everolimus"}
    assert "DRUGBANK:DB01590" in {str(r["otherIdentifier"]) for r in rows}


@pytest.fixture(scope="module")
def chebi_endpoint(tmp_path_factory):
    """A second SPARQL server holding a few ChEBI labels, standing in for a remote ChEBI endpoint."""
    server = start_oxigraph(tmp_path_factory.mktemp("chebi"))
    base = server.query_url.removesuffix("/query")
    body = (DATA / "chebi-excerpt.ttl").read_bytes()
    requests.post(base + "/store?default", data=body, headers={"Content-Type": "text/turtle"}).raise_for_status()
    yield server
    server.stop()


@pytest.mark.slow
def test_federated_query_joins_with_a_second_endpoint(served_data, chebi_endpoint):
    """The example query, sent to the running service with the second endpoint on its allow-list."""
    import requests

    from .conftest import start_service

    query = (REPOSITORY / "queries" / "ext-federated-join.rq").read_text()
    assert "SERVICE <https://ubergraph.apps.renci.org/sparql>" in query
    query = query.replace("https://ubergraph.apps.renci.org/sparql", chebi_endpoint.query_url)
    process, base = start_service(served_data, "--service-allow", chebi_endpoint.query_url, "--query-timeout", "20")
    try:
        r = requests.post(
            base + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        assert r.status_code == 200, r.text
        rows = r.json()["results"]["bindings"]
    finally:
        process.terminate()
        process.wait(10)
    names = {row["entity"]["value"].rsplit("/", 1)[-1]: row["chebiLabel"]["value"] for row in rows}
    assert names == {
        "everolimus": "everolimus",
        "sirolimus": "sirolimus",
        "sunitinib": "sunitinib",
        "octreotide": "octreotide",
    }
