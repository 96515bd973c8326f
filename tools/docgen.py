"""Render a small "contract source" markup to PDF, DOCX, TXT and Markdown.

Dev-only helper for tests, samples and benchmarks (not shipped with contratcheck).
The point is to produce documents that exercise the extractors the way real
contracts do: two-column PDFs, hyphenated justified text, ligature characters,
running headers/footers, real Word tables, tracked changes, content controls,
text boxes and footnotes.  Every writer is deterministic (fixed dates, no random
ids) so regenerated fixtures give identical bytes.

Source markup (UTF-8): optional YAML front matter between "---" lines, then
"# heading" lines, paragraphs (lines joined until a blank line; "- " starts a
list-item paragraph), tables (consecutive "|" lines, first row = header), and
verbatim blocks: lines between two "```" fences are kept exactly as written
(spaces, tabs, "+----+" borders; no inline marks), so plain-text tables reach a
TXT or MD file byte for byte (PDF: monospaced lines; DOCX: one paragraph a line).
Inline: {+ins+} {-del-} tracked changes, {{text}} content control, [^note]
footnote; a paragraph starting with "[encadré] " is a text box.
Usage: python tools/docgen.py SOURCE.md OUT_DIR
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

FORMATS = ("pdf", "docx", "txt", "md")  # also the order in which render() returns paths
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
AUTHOR = "contratcheck"
BOX_MARK = "[encadré] "
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_META_KEYS = {"title", "formats", "columns", "header", "footer", "hyphenate",
              "ligatures", "encoding", "transform"}


# ---------------------------------------------------------------- data model

@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "paragraph" | "table" | "verbatim"
    text: str = ""  # heading/paragraph text, inline marks still in it; verbatim lines joined by "\n"
    rows: tuple[tuple[str, ...], ...] = ()  # table rows, first one is the header


@dataclass(frozen=True)
class Source:
    meta: dict
    blocks: tuple[Block, ...]


# ------------------------------------------------------------------- parsing

def parse_source(text: str) -> Source:
    meta: dict = {}
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise ValueError("front matter opened with '---' is never closed")
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
        lines = lines[end + 1:]
    _check_meta(meta)

    blocks: list[Block] = []
    para: list[str] = []
    table: list[tuple[str, ...]] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", " ".join(para)))
            para.clear()
        if table:
            blocks.append(Block("table", rows=tuple(table)))
            table.clear()

    verbatim: list[str] | None = None  # lines of an open ``` block
    for raw in lines:
        line = raw.strip()
        if verbatim is not None:
            if line == "```":
                blocks.append(Block("verbatim", "\n".join(verbatim)))
                verbatim = None
            else:
                verbatim.append(raw)
            continue
        if line.startswith("```"):
            flush()
            verbatim = []
            continue
        if line.startswith("|"):
            if para:
                flush()
            cells = tuple(c.strip() for c in line.strip("|").split("|"))
            # Tolerate a Markdown "|---|---|" separator so .md sources also preview well.
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                table.append(cells)
            continue
        if table or not line:
            flush()
        if not line:
            continue
        if re.match(r"#+\s", line):
            flush()
            blocks.append(Block("heading", line.lstrip("#").strip()))
        elif line.startswith("- "):
            flush()  # each list item is its own paragraph, dash kept
            para.append(line)
        else:
            para.append(line)
    if verbatim is not None:
        raise ValueError("verbatim block opened with '```' is never closed")
    flush()
    return Source(meta=meta, blocks=tuple(blocks))


def load_source(path) -> Source:
    return parse_source(Path(path).read_text(encoding="utf-8"))


def _check_meta(meta: dict) -> None:
    # Fail loudly on typos: a silently ignored "colums: 2" would yield a wrong fixture.
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a YAML mapping")
    unknown = set(meta) - _META_KEYS
    if unknown:
        raise ValueError(f"unknown front-matter key(s): {sorted(unknown)}")
    bad = set(meta.get("formats", [])) - set(FORMATS)
    if bad:
        raise ValueError(f"unknown format(s) {sorted(bad)}; expected some of {FORMATS}")
    if meta.get("transform", "none") not in ("none", "upper", "noaccents"):
        raise ValueError("transform must be none, upper or noaccents")


# ------------------------------------------------------------ inline marks

_INLINE = re.compile(r"\{\+(.*?)\+\}|\{-(.*?)-\}|\{\{(.*?)\}\}|\[\^(.*?)\]")
_KINDS = ("ins", "del", "sdt", "note")


def _segments(text: str, meta: dict) -> list[tuple[str, str]]:
    """Split text into (kind, text) with kind in text/ins/del/sdt/note; transform applied."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos:m.start()]))
        kind = _KINDS[m.lastindex - 1]
        out.append((kind, m.group(m.lastindex)))
        pos = m.end()
    if pos < len(text):
        out.append(("text", text[pos:]))
    return [(k, _transform(t, meta)) for k, t in out]


