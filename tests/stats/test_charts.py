"""The SVG charts: well-formed, free of style and script, accessible, drawn to scale, safe with any text."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.ui.charts import Chart, Series, clean, svg, wrap
from fhb.ui.numbers import nice_ticks

SVG = "{http://www.w3.org/2000/svg}"

GROUPS = ("Enlige 80+ år", "Nyligt enlige", "75-årige")
BARS = Chart(
    "bars",
    "Tilbud og besøg pr. målgruppe",
    GROUPS,
    (Series("Tilbud", (400.0, 100.0, 1200.0)), Series("Besøg", (200.0, 50.0, 0.0))),
    unit="besøg",
    table_key="groups",
)
COVERAGE = Chart(
    "coverage",
    "Dækning pr. målgruppe",
    GROUPS,
    (Series("Dækning", (50.0, 100.0, 72.5)),),
    unit="%",
    goal=100.0,
)
MONTHS = ("jan.", "feb.", "mar.", "apr.")
LINE = Chart(
    "line",
    "Besøg pr. måned",
    MONTHS,
    (Series("2025", (10.0, 20.0, 30.0, 40.0)), Series("2026", (12.0, math.nan, 8.0, 4.0))),
    unit="besøg",
)


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def titled(root: ET.Element, tag: str) -> list[tuple[ET.Element, str]]:
    """The ``tag`` elements that carry a ``<title>`` (bars, points), with the title's text."""
    found = []
    for element in root.iter(SVG + tag):
        title = element.find(SVG + "title")
        if title is not None:
            found.append((element, title.text or ""))
    return found


def texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(SVG + "text")]


def assert_safe_for_csp(root: ET.Element) -> None:
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        assert tag not in {"style", "script", "foreignObject"}, f"<{tag}> is not allowed"
        assert "style" not in element.attrib, f"<{tag}> has a style attribute"
        assert "class" not in element.attrib, f"<{tag}> has a class (the CSS would be the page's)"
        assert not any(name.startswith("on") for name in element.attrib), f"<{tag}> has an event handler"
        for name, value in element.attrib.items():
            assert "javascript:" not in value.lower(), f"<{tag} {name}> holds javascript"


def assert_accessible(root: ET.Element, title: str) -> None:
    assert root.get("role") == "img", "the SVG must be announced as an image"
    ids = [*(root.get("aria-labelledby") or "").split(), *(root.get("aria-describedby") or "").split()]
    assert len(ids) == 2, "aria-labelledby names the <title>, aria-describedby the <desc>"
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    assert all(i in by_id for i in ids), f"aria-labelledby names missing ids: {ids}"
    first = root[0]
    assert first.tag == SVG + "title", "the <title> must be the SVG's first child"
    assert (first.text or "") == clean(title), "the <title> must be the chart's title"
    assert root.get("viewBox", "").startswith("0 0 "), "a viewBox lets the chart scale"
    assert root.get("width") and root.get("height"), "width and height give the chart its aspect"


# --- Every kind --------------------------------------------------------------------------------------------


def test_every_kind_is_well_formed_accessible_and_free_of_style_and_script() -> None:
    for chart in (BARS, COVERAGE, LINE):
        root = parse(svg(chart))
        assert root.tag == SVG + "svg", f"{chart.kind}: the root must be an <svg> in the SVG namespace"
        assert_safe_for_csp(root)
        assert_accessible(root, chart.title)


def test_the_visible_title_can_be_left_out_but_the_accessible_title_stays() -> None:
    root = parse(svg(BARS, show_title=False))
    assert BARS.title not in texts(root), "show_title=False must leave the heading out"
    assert_accessible(root, BARS.title)


def test_two_charts_on_one_page_do_not_share_ids() -> None:
    first = {e.get("id") for e in parse(svg(BARS)).iter() if e.get("id")}
    second = {e.get("id") for e in parse(svg(LINE)).iter() if e.get("id")}
    assert first and not first & second, "ids must be unique across the charts of a page"
    prefixed = parse(svg(BARS, id_prefix="groups"))
    assert all(e.get("id", "groups").startswith("groups") for e in prefixed.iter()), "id_prefix is used"


