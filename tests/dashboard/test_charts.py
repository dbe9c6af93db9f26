"""SVG charts made on the server: sized from the data, every label escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime, timedelta

from bot.dashboard.charts import Bar, bars, meter, stacked_hours, status_order

SVG = "{http://www.w3.org/2000/svg}"


def test_stacked_hours_draws_one_rect_per_nonzero_count() -> None:
    hours = [datetime(2026, 1, 1, h, tzinfo=UTC) for h in range(3)]
    chart = stacked_hours(hours, {"ok": [2, 0, 1], "timeout": [1, 0, 0]}, "Runs")

    tree = ElementTree.fromstring(str(chart))
    rects = tree.findall(f"{SVG}rect")
    assert [r.get("class") for r in rects] == ["run-ok", "run-timeout", "run-ok"]
    assert tree.find(f"{SVG}title").text == "Runs"  # type: ignore[union-attr]


def test_the_tallest_column_fills_the_plot() -> None:
    hours = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=h) for h in range(2)]
    tree = ElementTree.fromstring(str(stacked_hours(hours, {"ok": [4, 2]}, "Runs", height=200)))

    heights = [float(r.get("height", 0)) for r in tree.findall(f"{SVG}rect")]
    assert heights[0] == 2 * heights[1]


def test_bar_labels_are_escaped_and_flagged_bars_marked() -> None:
    chart = str(bars([Bar("<step & co>", 3), Bar("b", 1, "note", flagged=True)], "T<"))

    tree = ElementTree.fromstring(chart)
    assert "&lt;step &amp; co&gt;" in chart
    assert [r.get("class") for r in tree.findall(f"{SVG}rect")] == ["bar", "bar flagged"]


def test_meter_is_clamped() -> None:
    full = ElementTree.fromstring(str(meter(1.7, "x", width=100)))

    assert full.findall(f"{SVG}rect")[1].get("width") == "100.0"


def test_statuses_keep_a_stable_order() -> None:
    assert status_order(["timeout", "weird", "ok", "error"]) == ["ok", "error", "timeout", "weird"]
