"""Each class of bad curated input fails the build with a message naming file, record and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pnetkg.cli import main
from pnetkg.compile.pipeline import Layout, build
from pnetkg.compile.reason import ReasonerError
from pnetkg.config import REPOSITORY
from pnetkg.curation.model import CurationError

from .conftest import edit

SOURCES = REPOSITORY.parent / "shared" / "sources"


def first_claim(repo: Path) -> tuple[Path, str]:
    path = repo / "graph_data" / "statements" / "s003.yaml"
    claim_id = re.search(r"- id: (s003-c\d+)", path.read_text()).group(1)
    return path, claim_id


def claim_field(path: Path, claim: str, field: str) -> str:
    """The value of ``field`` in the record of ``claim`` (the first such field after its id)."""
    text = path.read_text()
    return re.search(rf"{field}: (\S+)", text[text.index(f"- id: {claim}") :]).group(1)


def test_unknown_entity_reference_fails_with_file_record_and_field(repo):
    path, claim = first_claim(repo)
    edit(path, f"subject: {claim_field(path, claim, 'subject')}", "subject: no-such-entity")
    with pytest.raises(CurationError) as err:
        build(Layout.of_repository(repo))
    assert err.value.file.endswith("statements/s003.yaml")
    assert (err.value.record, err.value.field) == (claim, "subject")
    assert "unknown entity 'no-such-entity'" in str(err.value)


def test_unknown_property_fails(repo):
    path, claim = first_claim(repo)
    edit(path, f"predicate: {claim_field(path, claim, 'predicate')}", "predicate: cures_everything")
    with pytest.raises(CurationError, match=r"s003-c\d+: predicate: unknown property 'cures_everything'"):
        build(Layout.of_repository(repo))


def test_unknown_field_fails(repo):
    path, claim = first_claim(repo)
    edit(path, f"- id: {claim}\n", f"- id: {claim}\n  subjcet: typo\n")
    with pytest.raises(CurationError, match=r"subjcet: unknown field"):
        build(Layout.of_repository(repo))


def test_wrong_datatype_fails(repo):
    path = repo / "graph_data" / "statements" / "s000.yaml"
    edit(path, "  age: 60", "  age: sixty")
    with pytest.raises(CurationError, match=r"case-s000: age: expected integer, got 'sixty'"):
        build(Layout.of_repository(repo))


def test_missing_quote_fails(repo):
    path, claim = first_claim(repo)
    text = path.read_text()
    start = text.index(f"- id: {claim}")
    block = text[start : text.index("\n- ", start + 1)]
    without = re.sub(r"\n  quote: .*(\n    .*)*", "", block, count=1)
    path.write_text(text.replace(block, without, 1))
    with pytest.raises(CurationError, match=rf"{claim}: quote: missing"):
        build(Layout.of_repository(repo))


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the source texts are not beside the repository")
def test_quote_not_in_source_fails_the_build(repo):
    path = repo / "graph_data" / "statements" / "s000.yaml"
    edit(path, "  quote: ", "  quote: Everolimus cures every tumour. ")
    with pytest.raises(CurationError, match=r"quote: quote not found in 000_c7dd0a305425ab96.txt"):
        build(Layout.of_repository(repo), SOURCES)


def test_number_not_in_quote_fails(repo):
    path = repo / "graph_data" / "statements" / "s003.yaml"
    text = path.read_text()
    m = re.search(r"(- id: (s003-r\d+)\n(?:  .*\n)*?)  value: ([0-9.]+)\n", text)
    path.write_text(text.replace(m.group(0), m.group(1) + "  value: 987.654\n", 1))
    with pytest.raises(CurationError, match=rf"{m.group(2)}: value: 987.654 does not appear in the quote"):
        build(Layout.of_repository(repo))


def test_malformed_yaml_names_line_and_column(repo):
    path = repo / "graph_data" / "entities" / "drugs.yaml"
    path.write_text(path.read_text() + "\n- id: [unclosed\n")
    with pytest.raises(CurationError, match=r"drugs.yaml: line \d+, column \d+: -: not valid YAML"):
        build(Layout.of_repository(repo))


@pytest.mark.slow
def test_inconsistent_ontology_fails_the_build_naming_an_entity(repo):
    # an ontology edit that contradicts the data: small-molecule drugs declared disjoint with drugs
    ontology = repo / "ontology" / "pnet.ttl"
    ontology.write_text(ontology.read_text() + "\n:SmallMoleculeDrug owl:disjointWith :Drug .\n")
    with pytest.raises(ReasonerError, match=r"inconsistent ontology: \S+ is both SmallMoleculeDrug and Drug"):
        build(Layout.of_repository(repo))


def test_cli_reports_a_bad_file_in_one_line(repo, capsys, monkeypatch):
    path, claim = first_claim(repo)
    edit(path, f"- id: {claim}\n", f"- id: {claim}\n  subjcet: typo\n")
    monkeypatch.setenv("PNETKG_REPOSITORY", str(repo))
    status = main(["build", "--out", str(repo / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert err[-1].startswith("pnet-kg: error: graph_data/statements/s003.yaml")
    assert not (repo / "out" / "pnet-kg.nq").exists()