# --- Bars --------------------------------------------------------------------------------------------------


def test_bars_draw_one_bar_per_label_and_series_with_its_value_in_a_title() -> None:
    bars = titled(parse(svg(BARS)), "rect")
    assert len(bars) == len(GROUPS) * len(BARS.series), "one bar per (label, series)"
    titles = [title for _, title in bars]
    assert "75-årige – Tilbud: 1.200 besøg" in titles, f"titles give label, series and value: {titles}"
    assert "Enlige 80+ år – Besøg: 200 besøg" in titles


def test_bar_heights_are_proportional_to_the_values_and_share_a_baseline() -> None:
    chart = Chart("bars", "Skala", ("a", "b", "c", "d"), (Series("Antal", (10.0, 20.0, 40.0, 0.0)),))
    bars = [element for element, _ in titled(parse(svg(chart)), "rect")]
    heights = [float(bar.get("height", "nan")) for bar in bars]
    assert heights[0] > 0, "a positive value has a visible bar"
    assert math.isclose(heights[1], 2 * heights[0], abs_tol=0.2), f"20 is twice as high as 10: {heights}"
    assert math.isclose(heights[2], 4 * heights[0], abs_tol=0.2), f"40 is four times as high as 10: {heights}"
    assert heights[3] == 0, "zero has no height"
    bottoms = {
        round(float(bar.get("y", "nan")) + height, 1) for bar, height in zip(bars, heights, strict=True)
    }
    assert len(bottoms) == 1, f"bars stand on one baseline: {bottoms}"


def test_bars_of_a_group_stand_side_by_side_in_series_order() -> None:
    bars = [element for element, _ in titled(parse(svg(BARS)), "rect")]
    xs = [float(bar.get("x", "nan")) for bar in bars]
    assert xs == sorted(xs), "groups left to right, series left to right within a group"
    fills = [bar.get("fill") for bar in bars]
    assert fills[0] != fills[1], "the series are told apart by their fill"
    assert fills[0] == fills[2], "a series keeps its fill across the groups"


def test_bars_print_their_values_in_danish() -> None:
    chart = Chart("bars", "Tal", ("a", "b"), (Series("Andel", (1234.5, 0.25)),))
    printed = texts(parse(svg(chart)))
    assert "1.234,5" in printed, f"thousands dot and decimal comma: {printed}"
    assert "0,3" in printed, "one decimal, rounded half up"


def test_the_value_axis_has_nice_ticks_in_danish_numbers() -> None:
    chart = Chart("bars", "Akse", ("a",), (Series("Antal", (8700.0,)),))
    printed = texts(parse(svg(chart)))
    assert {"0", "2.000", "4.000", "6.000", "8.000", "10.000"} <= set(printed), f"1-2-5 ticks: {printed}"


def test_the_legend_names_every_series_and_the_unit_is_shown() -> None:
    printed = texts(parse(svg(BARS)))
    assert {"Tilbud", "Besøg", "besøg"} <= set(printed), f"legend and unit: {printed}"


def test_narrow_bars_turn_their_values_upright() -> None:
    labels = tuple(f"m{i}" for i in range(24))
    chart = Chart("bars", "Mange", labels, (Series("a", (123456.0,) * 24), Series("b", (654321.0,) * 24)))
    root = parse(svg(chart))
    values = [t for t in root.iter(SVG + "text") if t.text == "654.321"]
    assert len(values) == 24, "every bar keeps its value"
    assert all("rotate(-90" in (t.get("transform") or "") for t in values), "narrow bars turn the value"


# --- Coverage ----------------------------------------------------------------------------------------------


