"""README "Deploy → Kubernetes" agrees with the manifests, and its capacity figures are the benchmark
figures README "Performance" records."""

from __future__ import annotations

import re

import pytest

from tests.deploy import files
from tests.deploy.kubernetes import container, env_value, render

README = (files.ROOT / "README.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    """Return the text under a heading, up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = README.index(f"\n{heading}\n")
    following = re.compile(rf"\n#{{1,{level}}} ")
    end = following.search(README, start + 1 + len(heading))
    return README[start : end.start() if end else len(README)]


def _table_rows(text: str) -> list[list[str]]:
    """Return the cells of the first Markdown table in ``text``, header and separator left out."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("| "))
    rows = []
    for line in lines[first + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


PERFORMANCE = _section("## Performance")
CAPACITY = _section("#### Capacity")
CAPACITY_ROWS = _table_rows(CAPACITY)


def test_the_capacity_table_has_the_four_measured_rows() -> None:
    assert len(CAPACITY_ROWS) == 4


@pytest.mark.parametrize("row", CAPACITY_ROWS, ids=[row[0] for row in CAPACITY_ROWS])
def test_each_capacity_figure_is_recorded_in_the_performance_section(row: list[str]) -> None:
    _, figure, source = row
    assert re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d.,]*\d)", PERFORMANCE), figure
    (subsection,) = re.findall(r'"([^"]+)"', source)
    assert subsection.lower() in PERFORMANCE.lower()
    (script,) = re.findall(r"`python (benchmarks/\w+\.py)`", source)
    assert (files.ROOT / script).is_file()
    assert script in PERFORMANCE


def test_the_overlay_table_says_what_the_overlays_run() -> None:
    rows = {row[0]: row[1:] for row in _table_rows(_section("### Kubernetes"))}
    small, large = render("small"), render("large")
    small_bot, small_sandbox = rows["`overlays/small`"]
    assert small.get("StatefulSet", "tutor-bot")["spec"]["replicas"] == 1
    assert small_bot.startswith("1 pod")
    assert small_sandbox == f"{small.get('Deployment', 'tutor-sandbox')['spec']['replicas']} replicas"
    large_bot, large_sandbox = rows["`overlays/large`"]
    statefulset = large.get("StatefulSet", "tutor-bot")
    shards = env_value(container(statefulset, "bot"), "TUTOR_DISCORD__SHARD_COUNT")
    assert large_bot.startswith(f"{statefulset['spec']['replicas']} pods, {shards} Discord shards")
    autoscaler = large.get("HorizontalPodAutoscaler", "tutor-sandbox")["spec"]
    assert large_sandbox.startswith(f"{autoscaler['minReplicas']} to {autoscaler['maxReplicas']} replicas")
