"""Small inline SVG figures for the dashboards, drawn on the server (no JavaScript, no image
request): the primary-endpoint tracker against the 33-of-45 design and recruitment per centre.

Each figure is an ``<svg role="img">`` with a title and a description, so a screen reader
reads the same numbers the bars show.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from ramunet.edc.oversight.dashboards import Recruitment, Tracker

OK = "#2e7d32"
BAD = "#c62828"
PENDING = "#9e9e9e"
EMPTY = "#e8eaf0"
INK = "#1b1b1b"


def _rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{fill}"/>'


def _line(x: float, y1: float, y2: float, colour: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" stroke="{colour}" '
        f'stroke-width="2"{dash}/>'
    )


def _text(x: float, y: float, text: str, colour: str = INK, anchor: str = "start") -> str:
    return format_html(
        '<text x="{}" y="{}" font-size="12" text-anchor="{}" fill="{}">{}</text>',
        f"{x:.1f}",
        f"{y:.1f}",
        anchor,
        colour,
        text,
    )


def tracker_svg(tracker: Tracker, n: int, r: int, labels: dict[str, str]) -> SafeString:
    """Successes from the left, failures from the right, pending between, on a 45-patient bar.

    The line at ``r`` from the left is the success boundary (33 disease controls: H0 rejected);
    the line at ``n - r + 1`` from the right is the futility boundary (13 failures).
    """
    width, left, bar_w, top, bar_h = 640, 10, 620, 28, 34
    unit = bar_w / n
    s = min(tracker.successes, n)
    f = min(tracker.failures, n - s)
    pending = min(tracker.pending, n - s - f)
    x_success = left + r * unit
    x_futility = left + bar_w - (n - r + 1) * unit
    parts = [
        _rect(left, top, bar_w, bar_h, EMPTY),
        _rect(left, top, s * unit, bar_h, OK),
        _rect(left + s * unit, top, pending * unit, bar_h, PENDING),
        _rect(left + bar_w - f * unit, top, f * unit, bar_h, BAD),
        _line(x_success, top - 6, top + bar_h + 6, INK),
        _text(x_success, top - 10, labels["success_line"], INK, "middle"),
        _line(x_futility, top - 6, top + bar_h + 6, BAD, dashed=True),
        _text(x_futility, top + bar_h + 20, labels["futility_line"], BAD, "middle"),
    ]
    for offset, colour, key in (
        (0, OK, "successes"),
        (260, PENDING, "pending"),
        (400, BAD, "failures"),
    ):
        x = left + offset
        parts += [_rect(x, 100, 12, 12, colour), _text(x + 18, 111, labels[key])]
    return format_html(
        '<svg role="img" aria-labelledby="tracker-title tracker-desc" viewBox="0 0 {} 120" '
        'width="100%" class="figure"><title id="tracker-title">{}</title>'
        '<desc id="tracker-desc">{}</desc>{}</svg>',
        width,
        labels["title"],
        labels["desc"],
        SafeString("".join(parts)),
    )


def recruitment_svg(data: Recruitment, labels: dict[str, str]) -> SafeString:
    """One bar per centre (registered) with a tick at the centre's target."""
    row_h, left, bar_w = 26, 60, 460
    most = max([c.target for c in data.centres] + [c.registered for c in data.centres] + [1])
    unit = bar_w / most
    height = row_h * len(data.centres) + 10
    parts = []
    for i, c in enumerate(data.centres):
        y = i * row_h
        parts += [
            _text(0, y + 18, c.code),
            _rect(left, y + 5, c.registered * unit, 16, "#123c69"),
            _line(left + c.target * unit, y + 2, y + 24, BAD),
            _text(
                left + max(c.registered, c.target) * unit + 6,
                y + 18,
                f"{c.registered} / {c.target}",
            ),
        ]
    return format_html(
        '<svg role="img" aria-labelledby="recruitment-title recruitment-desc" '
        'viewBox="0 0 {} {}" width="100%" class="figure"><title id="recruitment-title">{}</title>'
        '<desc id="recruitment-desc">{}</desc>{}</svg>',
        left + bar_w + 70,
        height,
        labels["title"],
        labels["desc"],
        SafeString("".join(parts)),
    )
