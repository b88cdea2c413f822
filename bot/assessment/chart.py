"""The radar chart of the dimension scores, as a PNG of about 800 x 800 pixels.

matplotlib is imported inside the function: it takes a good part of a second to import, and
most processes (validate, ask, a resumed chat) never draw a chart. The object-oriented API with
the Agg canvas is used instead of pyplot, which keeps global state and is not thread-safe (the
Telegram adapter calls the engine from worker threads).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping

from bot import Lang
from bot.assessment.scoring import Result
from bot.content.assessment_models import Assessment

SIZE_INCHES = 8.0
DPI = 100  # 8 in x 100 dpi = 800 px
LABEL_WIDTH = 14  # characters a line in the dimension labels ("Ajankäyttö ja / mittaaminen")
FILL = "#2a7ab0"
GRID = "#b8c4ce"
TEXT = "#1f2d3a"
COLOURS = 32  # the PNG's palette


EARLIER = "#9aa5b1"  # the previous assessment: faint, dashed, behind the new one


def radar_png(
    result: Result,
    assessment: Assessment,
    lang: Lang,
    earlier: tuple[Mapping[str, int | None], str, str] | None = None,
) -> bytes:
    """The result's dimension scores (0-100) on a radar, labelled in `lang`; the stage and the
    overall score as its title. `assessment` gives the dimension order and names. `earlier`:
    the previous assessment's scores, drawn faint beneath, and the legend's words for then and
    now (from the templates)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes
    from PIL import Image

    # Only the dimensions the firm was asked about: a one-person firm has no internal axis.
    scores = {d.id: d.score for d in result.dimensions if d.score is not None}
    dimensions = [d for d in assessment.dimensions if d.id in scores]
    values = [scores[d.id] for d in dimensions]
    labels = [textwrap.fill(d.name.of(lang), LABEL_WIDTH) for d in dimensions]
    angles = [2 * math.pi * i / len(dimensions) for i in range(len(dimensions))]

    figure = Figure(figsize=(SIZE_INCHES, SIZE_INCHES), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)  # attaches itself to the figure: Agg, no GUI, no pyplot state
    axes = figure.add_subplot(projection="polar")
    assert isinstance(axes, PolarAxes)
    axes.set_theta_offset(math.pi / 2)  # the first dimension at the top, then clockwise
    axes.set_theta_direction(-1)
    axes.set_ylim(0, 100)
    axes.set_yticks([25, 50, 75, 100])
    axes.set_yticklabels(["25", "50", "75", "100"], color=GRID, fontsize=10)
    axes.set_rlabel_position(180 / len(dimensions))  # between the first two spokes
    axes.set_xticks(angles)
    axes.set_xticklabels(labels, fontsize=14, color=TEXT)
    axes.tick_params(axis="x", pad=30)
    axes.grid(color=GRID, linewidth=0.8)
    axes.spines["polar"].set_color(GRID)

    closed_angles = [*angles, angles[0]]
    closed_values = [*values, values[0]]
    if earlier is not None:
        before = [earlier[0].get(d.id) or 0 for d in dimensions]
        axes.plot(
            closed_angles, [*before, before[0]], color=EARLIER, linewidth=2, linestyle="--",
            label=earlier[1],
        )  # fmt: skip
        axes.plot([], [], color=FILL, linewidth=2.5, label=earlier[2])
        axes.legend(loc="lower right", bbox_to_anchor=(1.18, -0.12), frameon=False, fontsize=12)
    axes.fill(closed_angles, closed_values, color=FILL, alpha=0.25)
    axes.plot(closed_angles, closed_values, color=FILL, linewidth=2.5)
    axes.scatter(angles, values, color=FILL, s=36, zorder=3)
    for angle, value in zip(angles, values, strict=True):
        # Beside the point along its spoke, so it never sits on the line or on the label.
        axes.text(
            angle,
            value + 11 if value < 85 else value - 12,
            str(value),
            ha="center",
            va="center",
            fontsize=12,
            fontweight="bold",
            color=TEXT,
        )
    figure.suptitle(
        f"{result.stage.name.of(lang)} · {result.overall}/100",
        fontsize=18,
        fontweight="bold",
        color=TEXT,
    )
    figure.subplots_adjust(left=0.17, right=0.83, top=0.82, bottom=0.12)

    raw = io.BytesIO()
    figure.savefig(raw, format="rgba", dpi=DPI)
    side = round(SIZE_INCHES * DPI)
    image = Image.frombytes("RGBA", (side, side), raw.getvalue())
    # A few flat colours: a 32-colour palette looks the same and is a quarter of the bytes.
    palette = image.convert("RGB").quantize(colors=COLOURS)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG")
    return buffer.getvalue()