def _transform(text: str, meta: dict) -> str:
    mode = meta.get("transform", "none")
    if mode == "upper":
        return text.upper()
    if mode == "noaccents":
        decomposed = unicodedata.normalize("NFD", text)
        return unicodedata.normalize("NFC", "".join(
            c for c in decomposed if not unicodedata.combining(c)))
    return text


def _split_box(text: str) -> tuple[bool, str]:
    return (True, text[len(BOX_MARK):]) if text.startswith(BOX_MARK) else (False, text)


def _flat_blocks(source: Source):
    """Yield (kind, text or rows) in final text for the non-Word formats.

    Insertions are kept, deletions dropped; a footnote leaves no inline mark and
    comes back as a "Note N : ..." paragraph after the last block.
    """
    notes: list[str] = []

    def final(raw: str) -> str:
        parts = []
        for kind, seg in _segments(raw, source.meta):
            if kind == "note":
                notes.append(seg)
            elif kind != "del":
                parts.append(seg)
        return re.sub(r" {2,}", " ", "".join(parts)).strip()

    for b in source.blocks:
        if b.kind == "table":
            yield "table", [[final(c) for c in row] for row in b.rows]
        elif b.kind == "verbatim":  # no inline marks, no space squeezing
            yield "verbatim", _transform(b.text, source.meta)
        else:
            yield b.kind, final(_split_box(b.text)[1])
    label = _transform("Note", source.meta)
    for i, note in enumerate(notes, 1):
        yield "paragraph", f"{label} {i} : {note}"


def _title(source: Source) -> str:
    return _transform(str(source.meta.get("title", "")), source.meta)


# --------------------------------------------------------------- TXT and MD

def write_txt(source: Source, path) -> None:
    chunks = [_title(source)] if source.meta.get("title") else []
    for kind, content in _flat_blocks(source):
        chunks.append("\n".join(" | ".join(r) for r in content) if kind == "table" else content)
    encoding = source.meta.get("encoding", "utf-8")
    Path(path).write_text("\n\n".join(chunks) + "\n", encoding=encoding, newline="\n")


def write_md(source: Source, path) -> None:
    def row(cells):
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    chunks = [f"# {_title(source)}"] if source.meta.get("title") else []
    for kind, content in _flat_blocks(source):
        if kind == "table":
            width = max(len(r) for r in content)
            lines = [row(content[0]), "|" + "---|" * width] + [row(r) for r in content[1:]]
            chunks.append("\n".join(lines))
        else:
            chunks.append(f"# {content}" if kind == "heading" else content)
    Path(path).write_text("\n\n".join(chunks) + "\n", encoding="utf-8", newline="\n")


# ----------------------------------------------------- French hyphenation

_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæ")
# Consonant pairs that start a French syllable together and are never split.
_ONSETS = {"bl", "cl", "fl", "gl", "pl", "br", "cr", "dr", "fr", "gr", "pr", "tr",
           "vr", "ch", "ph", "th", "gn"}
_LONG_WORD = re.compile(r"[^\W\d_]{8,}")
SHY = "\u00ad"