def test_coverage_draws_horizontal_bars_to_scale_with_a_dashed_goal_line() -> None:
    root = parse(svg(COVERAGE))
    bars = {title: element for element, title in titled(root, "rect")}
    assert len(bars) == 3, f"one bar per label: {list(bars)}"
    half = bars["Enlige 80+ år – Dækning: 50,0 %"]
    full = bars["Nyligt enlige – Dækning: 100,0 %"]
    assert half.get("x") == full.get("x"), "the bars start at the same place"
    half_w, full_w = float(half.get("width", "nan")), float(full.get("width", "nan"))
    assert math.isclose(full_w, 2 * half_w, abs_tol=0.2), (
        f"100 % is twice as long as 50 %: {half_w}, {full_w}"
    )
    goals = [element for element, title in titled(root, "line") if title == "Mål: 100 %"]
    assert len(goals) == 1, "one goal line, titled with the goal"
    goal = goals[0]
    assert goal.get("stroke-dasharray"), "the goal line is dashed"
    end = float(full.get("x", "nan")) + full_w
    assert math.isclose(float(goal.get("x1", "nan")), end, abs_tol=0.2), "the goal line stands at 100 %"
    assert {"50,0 %", "100,0 %", "72,5 %", "Mål: 100 %"} <= set(texts(root)), "values and goal are printed"


def test_coverage_without_a_goal_draws_no_goal_line() -> None:
    chart = Chart("coverage", "Uden mål", ("a",), (Series("Dækning", (40.0,)),), unit="%")
    root = parse(svg(chart))
    assert not [t for t in texts(root) if t.startswith("Mål")], "no goal, no goal label"
    assert not any(line.get("stroke-dasharray") for line in root.iter(SVG + "line")), "no dashed line"


# --- Line --------------------------------------------------------------------------------------------------


def test_line_draws_a_polyline_per_series_broken_at_missing_values() -> None:
    root = parse(svg(LINE))
    polylines = list(root.iter(SVG + "polyline"))
    points = [len((p.get("points") or "").split()) for p in polylines]
    assert points == [4, 2], f"2025 unbroken; 2026 only after its gap (a lone point is no line): {points}"
    markers = titled(root, "circle") + titled(root, "rect")
    titles = [title for _, title in markers]
    assert len(titles) == 4 + 3, f"one point per value, none for NaN: {titles}"
    assert "feb. – 2025: 20 besøg" in titles


def test_line_points_rise_with_their_values() -> None:
    root = parse(svg(LINE))
    first = next(p for p in root.iter(SVG + "polyline"))
    ys = [float(pair.split(",")[1]) for pair in (first.get("points") or "").split()]
    assert ys == sorted(ys, reverse=True), f"10, 20, 30, 40 climb (SVG y grows downwards): {ys}"
    xs = [float(pair.split(",")[0]) for pair in (first.get("points") or "").split()]
    steps = {round(b - a, 1) for a, b in itertools.pairwise(xs)}
    assert len(steps) == 1, f"months are evenly spaced: {steps}"


def test_line_series_differ_in_dash_and_the_legend_names_them() -> None:
    root = parse(svg(LINE))
    dashes = {p.get("stroke-dasharray") for p in root.iter(SVG + "polyline")}
    assert len(dashes) == 2, "each series has its own dash, to tell them apart in black and white"
    assert {"2025", "2026"} <= set(texts(root))


# --- No data -----------------------------------------------------------------------------------------------


def test_no_data_gives_a_valid_svg_saying_so() -> None:
    empties = (
        Chart("bars", "Ingen rækker", (), ()),
        Chart("bars", "Kun nuller", ("a", "b"), (Series("x", (0.0, 0.0)),)),
        Chart("line", "Ingen serier", ("a",), ()),
        Chart("coverage", "Kun NaN", ("a",), (Series("x", (math.nan,)),), goal=100.0),
    )
    for chart in empties:
        root = parse(svg(chart))
        assert_safe_for_csp(root)
        assert_accessible(root, chart.title)
        assert "Ingen data" in texts(root), f"{chart.title}: says there is no data"
        assert not titled(root, "rect"), f"{chart.title}: draws no bars"


# --- Text safety -------------------------------------------------------------------------------------------


