"""A service point's counter poster → PDF or PNG bytes (matplotlib; no display, no I/O).

One page, A4 or A5 portrait: the unit, the service and the counter, a short call to rate the
service and how it works, and one QR code per configured chat channel with the bot's handle
written out under it (a phone without a QR reader can still find the bot). Text is vector
in the PDF; each QR module is drawn as a filled square, so the code stays sharp at any
print size. The caller gives the sentences (already in the poster's language) and the QR
matrices (rows of 0/1, quiet zone included), so this module knows no URL and no setting.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

__all__ = ["PAPER_MM", "PosterCode", "PosterText", "poster"]

#: paper sizes (width, height) in millimetres, portrait
PAPER_MM: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "a5": (148.0, 210.0)}
_MM_PER_INCH = 25.4
ACCENT = "#0b5394"


@dataclass(frozen=True)
class PosterCode:
    """One QR code: the channel's name ("Telegram"), the handle written under it
    ("@kinerja_bot", "+62 811 …") and its module matrix (rows of 0/1)."""

    channel: str
    handle: str
    matrix: Sequence[Sequence[int]]


@dataclass(frozen=True)
class PosterText:
    """The poster's words: ``unit``, ``service``, ``counter`` (the point's line), the
    ``call`` (headline), ``how`` (anonymous, a minute, nine questions), ``steps`` and
    ``privacy`` lines."""

    unit: str
    service: str
    counter: str
    call: str
    how: str
    steps: str
    privacy: str


def _draw_qr(figure: Figure, matrix: Sequence[Sequence[int]], box: tuple[float, float, float]
             ) -> None:
    """Draw ``matrix`` as black squares in the square ``box`` = (left, bottom, size) given in
    figure fractions of the width (the height fraction is scaled by the aspect)."""
    left, bottom, size = box
    width_in, height_in = figure.get_size_inches()
    axes = figure.add_axes((left, bottom, size, size * width_in / height_in))
    axes.set_axis_off()
    count = len(matrix)
    axes.set_xlim(0, count)
    axes.set_ylim(count, 0)
    axes.set_aspect("equal")
    for y, row in enumerate(matrix):
        x = 0
        while x < count:
            if row[x]:
                run = x
                while run < count and row[run]:
                    run += 1
                axes.add_patch(Rectangle((x, y), run - x, 1, facecolor="black",
                                         edgecolor="none", antialiased=False))
                x = run
            else:
                x += 1


def poster(text: PosterText, codes: Sequence[PosterCode], *, size: str = "a4",
           fmt: str = "pdf", dpi: int = 150) -> bytes:
    """The poster as PDF (``fmt="pdf"``) or PNG (``"png"``, ``dpi`` dots per inch) bytes.

    ``size`` is ``"a4"`` or ``"a5"``; ``codes`` holds one or two QR codes (side by side).
    Raises ``ValueError`` for an unknown size or format, or no code.
    """
    if size not in PAPER_MM:
        raise ValueError(f"unknown paper size {size!r}")
    if fmt not in ("pdf", "png"):
        raise ValueError(f"unknown format {fmt!r}")
    if not codes:
        raise ValueError("a poster needs at least one QR code")
    width_mm, height_mm = PAPER_MM[size]
    figure = Figure(figsize=(width_mm / _MM_PER_INCH, height_mm / _MM_PER_INCH))
    canvas = FigureCanvasPdf(figure) if fmt == "pdf" else FigureCanvasAgg(figure)
    scale = width_mm / 210.0  # font sizes shrink with the paper

    def write(y: float, words: str, points: float, *, weight: str = "normal",
              colour: str = "black", wrap: int = 44) -> None:
        lines = textwrap.wrap(words, max(12, int(wrap))) or [""]
        figure.text(0.5, y, "\n".join(lines), ha="center", va="top", fontsize=points * scale,
                    fontweight=weight, color=colour, linespacing=1.25, wrap=False)

    figure.add_artist(Rectangle((0, 0.9), 1, 0.1, transform=figure.transFigure,
                                facecolor=ACCENT, edgecolor="none"))
    figure.text(0.5, 0.965, text.unit, ha="center", va="center", color="white",
                fontsize=20 * scale, fontweight="bold")
    figure.text(0.5, 0.925, text.service, ha="center", va="center", color="white",
                fontsize=14 * scale)
    write(0.875, text.counter, 16, weight="bold", colour=ACCENT)
    write(0.82, text.call, 30, weight="bold", wrap=22)
    write(0.70, text.how, 15, wrap=48)
    qr_size = 0.40 if len(codes) == 1 else 0.36
    gap = (1 - qr_size * len(codes)) / (len(codes) + 1)
    bottom = 0.26
    for i, code in enumerate(codes):
        left = gap + i * (qr_size + gap)
        _draw_qr(figure, code.matrix, (left, bottom, qr_size))
        centre = left + qr_size / 2
        figure.text(centre, bottom - 0.01, code.channel, ha="center", va="top",
                    fontsize=16 * scale, fontweight="bold")
        figure.text(centre, bottom - 0.04, code.handle, ha="center", va="top",
                    fontsize=14 * scale, family="monospace")
    write(0.13, text.steps, 11, wrap=70)
    write(0.06, text.privacy, 10, colour="#444444", wrap=80)
    buffer = io.BytesIO()
    if fmt == "pdf":
        canvas.print_figure(buffer, format="pdf")
    else:
        canvas.print_figure(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