def _syllable_breaks(word: str) -> list[int]:
    """Indices where a French word may break: V-CV, VC-CV, VC-CCV for onset pairs.

    A heuristic, not a dictionary: good enough for fpdf2 to hyphenate plausibly
    (ser-vice, ré-ta-blis-se-ment, ins-truc-tion), and it keeps >= 3 letters on
    each side so no line ends in a lone syllable such as "a-".
    """
    low, n, i, breaks = word.lower(), len(word), 0, []
    while i < n and low[i] not in _VOWELS:
        i += 1
    while i < n:
        while i < n and low[i] in _VOWELS:
            i += 1
        start = i
        while i < n and low[i] not in _VOWELS:
            i += 1
        if i >= n or i == start:
            break  # trailing consonants stay with the last syllable
        cluster = low[start:i]
        if len(cluster) == 1:
            pos = start
        elif cluster[-2:] in _ONSETS:
            pos = i - 2
        else:
            pos = i - 1
        if 3 <= pos <= n - 3:
            breaks.append(pos)
    return breaks


def hyphenate(text: str) -> str:
    """Insert soft hyphens into words of >= 8 letters (fpdf2 prints '-' if it breaks there)."""
    def one(m: re.Match) -> str:
        w = m.group(0)
        cuts = [0, *_syllable_breaks(w), len(w)]
        return SHY.join(w[a:b] for a, b in zip(cuts, cuts[1:]))
    return _LONG_WORD.sub(one, text)


# ---------------------------------------------------------------------- PDF

