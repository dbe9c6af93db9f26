"""Charts as SVG made on the server: no script, no web font, nothing fetched from elsewhere.

Every label is escaped; sizes come from the data. Colours are CSS classes (``dashboard.css``), so a chart
follows the page's light or dark theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from bot.dashboard.markdown import escape

_STATUS_ORDER = ("ok", "error", "syntax", "denied", "timeout", "memory", "output_limit", "internal")


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a horizontal bar chart; ``flagged`` bars stand out (the biggest drop-off)."""

    label: str
    value: int
    note: str = ""
    flagged: bool = False


def status_order(statuses: Sequence[str]) -> list[str]:
    """Return run statuses in a stable order: ``ok`` first, then errors, then limits."""
    known = [status for status in _STATUS_ORDER if status in statuses]
    return known + sorted(status for status in statuses if status not in _STATUS_ORDER)


def stacked_hours(
    hours: Sequence[datetime],
    counts: dict[str, list[int]],
    title: str,
    *,
    width: int = 480,
    height: int = 200,
) -> Markup:
    """Return a stacked column chart: one column per hour, one colour per status."""
    left, bottom, top = 36, 24, 10
    plot_w, plot_h = width - left - 8, height - bottom - top
    statuses = status_order(list(counts))
    totals = [sum(counts[s][i] for s in statuses) for i in range(len(hours))]
    peak = max([*totals, 1])
    column = plot_w / max(len(hours), 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}"/>',
        f'<text class="tick" x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>',
        f'<text class="tick" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, hour in enumerate(hours):
        x = left + i * column
        y: float = top + plot_h
        for status in statuses:
            value = counts[status][i]
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            label = f"{hour:%H}:00 {status}: {value}"
            parts.append(
                f'<rect class="run-{escape(status)}" x="{x + 1:.1f}" y="{y:.1f}" '
                f'width="{max(column - 2, 1):.1f}" height="{h:.1f}"><title>{escape(label)}</title></rect>'
            )
        if i % 3 == 0:
            parts.append(
                f'<text class="tick" x="{x + column / 2:.1f}" y="{height - 6}" text-anchor="middle">'
                f"{hour:%H}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # every label above was escaped


def bars(items: Sequence[Bar], title: str, *, width: int = 480, row: int = 18) -> Markup:
    """Return a horizontal bar chart with a label above each bar and its value beside it."""
    label_h, gap = 16, 8
    pitch = label_h + row + gap
    height = max(len(items), 1) * pitch
    peak = max([item.value for item in items] + [1])
    plot_w = width - 150
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for number, item in enumerate(items):
        y = number * pitch
        w = max(plot_w * item.value / peak, 2 if item.value else 0)
        kind = "bar flagged" if item.flagged else "bar"
        tip = f"{item.label}: {item.value} {item.note}".strip()
        value = f"{item.value}" + (f" · {item.note}" if item.note else "")
        parts += [
            f'<text class="bar-label" x="0" y="{y + label_h - 4}">{escape(item.label)}</text>',
            f'<rect class="{kind}" x="0" y="{y + label_h}" width="{w:.1f}" height="{row}" rx="3">'
            f"<title>{escape(tip)}</title></rect>",
            f'<text class="bar-value" x="{w + 6:.1f}" y="{y + label_h + row - 6}">{escape(value)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # every label above was escaped


def meter(fraction: float, title: str, *, width: int = 120, height: int = 12) -> Markup:
    """Return a small horizontal meter, filled to ``fraction`` (0 to 1)."""
    filled = width * min(max(fraction, 0.0), 1.0)
    return Markup(  # the title is escaped
        f'<svg class="meter" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect class="meter-track" x="0" y="0" width="{width}" height="{height}" rx="3"/>'
        f'<rect class="meter-fill" x="0" y="0" width="{filled:.1f}" height="{height}" rx="3"/></svg>'
    )
