"""Building Word files with automatic numbering in tests (python-docx has no API for it)."""

import io

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_list(document, abstract_id: int, levels, *, num_id: int, overrides=None) -> int:
    """Add a w:abstractNum with ``levels`` [(numFmt, lvlText, start)] and a w:num using it."""
    numbering = document.part.numbering_part.element
    if not numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']"):
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>'
            for i, (fmt, text, start) in enumerate(levels)
        )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
        )
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)  # schema order: abstractNums before nums
        else:
            numbering.append(abstract)
    override_xml = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in (overrides or {}).items()
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>{override_xml}</w:num>'
        )
    )
    return num_id


def numbered(document, text: str, num_id: int, ilvl: int = 0):
    paragraph = document.add_paragraph(text)
    num_pr = parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    )
    paragraph._p.get_or_add_pPr().append(num_pr)
    return paragraph
