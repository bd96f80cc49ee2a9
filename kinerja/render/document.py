"""A written report as a list of blocks, and those blocks as DOCX or PDF bytes.

The content of a report (which headings, paragraphs, tables, charts) is decided once, as a
:class:`Document`; :func:`to_docx` and :func:`to_pdf` only lay it out. So the Word original
and its PDF carry the same words and the same numbers, already formatted by
:mod:`kinerja.numbers`.

Pure: blocks in, bytes out. python-docx and fpdf2 are imported inside the two functions
(the CLI's start-up imports neither). The PDF embeds DejaVu Sans, the font matplotlib ships
(already a dependency): PDF's built-in fonts have no "≤", "≥" or "–" (the age groups),
and an embedded Unicode font also makes the text extractable as written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Document",
    "Heading",
    "Image",
    "PageBreak",
    "Paragraph",
    "Signature",
    "Table",
    "Title",
    "to_docx",
    "to_pdf",
]


@dataclass(frozen=True, slots=True)
class Title:
    """Centred lines of the cover (the first is the largest)."""

    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1  #: 1: a BAB, 2: a section inside it


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    bullet: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row; ``widths``: relative column widths (None: equal);
    ``numeric``: columns aligned right."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None
    numeric: frozenset[int] = field(default_factory=frozenset)
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """A PNG, ``width_cm`` wide (its height follows its aspect)."""

    png: bytes
    width_cm: float
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class Signature:
    """The block at the right of the last page: place and date, the office, room to sign,
    the name (underlined), the NIP."""

    lines_before: tuple[str, ...]
    name: str
    lines_after: tuple[str, ...]


Block = Title | Heading | Paragraph | Table | Image | PageBreak | Signature


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    blocks: tuple[Block, ...]


# --- DOCX (python-docx) ----------------------------------------------------------------------

_CM_PER_INCH = 2.54


def to_docx(document: Document) -> bytes:
    """The document as a Word file (A4, 2.5 cm margins, Calibri-like default style): the
    editable original an office files. Tables use Word's "Table Grid" style."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    out = docx.Document()
    out.core_properties.title = document.title
    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    out.styles["Normal"].font.size = Pt(11)
    usable = 21 - 5.0

    for block in document.blocks:
        if isinstance(block, Title):
            for i, line in enumerate(block.lines):
                paragraph = out.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(line)
                run.bold = True
                run.font.size = Pt(18 if i == 0 else 13)
        elif isinstance(block, Heading):
            out.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            out.add_paragraph(block.text, style="List Bullet" if block.bullet else None)
        elif isinstance(block, Table):
            if block.caption:
                caption = out.add_paragraph()
                caption.add_run(block.caption).italic = True
            table = out.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            widths = block.widths or (1.0,) * len(block.header)
            total = sum(widths)
            for row_index, values in enumerate((block.header, *block.rows)):
                cells = table.rows[row_index].cells
                for col, value in enumerate(values):
                    cell = cells[col]
                    cell.width = Cm(usable * widths[col] / total)
                    paragraph = cell.paragraphs[0]
                    run = paragraph.add_run(value)
                    run.font.size = Pt(9.5)
                    if row_index == 0:
                        run.bold = True
                    elif col in block.numeric:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            out.add_paragraph()
        elif isinstance(block, Image):
            out.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
            out.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if block.caption:
                caption = out.add_paragraph()
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption.add_run(block.caption).italic = True
        elif isinstance(block, PageBreak):
            out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Signature):
            for line in block.lines_before:
                out.add_paragraph(line).paragraph_format.left_indent = Cm(9)
            for _ in range(3):
                out.add_paragraph().paragraph_format.left_indent = Cm(9)
            name = out.add_paragraph()
            name.paragraph_format.left_indent = Cm(9)
            run = name.add_run(block.name)
            run.bold = run.underline = True
            for line in block.lines_after:
                out.add_paragraph(line).paragraph_format.left_indent = Cm(9)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# --- PDF (fpdf2) -------------------------------------------------------------------------------


def _font_files() -> dict[str, str]:
    """DejaVu Sans regular/bold/italic from matplotlib's data (shipped with it)."""
    import os

    import matplotlib

    folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    return {
        "": os.path.join(folder, "DejaVuSans.ttf"),
        "B": os.path.join(folder, "DejaVuSans-Bold.ttf"),
        "I": os.path.join(folder, "DejaVuSans-Oblique.ttf"),
    }


