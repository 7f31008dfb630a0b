"""Read a .docx into SourceLines: text, heading level, automatic numbering, bold lead, tables.

Word keeps the numbers of 第一条 / （一） in the numbering part, not in the text, when the author
used automatic numbering; the parser needs them to find articles, so they are computed here the
way Word prints them. Uploaded files are untrusted: the zip is inspected before python-docx
inflates it, and every failure becomes a DocxReadError with a message a user can act on.
"""

import io
import re
import zipfile
import zlib

import docx
from django.utils.translation import gettext as _
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from lxml import etree

from policies_content.block_numbering import with_label
from policies_content.importing.document import SourceLine
from policies_content.numbering import chinese_numeral

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECK_ABOVE = 10 * 1024 * 1024
MAX_MEMBERS = 10_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
TITLE_STYLES = {"title", "标题"}
CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
                   "taiwaneseCountingThousand", "japaneseCounting"}  # fmt: skip
LEGAL_DIGITS = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
         (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip
# Runs inside text boxes (and their VML fallback copies) or moved-away revisions are not part
# of the paragraph's text; runs in hyperlinks, insertions, fields and content controls are.
PARAGRAPH_RUNS = etree.XPath(
    ".//w:r[not(ancestor::w:txbxContent or ancestor::mc:Fallback or ancestor::w:moveFrom)]",
    namespaces={
        "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    },
)


class DocxReadError(Exception):
    """A .docx that cannot be read; ``message`` is shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_docx(data: bytes) -> list[SourceLine]:
    """Paragraphs and tables of the document body, in the order they appear."""
    _check_container(data)
    try:
        document = docx.Document(io.BytesIO(data))
        styles = _Styles(document.styles.element)
        numbering = _Numbering(document.part, styles)
        lines: list[SourceLine] = []
        for element in _body_elements(document.element.body):
            if element.tag == qn("w:tbl"):
                rows = _table_rows(Table(element, document._body), numbering)
                if rows:
                    lines.append(SourceLine(text="", table=rows))
                continue
            line = _paragraph_line(element, styles, numbering)
            if line.text:
                lines.append(line)
        return lines
    # Broad on purpose: python-docx assumes well-formed parts, and a password-protected zip
    # member raises RuntimeError; whatever breaks, the user is told the file is unreadable.
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, IndexError, TypeError,
            AttributeError, etree.XMLSyntaxError, PackageNotFoundError, SyntaxError, OSError,
            EOFError, RuntimeError, NotImplementedError) as exc:  # fmt: skip
        raise DocxReadError(_("The Word file is damaged or is not a .docx file.")) from exc


def _check_container(data: bytes) -> None:
    """Refuse encrypted and legacy files and zip bombs before anything is inflated."""
    if data.startswith(OLE_MAGIC):
        if b"EncryptedPackage" in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise DocxReadError(_("The Word file is encrypted; remove the password and try again."))
        raise DocxReadError(
            _("Legacy .doc files are not supported; open it in Word and save it as .docx.")
        )
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise DocxReadError(_("The Word file is damaged or is not a .docx file.")) from exc
    # The declared sizes bound what zipfile will inflate, so checking them is enough.
    too_big = (
        len(members) > MAX_MEMBERS
        or sum(m.file_size for m in members) > MAX_UNCOMPRESSED
        or any(
            m.file_size > RATIO_CHECK_ABOVE and m.file_size / max(m.compress_size, 1) > MAX_RATIO
            for m in members
        )
    )
    if too_big:
        raise DocxReadError(
            _(
                "The Word file expands to more than %(limit)s MB; it may be a zip bomb "
                "and was not opened."
            )
            % {"limit": MAX_UNCOMPRESSED // (1024 * 1024)}
        )


def _body_elements(container):
    """w:p and w:tbl in order, looking inside block-level content controls (cover pages, TOCs)."""
    for child in container.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _body_elements(content)
        elif child.tag == qn("w:customXml"):
            yield from _body_elements(child)


def _paragraph_line(p, styles: "_Styles", numbering: "_Numbering") -> SourceLine:
    label = numbering.label_for(p)  # even for empty paragraphs: Word counts them too
    runs = PARAGRAPH_RUNS(p)
    text = "".join(r.text for r in runs).strip()
    if not text:
        return SourceLine(text="")
    return SourceLine(
        text=text,
        heading=styles.heading_level(p),
        numbering=label,
        bold_prefix=_bold_prefix(runs, styles),
    )


def _bold_prefix(runs: list, styles: "_Styles") -> str:
    prefix = []
    for r in (r for r in runs if r.text):
        if not styles.is_bold(r):
            break
        prefix.append(r.text)
    return "".join(prefix).strip()


class _Styles:
    """Style lookups on the styles XML, cached: python-docx's own lookup scans every style per
    call, which made a 2,000-paragraph file take seconds."""

    def __init__(self, root):
        self.by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
        self.defaults = {
            s.get(qn("w:type")): s.get(qn("w:styleId"))
            for s in root.findall(qn("w:style"))
            if s.get(qn("w:default")) in ("1", "true", "on")
        }
        self._headings: dict[str | None, tuple[int | None, int | None]] = {}

    def chain(self, style_id: str | None, kind: str) -> list:
        """The style (or the default of its kind) and the styles it is based on."""
        style_id = style_id if style_id in self.by_id else self.defaults.get(kind)
        chain, seen = [], set()
        while style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            chain.append(self.by_id[style_id])
            style_id = _val(self.by_id[style_id], "w:basedOn")
        return chain

    def paragraph_chain(self, p) -> list:
        return self.chain(_val(p.find(qn("w:pPr")), "w:pStyle"), "paragraph")

    def heading_level(self, p) -> int | None:
        """Title → 1, Heading N → N + 1; else an outline level on the paragraph or its style
        (w:outlineLvl 0 is Heading 1's level, so 2; 9 means body text)."""
        p_pr = p.find(qn("w:pPr"))
        style_id = _val(p_pr, "w:pStyle")
        if style_id not in self._headings:
            self._headings[style_id] = self._style_heading(self.paragraph_chain(p))
        by_name, style_outline = self._headings[style_id]
        if by_name is not None:
            return by_name
        outline = int(_val(p_pr, "w:outlineLvl") or style_outline or 9)
        return outline + 2 if 0 <= outline <= 8 else None

    @staticmethod
    def _style_heading(chain: list) -> tuple[int | None, int | None]:
        """(heading level by style name, first outline level set in the chain)."""
        for style in chain:
            name = (_val(style, "w:name") or "").strip()
            if name.lower() in TITLE_STYLES:
                return 1, None
            match = HEADING_STYLE.match(name)
            if match and int(match.group(1)) >= 1:
                return int(match.group(1)) + 1, None
        outlines = [_val(style.find(qn("w:pPr")), "w:outlineLvl") for style in chain]
        return None, next((level for level in outlines if level is not None), None)

    def is_bold(self, r) -> bool:
        """Bold set on the run, else by its character style (paragraph styles do not count:
        a bold heading has no bold *prefix*)."""
        r_pr = r.find(qn("w:rPr"))
        style_id = _val(r_pr, "w:rStyle")
        styles = self.chain(style_id, "character") if style_id else []
        for props in [r_pr] + [style.find(qn("w:rPr")) for style in styles]:
            bold = props.find(qn("w:b")) if props is not None else None
            if bold is not None:
                return bold.get(qn("w:val"), "true") not in ("0", "false", "off")
        return False


def _table_rows(table: Table, numbering: "_Numbering") -> list[list[str]]:
    """Cell texts per row; a cell spanning several grid columns is read once. Numbered
    paragraphs in cells keep their numbers (and advance the lists, as in Word)."""
    # A vertically merged cell recurs in later rows: read (and number) it once. Keyed by the
    # element itself, which keeps the lxml proxy alive and its identity stable.
    texts: dict = {}
    rows = []
    for row in table.rows:
        values, previous = [], None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            if cell._tc not in texts:
                texts[cell._tc] = "\n".join(
                    with_label(
                        numbering.label_for(p._p), "".join(r.text for r in PARAGRAPH_RUNS(p._p))
                    )
                    for p in cell.paragraphs
                ).strip()
            values.append(texts[cell._tc])
        rows.append(values)
    return rows


class _Numbering:
    """Word's automatic list numbering, replayed paragraph by paragraph in document order.

    Counters are kept per abstract list, as Word continues a list across w:num instances that
    share one; a w:num with a w:startOverride restarts the overridden levels when first used.
    """

    def __init__(self, document_part, styles: _Styles):
        try:
            root = document_part.part_related_by(RT.NUMBERING).element
        except (KeyError, AttributeError):
            root = None
        children = list(root) if root is not None else []
        self.nums = {e.get(qn("w:numId")): e for e in children if e.tag == qn("w:num")}
        self.abstracts = {
            e.get(qn("w:abstractNumId")): e for e in children if e.tag == qn("w:abstractNum")
        }
        self.styles = styles
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()

    def label_for(self, p) -> str:
        """The number Word prints before paragraph ``p``; advances the counters."""
        try:
            return self._label(p)
        except (ValueError, TypeError, AttributeError, KeyError):
            return ""  # malformed definitions: the text is still usable without numbers

    def _label(self, p) -> str:
        num_id, ilvl = self._num_pr(p)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        num = self.nums[num_id]
        abstract_id = _val(num, "w:abstractNumId")
        levels = {
            int(lvl.get(qn("w:ilvl"))): lvl
            for lvl in self.abstracts[abstract_id].findall(qn("w:lvl"))
        }
        starts = {i: int(_val(lvl, "w:start") or 1) for i, lvl in levels.items()}
        counters = self.counters.setdefault(abstract_id, {})
        for override in num.findall(qn("w:lvlOverride")):
            level = int(override.get(qn("w:ilvl")))
            if (lvl := override.find(qn("w:lvl"))) is not None:
                levels[level] = lvl
                starts[level] = int(_val(lvl, "w:start") or 1)
            if (start := _val(override, "w:startOverride")) is not None:
                starts[level] = int(start)
                if num_id not in self.started:
                    counters.pop(level, None)
        self.started.add(num_id)
        if ilvl not in levels:
            return ""
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else starts.get(ilvl, 1)
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        if _val(levels[ilvl], "w:numFmt") in ("bullet", "none"):
            return ""

        def render(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            if level not in levels:
                return ""
            value = counters.get(level, starts.get(level, 1))
            return _format_number(value, _val(levels[level], "w:numFmt") or "decimal")

        return re.sub(r"%([1-9])", render, _val(levels[ilvl], "w:lvlText") or "").strip()

    def _num_pr(self, p) -> tuple[str | None, int]:
        """numId and level from the paragraph, else from its style chain."""
        num_id, ilvl = None, None
        for owner in [p, *self.styles.paragraph_chain(p)]:
            p_pr = owner.find(qn("w:pPr"))
            num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
            num_id = num_id if num_id is not None else _val(num_pr, "w:numId")
            ilvl = ilvl if ilvl is not None else _val(num_pr, "w:ilvl")
        return num_id, int(ilvl or 0)


def _val(element, tag: str) -> str | None:
    """w:val of ``element``'s child ``tag``; None when either is missing."""
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _format_number(value: int, fmt: str) -> str:
    """A counter value as the level's w:numFmt prints it; unknown formats print as decimal."""
    if value >= 1:
        if fmt in CHINESE_FORMATS:
            return chinese_numeral(value)
        if fmt == "chineseLegalSimplified":
            text = chinese_numeral(value)
            return ("一" + text if text.startswith("十") else text).translate(LEGAL_DIGITS)
        if fmt == "ideographDigital":
            return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
        if fmt == "ideographTraditional" and value <= len(HEAVENLY_STEMS):
            return HEAVENLY_STEMS[value - 1]  # 甲乙丙丁: Word's "traditional" list
        if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and value <= 20:
            return chr(0x2460 + value - 1)
        if fmt in ("lowerLetter", "upperLetter"):
            letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
            return letters if fmt == "lowerLetter" else letters.upper()
        if fmt in ("lowerRoman", "upperRoman") and value < 4000:
            roman = ""
            for number, numeral in ROMAN:
                count, value = divmod(value, number)
                roman += numeral * count
            return roman if fmt == "lowerRoman" else roman.upper()
    if fmt == "decimalZero" and value < 10:
        return f"0{value}"
    if fmt == "decimalFullWidth":
        return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return str(value)