def write_pdf(source: Source, path) -> None:
    from fpdf import FPDF

    meta = source.meta
    fonts = {"": FONT_DIR / "DejaVuSerif.ttf", "B": FONT_DIR / "DejaVuSerif-Bold.ttf"}
    if not all(p.exists() for p in fonts.values()):
        raise RuntimeError(f"DejaVu fonts not found in {FONT_DIR}: "
                           "install them with 'apt-get install fonts-dejavu-core'")
    header = _transform(str(meta.get("header", "")), meta)
    footer = _transform(str(meta.get("footer", "")), meta)
    page_label = _transform("Page", meta)

    class ContractPDF(FPDF):
        # fpdf2 calls these on every add_page(), including breaks inside text_columns.
        def header(self) -> None:
            if header:
                self.set_font("DejaVu", "", 8)
                self.set_xy(self.l_margin, 10)
                self.cell(0, 5, header, align="C")
                self.set_xy(self.l_margin, self.t_margin)  # body starts at the margin

        def footer(self) -> None:
            if footer:
                self.set_font("DejaVu", "", 8)
                self.set_y(-14)
                self.cell(0, 5, f"{footer} – {page_label} {self.page_no()} / {{nb}}", align="C")

    pdf = ContractPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)  # fixed date => fixed /ID => identical bytes
    pdf.set_title(_title(source) or "Contrat")
    pdf.set_creator("contratcheck docgen")
    pdf.set_producer("contratcheck docgen")
    pdf.alias_nb_pages()
    for style, font in fonts.items():
        pdf.add_font("DejaVu", style, str(font))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    if meta.get("title"):
        pdf.set_font("DejaVu", "B", 14)
        pdf.multi_cell(0, 7, _title(source), align="C")
        pdf.ln(4)

    ncols = int(meta.get("columns", 1))
    align = "J" if meta.get("hyphenate") else "L"

    def prepare(text: str, heading: bool = False) -> str:
        if meta.get("hyphenate") and not heading:  # titles are never hyphenated
            text = hyphenate(text)
        if meta.get("ligatures"):  # after hyphenation so a soft hyphen never splits "fi"
            text = text.replace("fi", "\ufb01").replace("fl", "\ufb02")
        return text

    def prepare_verbatim(text: str) -> str:
        # Tabs have no glyph: expand them to the next multiple of 8 columns, as a terminal would.
        return text.expandtabs(8)

    # Text flows in text_columns regions; a table closes the current region and is
    # drawn at full width, then a new region starts below it.
    pending: list[tuple[str, str]] = []

    def flush_text() -> None:
        if not pending:
            return
        pdf.set_font("DejaVu", "", 10)
        cols = pdf.text_columns(ncols=ncols, gutter=8, balance=ncols > 1,
                                text_align=align, line_height=1.3)
        with cols:
            for kind, text in pending:
                bold = kind == "heading"
                pdf.set_font("DejaVu", "B" if bold else "", 11 if bold else 10)
                with cols.paragraph(text_align="L" if bold else align,
                                    top_margin=3 if bold else 0, bottom_margin=2) as par:
                    par.write(prepare(text, heading=bold))
        pending.clear()

    blocks = list(_flat_blocks(source))
    if any(kind == "verbatim" for kind, _ in blocks):  # only then, so other PDFs keep their bytes
        pdf.add_font("DejaVuMono", "", str(FONT_DIR / "DejaVuSansMono.ttf"))
    for kind, content in blocks:
        if kind == "verbatim":
            flush_text()
            pdf.set_font("DejaVuMono", "", 8)
            pdf.ln(2)
            for text_line in content.split("\n"):
                pdf.set_x(pdf.l_margin)
                pdf.cell(0, 4, prepare_verbatim(text_line), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            continue
        if kind != "table":
            pending.append((kind, content))
            continue
        flush_text()
        pdf.set_font("DejaVu", "", 9)
        pdf.set_x(pdf.l_margin)
        pdf.ln(2)
        width = max(len(r) for r in content)
        with pdf.table(width=pdf.epw, text_align="LEFT", line_height=5,
                       padding=1.5) as table:
            for row in content:
                cells = table.row()
                for cell in list(row) + [""] * (width - len(row)):
                    cells.cell(prepare(cell))
        pdf.ln(3)
    flush_text()
    pdf.output(str(path))


# --------------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DATE = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


class _DocxBuilder:
    """Turns inline segments into raw OOXML runs; keeps the id counters and the notes.

    python-docx has no API for revisions, content controls, text boxes or
    footnotes, so runs are written as XML strings and parsed once per paragraph.
    """

    def __init__(self, meta: dict):
        self.meta = meta
        self.last_id = 1  # w:ins/w:del/w:sdt/shape ids: unique and deterministic
        self.notes: list[str] = []

    def _id(self) -> int:
        self.last_id += 1
        return self.last_id

    @staticmethod
    def _run(text: str, bold: bool = False, tag: str = "w:t") -> str:
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return f'<w:r>{rpr}<{tag} xml:space="preserve">{escape(text)}</{tag}></w:r>'

    def runs(self, raw: str, bold: bool = False) -> str:
        out = []
        for kind, text in _segments(raw, self.meta):
            if kind == "text":
                out.append(self._run(text, bold))
            elif kind in ("ins", "del"):
                run = self._run(text, bold, "w:delText" if kind == "del" else "w:t")
                out.append(f'<w:{kind} w:id="{self._id()}" w:author="{AUTHOR}" '
                           f'w:date="{_DATE}">{run}</w:{kind}>')
            elif kind == "sdt":
                out.append(f'<w:sdt><w:sdtPr><w:alias w:val="Champ"/><w:id w:val="{self._id()}"/>'
                           f'</w:sdtPr><w:sdtContent>{self._run(text, bold)}</w:sdtContent></w:sdt>')
            else:  # note: only the reference mark here, the text goes to footnotes.xml
                self.notes.append(text)
                out.append('<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                           f'<w:footnoteReference w:id="{len(self.notes)}"/></w:r>')
        return "".join(out)

    def fill(self, p, raw: str, bold: bool = False, box: bool = False) -> None:
        """Append the content of `raw` to the w:p element `p`, or a text box holding it."""
        from docx.oxml import parse_xml

        content = self.runs(raw, bold)
        if box:  # a VML text box anchored in p; its own paragraph holds the text
            content = (f'<w:r><w:pict><v:shape id="TextBox{self._id()}" type="#_x0000_t202" '
                       'style="width:450pt;height:40pt"><v:textbox style="mso-fit-shape-to-'
                       f'text:t"><w:txbxContent><w:p>{content}</w:p></w:txbxContent>'
                       '</v:textbox></v:shape></w:pict></w:r>')
        p.extend(parse_xml(f'<w:p xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml">'
                           f'{content}</w:p>'))

    def verbatim(self, p, text: str) -> None:
        """One verbatim line in `p`: monospaced, spaces kept, each tab a real w:tab."""
        from docx.oxml import parse_xml

        rpr = ('<w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>'
               '<w:sz w:val="18"/></w:rPr>')
        pieces = "<w:tab/>".join(f'<w:t xml:space="preserve">{escape(t)}</w:t>' for t in text.split("\t"))
        p.extend(parse_xml(f'<w:p xmlns:w="{W_NS}"><w:pPr><w:spacing w:after="0"/></w:pPr>'
                           f'<w:r>{rpr}{pieces}</w:r></w:p>'))

    def footnotes_xml(self) -> bytes:
        notes = "".join(
            f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
            f'</w:rPr><w:footnoteRef/></w:r>{self._run(" " + t)}</w:p></w:footnote>'
            for i, t in enumerate(self.notes, 1))
        # Ids -1 and 0 are the separator notes Word expects before the real ones.
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes '
                f'xmlns:w="{W_NS}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
                '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuation'
                'Separator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
                f'</w:footnote>{notes}</w:footnotes>').encode()


def write_docx(source: Source, path) -> None:
    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.shared import Mm

    meta = source.meta
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # template is US Letter
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    if meta.get("header"):
        section.header.paragraphs[0].text = _transform(str(meta["header"]), meta)
    if meta.get("footer"):
        section.footer.paragraphs[0].text = _transform(str(meta["footer"]), meta)

    props = doc.core_properties
    props.title = _title(source)
    props.author = props.last_modified_by = AUTHOR
    props.comments = ""
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1

    build = _DocxBuilder(meta)
    if meta.get("title"):
        build.fill(doc.add_paragraph(style="Title")._p, str(meta["title"]))
    for block in source.blocks:
        if block.kind == "heading":
            build.fill(doc.add_paragraph(style="Heading 1")._p, block.text)
        elif block.kind == "paragraph":
            is_box, text = _split_box(block.text)
            build.fill(doc.add_paragraph()._p, text, box=is_box)
        elif block.kind == "verbatim":
            for text_line in _transform(block.text, meta).split("\n"):
                build.verbatim(doc.add_paragraph()._p, text_line)
        else:
            width = max(len(r) for r in block.rows)
            table = doc.add_table(rows=len(block.rows), cols=width)
            table.style = "Table Grid"
            for i, row in enumerate(block.rows):
                for j, cell in enumerate(row):
                    build.fill(table.cell(i, j).paragraphs[0]._p, cell, bold=i == 0)

    if build.notes:  # python-docx has no footnotes part: add one by hand
        part = Part(PackURI("/word/footnotes.xml"), _FOOTNOTES_CT,
                    build.footnotes_xml(), doc.part.package)
        doc.part.relate_to(part, _FOOTNOTES_RT)

    buf = io.BytesIO()
    doc.save(buf)
    _write_stable_zip(buf.getvalue(), Path(path))


def _write_stable_zip(data: bytes, path: Path) -> None:
    """Re-zip with fixed timestamps: python-docx stamps every member with 'now'."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            out.writestr(member, src.read(info.filename))


# ------------------------------------------------------------------ render

_WRITERS = {"pdf": write_pdf, "docx": write_docx, "txt": write_txt, "md": write_md}


def render(source_path, out_dir, stem=None) -> list[Path]:
    source_path, out_dir = Path(source_path), Path(out_dir)
    source = load_source(source_path)
    wanted = source.meta.get("formats", ["txt"])
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in FORMATS:
        if fmt in wanted:
            target = out_dir / f"{stem or source_path.stem}.{fmt}"
            _WRITERS[fmt](source, target)
            paths.append(target)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tools/docgen.py SOURCE.md OUT_DIR")
    for written in render(sys.argv[1], sys.argv[2]):
        print(written)
