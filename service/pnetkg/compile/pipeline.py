"""The build: curated files -> validated, reasoned RDF dataset -> dumps.

Each step raises its layer's error with what to fix; nothing is written to the
output directory until every check has passed, and the dumps are then moved
into place file by file with the manifest last.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Dataset

from ..curation.load import load_curation
from ..curation.model import Curation
from ..curation.quotes import SourceTexts
from ..curation.validate import validate
from ..curation.vocabulary import Vocabulary
from ..curation.xrefs import MappingReport, check_mappings
from ..terms import iris
from ..terms.dumps import DUMP_NQUADS, DUMP_TRIG, DUMP_TURTLE, MANIFEST
from .checks import check_qc_queries, check_shapes, union
from .evidence import add_evidence
from .rdf import to_dataset
from .reason import infer_types
from .sssom import write_mapping_files


@dataclass
class Layout:
    """Where the build reads from: the repository's curated data, ontology and QC queries."""

    data: Path
    ontology: Path
    shapes: Path
    qc: Path
    vocab: Path | None = None  # extracts of external vocabularies; without them identifiers go unverified

    @classmethod
    def of_repository(cls, root: Path) -> "Layout":
        return cls(
            root / "graph_data",
            root / "ontology" / "pnet.ttl",
            root / "ontology" / "shapes.ttl",
            root / "queries" / "qc",
            root / "vocab",
        )


@dataclass
class Build:
    curation: Curation
    dataset: Dataset
    inferred: int
    seconds: dict[str, float] = field(default_factory=dict)
    mappings: MappingReport | None = None


def build(layout: Layout, sources: Path | None = None, progress: Callable[[str], None] = lambda _: None) -> Build:
    """Validate, convert, check and reason; returns the dataset (nothing is written)."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 3)
        clock = now

    progress("reading curated files")
    curation = load_curation(layout.data)
    vocabulary = Vocabulary.from_ontology(layout.ontology)
    texts = SourceTexts(sources) if sources else None
    progress(
        "validating"
        + (
            " and checking quotes against " + str(sources)
            if sources
            else " (source texts not given: quotes not checked)"
        )
    )
    validate(curation, vocabulary, texts)
    step("validate")
    progress("checking external identifiers against " + str(layout.vocab))
    mappings = check_mappings(curation, layout.vocab)
    step("xrefs")
    progress("converting to RDF")
    ds = to_dataset(curation, layout.ontology)
    add_evidence(ds, curation)  # evidence levels, derived from study designs
    step("convert")
    progress("checking SHACL shapes and QC queries")
    check_shapes(union(ds), layout.shapes)
    check_qc_queries(ds, layout.qc)
    step("check")
    progress("reasoning (HermiT)")
    inferred = infer_types(ds)
    graph = ds.graph(iris.INFERRED_GRAPH)
    for triple in inferred:
        graph.add(triple)
    step("reason")
    return Build(curation, ds, len(inferred), seconds, mappings)


def write_dumps(result: Build, out: Path) -> list[Path]:
    """Write N-Quads, TriG and Turtle dumps into ``out``, replacing older ones only when all are ready."""
    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        ds = result.dataset
        ds.serialize(staging / DUMP_NQUADS, format="nquads")
        ds.serialize(staging / DUMP_TRIG, format="trig")
        union(ds).serialize(staging / DUMP_TURTLE, format="turtle")
        manifest = {
            "graphs": {str(g.identifier): len(g) for g in ds.graphs() if len(g)},
            "quads": sum(1 for _ in ds.quads((None, None, None, None))),
            "inferred_types": result.inferred,
            "seconds": result.seconds,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        extra = write_mapping_files(result.mappings, staging) if result.mappings else []
        written = []
        for name in (DUMP_NQUADS, DUMP_TRIG, DUMP_TURTLE, *extra, MANIFEST):
            os.replace(staging / name, out / name)
            written.append(out / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
