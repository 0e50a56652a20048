"""Server-rendered SVG charts of a result (no JavaScript): grouped horizontal bars per key, one bar per
perspective, on the 1-5 scale. The same numbers are in a table beside the chart; the chart itself has a
title and a description for screen readers, and a withheld value is drawn as no bar with a dash."""

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .models import Perspective

COLOURS = {"parent": "#0b5cad", "professional": "#b35c00", "child": "#2e7d32"}
PATTERN_LABEL_WIDTH = 210
BAR_HEIGHT = 12
GAP = 14
SCALE_WIDTH = 300


def bars(result, chart_id: str, title: str) -> str:
    perspectives = result.perspectives
    rows = result.rows()
    row_height = BAR_HEIGHT * len(perspectives) + GAP
    height = 30 + row_height * len(rows) + 30
    width = PATTERN_LABEL_WIDTH + SCALE_WIDTH + 60
    parts = []
    for i in range(1, 6):  # the scale 1..5
        x = PATTERN_LABEL_WIDTH + (i - 1) / 4 * SCALE_WIDTH
        parts.append(format_html(
            '<line x1="{}" y1="24" x2="{}" y2="{}" stroke="#ccc"/><text x="{}" y="18" font-size="11" '
            'text-anchor="middle">{}</text>', x, x, height - 28, x, i,
        ))  # fmt: skip
    for r, (_key, label, cells) in enumerate(rows):
        top = 30 + r * row_height
        parts.append(format_html(
            '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
            PATTERN_LABEL_WIDTH - 8, top + BAR_HEIGHT * len(perspectives) / 2 + 4, label,
        ))  # fmt: skip
        for j, (p, cell) in enumerate(zip(perspectives, cells, strict=True)):
            y = top + j * BAR_HEIGHT
            if cell.shown:
                w = max(2, (cell.mean - 1) / 4 * SCALE_WIDTH)
                parts.append(format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="10">{}</text>',
                    PATTERN_LABEL_WIDTH, y, round(w, 1), BAR_HEIGHT - 2, COLOURS[p],
                    PATTERN_LABEL_WIDTH + w + 4, y + BAR_HEIGHT - 3, number_format(cell.mean, 1),
                ))  # fmt: skip
            else:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="10">–</text>', PATTERN_LABEL_WIDTH + 4, y + BAR_HEIGHT - 3
                    )
                )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="11">{}</text>',
        (
            (PATTERN_LABEL_WIDTH + k * 110, height - 18, COLOURS[p], PATTERN_LABEL_WIDTH + k * 110 + 14, height - 9,
             Perspective(p).label)
            for k, p in enumerate(perspectives)
        ),
    )  # fmt: skip
    desc = _(
        "Gemiddelde score per sleutel op een schaal van 1 tot 5, per perspectief. De cijfers staan ook in de tabel."
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>'
        "{body}{legend}</svg>",
        w=width, h=height, id=chart_id, title=title, desc=desc, legend=legend,
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )  # fmt: skip


def trend_lines(points_by_perspective: dict, labels: list[str], chart_id: str, title: str) -> str:
    """A line per perspective over the waves: its mean over the keys shown, None where withheld."""
    width, height, left, top = 560, 200, 40, 20
    inner_w, inner_h = width - left - 20, height - top - 50
    n = max(len(labels), 1)

    def x(i):
        return left + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)

    def y(v):
        return top + inner_h - (v - 1) / 4 * inner_h

    parts = [format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ccc"/>', left, y(v), left + inner_w, y(v))
             for v in (1, 3, 5)]  # fmt: skip
    parts += [format_html('<text x="{}" y="{}" font-size="10" text-anchor="end">{}</text>', left - 4, y(v) + 3, v)
              for v in (1, 3, 5)]  # fmt: skip
    parts += [format_html('<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>', x(i), height - 32, lab)
              for i, lab in enumerate(labels)]  # fmt: skip
    for k, (p, values) in enumerate(points_by_perspective.items()):
        pts = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        if len(pts) > 1:
            parts.append(format_html(
                '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>', COLOURS[p],
                " ".join(f"{a:.1f},{b:.1f}" for a, b in pts),
            ))  # fmt: skip
        parts += [format_html('<circle cx="{}" cy="{}" r="3" fill="{}"/>', round(a, 1), round(b, 1), COLOURS[p])
                  for a, b in pts]  # fmt: skip
        parts.append(format_html(
            '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="11">{}</text>',
            left + k * 110, height - 18, COLOURS[p], left + k * 110 + 14, height - 9, Perspective(p).label,
        ))  # fmt: skip
    desc = _("Gemiddelde over alle sleutels per peiling, per perspectief. De cijfers staan ook in de tabel.")
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>'
        "{body}</svg>",
        w=width, h=height, id=chart_id, title=title, desc=desc,
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )  # fmt: skip
