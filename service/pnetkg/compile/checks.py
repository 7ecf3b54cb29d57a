"""Closed-world checks of the built dataset: SHACL shapes and QC violation queries."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from ..terms.iris import shorten


class CheckError(Exception):
    """The built graph violates a SHACL shape or a QC query; the message shows the offenders."""


def union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def check_shapes(data: Graph, shapes: Path, limit: int = 10) -> None:
    import pyshacl
    from rdflib import Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=Graph().parse(shapes, format="turtle"), inference="none", advanced=True
    )
    if conforms:
        return
    # one line per kind of violation, naming a few offenders, so that every kind is seen
    groups: dict[tuple[str, str], list[str]] = {}
    for r in report.subjects(sh.resultSeverity, sh.Violation):
        path = report.value(r, sh.resultPath)
        key = (shorten(path) if path else "-", str(report.value(r, sh.resultMessage)))
        groups.setdefault(key, []).append(shorten(report.value(r, sh.focusNode)))
    lines = []
    for (path, message), focus in sorted(groups.items())[:limit]:
        more = f" and {len(focus) - 3} more" if len(focus) > 3 else ""
        lines.append(f"{', '.join(sorted(focus)[:3])}{more}: {path}: {message}")
    count = sum(len(f) for f in groups.values())
    raise CheckError(f"SHACL: {count} violation(s):\n  " + "\n  ".join(lines))


def check_qc_queries(ds: Dataset, directory: Path) -> None:
    """Each ``*-violation.rq`` must return no row (Mondo-style QC)."""
    union_before, ds.default_union = ds.default_union, True  # the queries see every graph, as on the endpoint
    try:
        for path in sorted(directory.glob("*-violation.rq")):
            rows = [tuple(row) for row in ds.query(path.read_text(encoding="utf-8"))]  # type: ignore[arg-type]  # SELECT rows, not ASK's bool
            if rows:
                shown = "\n  ".join(" ".join(shorten(v) for v in row) for row in rows[:10])
                raise CheckError(f"QC {path.name}: {len(rows)} row(s):\n  {shown}")
    finally:
        ds.default_union = union_before
