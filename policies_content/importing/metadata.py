"""Lift document-control lines (文件编号:, 版本:, 编制:, 生效日期:, 发字〔…〕号) into fields.

Only what the source states is kept: a label with nothing after it (编制:) or a blank to fill
in (编制人:______) stays blank, never guessed.
"""

import datetime
import re

LABELS = {
    "document_number": ("文件编号", "文件编码", "文件號", "文件编号号"),
    "version": ("版本号", "版本", "版次"),
    "prepared_by": ("编制人", "编制", "拟制", "起草人"),
    "reviewed_by": ("审核人", "审核"),
    "approved_by": ("批准人", "批准"),
    "effective_date": ("生效日期", "实施日期", "施行日期"),
    "distribution": ("受文部门", "分发部门", "发放范围"),
    "issuance_number": ("发文字号",),
}
LABEL_TO_KEY = {label: key for key, labels in LABELS.items() for label in labels}
LABEL_RE = "|".join(sorted(LABEL_TO_KEY, key=len, reverse=True))
PAIR = re.compile(
    rf"(?P<label>{LABEL_RE})\s*[:：]\s*(?P<value>[^:：]*?)(?=(?:{LABEL_RE}|日期)\s*[:：]|$)"
)
ISSUANCE = re.compile(
    r"[\u4e00-\u9fff]{1,6}字\s*[\[〔【(（]\s*[\d_＿]{2,4}\s*[\]〕】)）]\s*[\d_]{1,4}\s*号"
)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def control_table_lines(rows: list[list[str]]) -> list[str] | None:
    """A document-control table (文件编号 | …, 版本 | …) as "label:value" lines; None when the
    table is something else."""
    if not rows or any(len(row) < 2 for row in rows):
        return None
    if not all(row[0].strip() in LABEL_TO_KEY for row in rows):
        return None
    return [f"{row[0].strip()}:{row[1].strip()}" for row in rows]


def extract_metadata(lines: list[str], *, scan: int = 15) -> tuple[dict[str, str], list[str]]:
    """Metadata found in the first lines, and the lines with those parts removed."""
    found: dict[str, str] = {}
    out: list[str] = []
    for index, line in enumerate(lines):
        if index >= scan or not isinstance(line, str):
            out.append(line)
            continue
        remaining = line
        issuance = ISSUANCE.search(remaining)
        if issuance and "issuance_number" not in found:
            found["issuance_number"] = issuance.group(0).replace(" ", "")
            remaining = (remaining[: issuance.start()] + remaining[issuance.end() :]).strip()
        pairs = list(PAIR.finditer(remaining))
        if pairs and pairs[0].start() == 0:
            for pair in pairs:
                key = LABEL_TO_KEY[pair.group("label")]
                value = _clean_value(pair.group("value"))
                if value and key not in found:
                    found[key] = _normalise(key, value)
            remaining = remaining[pairs[-1].end() :].strip()
        elif pairs:  # title line that ends with 编制人:___审核人:___日期:___
            head = remaining[: pairs[0].start()]
            for pair in pairs:
                key = LABEL_TO_KEY[pair.group("label")]
                value = _clean_value(pair.group("value"))
                if value and key not in found:
                    found[key] = _normalise(key, value)
            remaining = head.strip()
        remaining = re.sub(r"^日期\s*[:：]\s*[_＿\s]*", "", remaining)
        if remaining:
            out.append(remaining)
    return found, out


def _clean_value(value: str) -> str:
    value = value.strip().strip("_＿").strip()
    return "" if set(value) <= set("_＿ ") else value


def _normalise(key: str, value: str) -> str:
    if key != "effective_date":
        return value
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value
