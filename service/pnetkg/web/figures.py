"""Geometry for the server-side SVG pictures; the templates draw them (and escape every label).

No JavaScript and no plotting library: a forest plot of ratios with their
confidence intervals, a patient case's treatment course, and an entity's
direct neighbours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# ------------------------------------------------------------------ forest plot
FOREST_LEFT, FOREST_RIGHT, FOREST_ROW, FOREST_TOP = 300, 600, 38, 30


@dataclass
class ForestRow:
    y: float
    title: str  # trial or study
    subtitle: str  # endpoint, arms, source
    value: float | None
    lo: float | None
    hi: float | None
    x: float | None
    x_lo: float | None
    x_hi: float | None
    text: str  # "0.35 (0.27–0.45) p<0.001"
    href: str  # the trial's page
    result: str  # the result's IRI
    level: int | None = None  # evidence level of the trial's design (2 randomised ... 5)
    design: str = ""


@dataclass
class ForestPlot:
    rows: list[ForestRow]
    ticks: list[tuple[float, str]]
    x_one: float
    width: int
    height: int
    axis_y: float
    left: int = FOREST_LEFT
    right: int = FOREST_RIGHT
    title: str = ""
    description: str = ""


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(str(text).replace(",", ".").strip())
    except ValueError:
        return None
    return value if value > 0 and math.isfinite(value) else None


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def forest_plot(results: list[dict], subject: str) -> ForestPlot | None:
    """Hazard (and other) ratios with 95% CIs on a log scale, one row per result; None when there are none."""
    usable = []
    for r in results:
        if (r.get("unit") or "").lower() != "ratio":
            continue
        value = _number(r.get("value")) or _number(r.get("valueText"))
        lo, hi = _number(r.get("lo")), _number(r.get("hi"))
        if value is None and (lo is None or hi is None):
            continue
        usable.append((r, value, lo, hi))
    if not usable:
        return None
    # strongest design first (randomised trials before single-arm trials and series), then by trial
    usable.sort(key=lambda u: (int(u[0].get("dlevel") or 9), u[0].get("tlabel") or "", u[0].get("elabel") or ""))
    numbers = [v for _, value, lo, hi in usable for v in (value, lo, hi) if v is not None] + [1.0]
    low, high = math.log(min(numbers) / 1.25), math.log(max(numbers) * 1.25)

    def x_of(v: float | None) -> float | None:
        if v is None:
            return None
        return FOREST_LEFT + (math.log(v) - low) / (high - low) * (FOREST_RIGHT - FOREST_LEFT)

    rows = []
    for i, (r, value, lo, hi) in enumerate(usable):
        ci = f" ({r['lo']}–{r['hi']})" if lo is not None and hi is not None else ""
        shown = r.get("value") or r.get("valueText") or ""
        p = f" p {r['p']}" if r.get("p") else ""
        arms = r.get("alabel") or ""
        if r.get("clabel"):
            arms = f"{arms} vs {r['clabel']}"
        level = int(r["dlevel"]) if r.get("dlevel") else None
        design = f"L{level} {r.get('dlabel')}" if level else ""
        subtitle = " · ".join(x for x in (r.get("elabel") or "", r["source_id"]) if x)
        rows.append(
            ForestRow(
                y=FOREST_TOP + i * FOREST_ROW + FOREST_ROW / 2,
                title=_short(r.get("tlabel") or arms or "study", 42),
                subtitle=_short(subtitle, 52),
                value=value,
                lo=lo,
                hi=hi,
                x=x_of(value),
                x_lo=x_of(lo),
                x_hi=x_of(hi),
                text=f"{shown}{ci}{p}",
                href=r.get("trial") or r["r"],
                result=r["r"],
                level=level,
                design=design,
            )  # fmt: skip
        )
    candidates = [0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20]
    ticks = [(x_of(t) or 0.0, f"{t:g}") for t in candidates if low <= math.log(t) <= high]
    axis_y = FOREST_TOP + len(rows) * FOREST_ROW + 4
    summary = "; ".join(
        f"{row.title} ({row.design or 'design not recorded'}), {row.subtitle}: {row.text}" for row in rows
    )
    return ForestPlot(
        rows=rows,
        ticks=ticks,
        x_one=x_of(1.0) or 0.0,
        width=820,
        height=int(axis_y + 44),
        axis_y=axis_y,
        title=f"Forest plot of ratios with 95% confidence intervals for {subject}",
        description=f"Log scale; the vertical line marks a ratio of 1 (no difference). Rows are ordered by the "
        f"evidence level of the trial's design, strongest first. {summary}",
    )


# ------------------------------------------------------------------ timeline
OUTCOME_STYLE = {
    "response": ("#1a7f37", "▲"),
    "stable-disease": ("#57606a", "■"),
    "progression": ("#cf222e", "▼"),
    "symptom-control": ("#0969da", "●"),
    "symptom-recurrence": ("#bc4c00", "◆"),
    "no-response": ("#cf222e", "✗"),  # a failed treatment looks failed
    "adverse-event": ("#9a6700", "✚"),
    "discontinuation": ("#6e7781", "✖"),
    "death": ("#1b1f24", "†"),
    "other": ("#8250df", "○"),
}
TIMELINE_ROW, TIMELINE_OUTCOME, LEGEND_PER_ROW = 30, 20, 5


@dataclass
class TimelineItem:
    y: float
    height: float
    order: int
    when: str
    interventions: list[tuple[str, str]]
    trial: tuple[str, str] | None
    outcomes: list[dict] = field(default_factory=list)  # each with y, colour, symbol, text


@dataclass
class Timeline:
    items: list[TimelineItem]
    width: int
    height: int
    title: str
    description: str
    legend: list[tuple[str, str, str, int, int]]  # kind, colour, symbol, x, y


def timeline(episodes: list, subject: str) -> Timeline | None:
    """A vertical treatment course: one node per episode, its interventions, its outcome markers."""
    if not episodes:
        return None
    kinds = sorted({o["kind"] for ep in episodes for o in ep.outcomes}, key=list(OUTCOME_STYLE).index)
    legend_rows = (len(kinds) + LEGEND_PER_ROW - 1) // LEGEND_PER_ROW
    items, y = [], 30.0 + 20 * legend_rows
    for ep in episodes:
        outcomes = []
        for k, o in enumerate(ep.outcomes):
            colour, symbol = OUTCOME_STYLE[o["kind"]] if o["kind"] in OUTCOME_STYLE else OUTCOME_STYLE["other"]
            words = [o["kind"].replace("-", " ")]
            if o.get("elabel"):
                words.append(o["elabel"])
            if o.get("grade"):
                words.append(f"grade {o['grade']}")
            text = ": ".join([words[0], ", ".join(words[1:])]) if len(words) > 1 else words[0]
            if o.get("note"):
                text += f" — {o['note']}"
            outcomes.append({"y": y + TIMELINE_ROW + k * TIMELINE_OUTCOME, "colour": colour, "symbol": symbol,
                             "text": _short(text, 84), "full": text, "kind": o["kind"]})  # fmt: skip
        height = TIMELINE_ROW + len(outcomes) * TIMELINE_OUTCOME + 12
        items.append(TimelineItem(y, height, ep.order, _short(ep.when or f"step {ep.order}", 26),
                                  ep.interventions, ep.trial, outcomes))  # fmt: skip
        y += height
    legend = [
        (k.replace("-", " "), *OUTCOME_STYLE[k], 10 + (i % LEGEND_PER_ROW) * 180, 16 + (i // LEGEND_PER_ROW) * 20)
        for i, k in enumerate(kinds)
    ]
    steps = "; ".join(
        f"{it.order}. {it.when}: {', '.join(label for _, label in it.interventions) or 'no intervention'}"
        + "".join(f" ({o['full']})" for o in it.outcomes)
        for it in items
    )
    return Timeline(items, 900, int(y + 10), f"Treatment course of {subject}", steps, legend)


# ------------------------------------------------------------------ neighbourhood
@dataclass
class Neighbour:
    iri: str
    label: str
    relation: str
    direction: str
    x: float
    y: float
    anchor: str


@dataclass
class Neighbourhood:
    centre: str
    nodes: list[Neighbour]
    width: int = 960
    height: int = 420
    cx: float = 480
    cy: float = 210


def neighbourhood(label: str, neighbours: list[tuple[str, str, str, str]]) -> Neighbourhood | None:
    """The entity in the middle, its direct neighbours on an ellipse around it."""
    if not neighbours:
        return None
    view = Neighbourhood(_short(label, 28), [])
    n = len(neighbours)
    for i, (iri, name, relation, direction) in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        x = view.cx + 240 * math.cos(angle)
        y = view.cy + 165 * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        view.nodes.append(Neighbour(iri, _short(name, 26), relation, direction, x, y, anchor))
    return view