def test_markup_in_labels_is_escaped_not_interpreted() -> None:
    nasty = '<script>alert("x")</script> & "co" <b>'
    chart = Chart("bars", nasty, (nasty, "b"), (Series(nasty, (1.0, 2.0)),), unit="<%>")
    text = svg(chart)
    root = parse(text)
    assert_safe_for_csp(root)
    assert "<script" not in text, "a label never becomes an element"
    assert any(title.startswith(nasty) for _, title in titled(root, "rect")), "the label reads as written"


words = st.text(min_size=0, max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["bars", "coverage", "line"]),
    title=words,
    labels=st.lists(words, min_size=1, max_size=5),
    names=st.lists(words, min_size=1, max_size=3),
    unit=words,
)
def test_any_text_gives_a_well_formed_svg_that_shows_it(
    kind: str, title: str, labels: list[str], names: list[str], unit: str
) -> None:
    series = tuple(Series(name, tuple(float(i + 1) for i in range(len(labels)))) for name in names)
    chart = Chart(kind, title, tuple(labels), series, unit=unit, goal=80.0)  # type: ignore[arg-type]
    root = parse(svg(chart))  # raises when not well-formed
    assert_safe_for_csp(root)
    assert_accessible(root, title)
    titles = [t for tag in ("rect", "circle", "polygon") for _, t in titled(root, tag)]
    assert len(titles) == len(labels) * len(names), "one titled bar or point per value"
    assert all(t.startswith(clean(labels[0])) for t in titles[:1]), "the first title names the first label"


# --- Helpers -----------------------------------------------------------------------------------------------


def test_wrap_breaks_at_spaces_and_marks_what_is_cut() -> None:
    assert wrap("Nyligt enker og enkemænd", 12) == ["Nyligt enker", "og enkemænd"]
    assert wrap("en to tre fire fem seks", 7, 2) == ["en to", "tre…"]
    assert wrap("Overordentligt", 6, 1) == ["Overo…"]
    assert wrap("", 10) == [""]


@settings(max_examples=200, deadline=None)
@given(
    low=st.floats(-1e4, 1e4, allow_nan=False),
    span=st.one_of(st.just(0.0), st.floats(0.01, 1e6, allow_nan=False)),
)
def test_nice_ticks_cover_the_range_in_steps_of_1_2_or_5(low: float, span: float) -> None:
    """Over the values a chart shows (counts, percentages, averages), with any span down to 0,01."""
    high = low + span
    ticks = nice_ticks(low, high)
    assert 2 <= len(ticks) <= 12, f"a readable number of ticks: {ticks}"
    step = ticks[1] - ticks[0]
    slack = 1e-6 * step  # a millionth of a step is floating-point noise, not a value off the axis
    assert ticks[0] <= low + slack and ticks[-1] >= high - slack, f"{ticks} cover {low}..{high}"
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5, 10)), f"step {step} is 1-2-5"


# --- Text as large as the page's ---------------------------------------------------------------------------

#: The report's text width: A4 less 20 mm margins either side, 170 mm, in points.
REPORT_TEXT_PT = 170 / 25.4 * 72


def smallest_text(root: ET.Element) -> float:
    """The smallest font size in the drawing, in its user units (the root's size where a text sets none)."""
    default = float(root.get("font-size", "16"))
    return min(float(element.get("font-size", default)) for element in root.iter(SVG + "text"))


def drawn_width(root: ET.Element) -> float:
    return float(root.get("viewBox", "0 0 0 0").split()[2])


def test_the_reports_chart_text_is_about_the_size_of_its_text() -> None:
    """The report draws each chart across its 170 mm text width: its smallest text at least 9 pt (the
    report's text is 10.5 pt, its notes 8.5 pt); 8 px text on the page was the complaint."""
    for chart in (BARS, COVERAGE, LINE):
        root = parse(svg(chart, show_title=False))
        size_pt = smallest_text(root) * REPORT_TEXT_PT / drawn_width(root)
        assert size_pt >= 9, f"{chart.kind}: the smallest text prints at {size_pt:.1f} pt"