def to_pdf(document: Document) -> bytes:
    """The document as an A4 PDF (fpdf2), page numbers in the footer; the same blocks as
    :func:`to_docx`."""
    from fpdf import FPDF
    from fpdf.enums import Align, XPos, YPos

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("dejavu", "", 8)
            self.cell(0, 10, f"{document.title} — {self.page_no()}", align="C")

    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    pdf.set_title(document.title)
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=20)
    for style, path in _font_files().items():
        pdf.add_font("dejavu", style, path)
    pdf.add_page()
    pdf.set_font("dejavu", "", 10.5)
    width = pdf.epw

    def text(value: str, size: float = 10.5, style: str = "", align: str = "J",
             indent: float = 0.0) -> None:
        pdf.set_font("dejavu", style, size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, size * 0.5, value, align=align,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    blocks = document.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Title):
            pdf.ln(50)
            for i, line in enumerate(block.lines):
                text(line, 18 if i == 0 else 13, "B", "C")
                pdf.ln(3)
        elif isinstance(block, Heading):
            # never a heading alone at the foot of a page: with it, what follows (a table or
            # chart that fits on a page) or at least a few lines
            following = next((b for b in blocks[index + 1:] if not isinstance(b, Heading)),
                             None)
            need = 15 + max(30.0, _block_height(following, width))
            if pdf.will_page_break(need if need < pdf.eph else 45):
                pdf.add_page()
            pdf.ln(4 if block.level == 1 else 2)
            text(block.text, 14 if block.level == 1 else 12, "B", "L")
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            if block.bullet:
                text(f"•  {block.text}", indent=4, align="L")
            else:
                text(block.text)
            pdf.ln(1.5)
        elif isinstance(block, Table):
            height = _block_height(block, width)
            if height < pdf.eph and pdf.will_page_break(height):  # a short table stays whole
                pdf.add_page()
            if block.caption:
                text(block.caption, 10, "I", "L")
                pdf.ln(1)
            _pdf_table(pdf, block, width)
            pdf.ln(4)
        elif isinstance(block, Image):
            image_width = min(width, block.width_cm * 10)
            if pdf.will_page_break(_block_height(block, width)):
                pdf.add_page()  # the chart and its caption together
            pdf.image(io.BytesIO(block.png), w=image_width, x=Align.C)
            if block.caption:
                text(block.caption, 9, "I", "C")
            pdf.ln(3)
        elif isinstance(block, PageBreak):
            pdf.add_page()
        elif isinstance(block, Signature):
            if pdf.will_page_break(_block_height(block, width)):
                pdf.add_page()  # the signature block is never split
            pdf.ln(6)
            indent = width * 0.55
            for line in block.lines_before:
                text(line, align="L", indent=indent)
            pdf.ln(20)
            text(block.name, style="BU", align="L", indent=indent)
            for line in block.lines_after:
                text(line, align="L", indent=indent)
    return bytes(pdf.output())


_CELL_PAD = 1.2  # mm inside a table cell, left and right
_LINE = 4.2  # mm per line of 8.5 pt text


def _pdf_table(pdf: Any, block: Table, width: float) -> None:
    """A grid table drawn cell by cell (fpdf2's ``table()`` lays out every cell through its
    text shaper, ~30 times slower for the report's ~1 400 cells). The header row is shaded
    and repeated after a page break; a long value wraps inside its cell."""
    from fpdf.enums import XPos, YPos

    pdf.c_margin = _CELL_PAD
    ratios = block.widths or (1.0,) * len(block.header)
    widths = [width * r / sum(ratios) for r in ratios]

    def lines(text: str, col: int, style: str) -> list[str]:
        pdf.set_font("dejavu", style, 8.5)
        if pdf.get_string_width(text) <= widths[col] - 2 * _CELL_PAD:
            return [text]
        return pdf.multi_cell(widths[col], _LINE, text, dry_run=True, output="LINES")

    def draw(values: tuple[str, ...], header: bool) -> None:
        style = "B" if header else ""
        wrapped = [lines(v, i, style) for i, v in enumerate(values)]
        height = max(len(w) for w in wrapped) * _LINE + 1.0
        if pdf.will_page_break(height):
            pdf.add_page()
            if not header:
                draw(block.header, True)
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_font("dejavu", style, 8.5)
        for col, cell_lines in enumerate(wrapped):
            if header:
                pdf.set_fill_color(230, 236, 245)
                pdf.rect(x, y, widths[col], height, style="DF")
            else:
                pdf.rect(x, y, widths[col], height)
            align = "R" if col in block.numeric and not header else "L"
            for k, text in enumerate(cell_lines):
                pdf.set_xy(x, y + 0.5 + k * _LINE)
                pdf.cell(widths[col], _LINE, text, align=align, new_x=XPos.RIGHT,
                         new_y=YPos.TOP)
            x += widths[col]
        pdf.set_xy(pdf.l_margin, y + height)

    draw(block.header, True)
    for row in block.rows:
        draw(row, False)


def _block_height(block: Block | None, width: float) -> float:
    """About how many mm a block takes on the PDF page (to keep things together)."""
    if isinstance(block, Table):
        return 8 + 5.5 * (len(block.rows) + 1)
    if isinstance(block, Image):
        pixels_w, pixels_h = (int.from_bytes(block.png[i:i + 4], "big") for i in (16, 20))
        return min(width, block.width_cm * 10) * pixels_h / max(1, pixels_w) + 10
    if isinstance(block, Signature):
        return 6 + 20 + 5.5 * (len(block.lines_before) + len(block.lines_after) + 2)
    return 0.0
