"""Chinese numerals for 第X章 / 第X条 headings, generated so that inserting or moving an
article renumbers everything after it."""

DIGITS = "零一二三四五六七八九"
UNITS = ["", "十", "百", "千"]


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as 条 numbers are written)."""
    if number <= 0:
        raise ValueError("numbering starts at 1")
    if number >= 10000:
        return str(number)
    digits = [int(d) for d in str(number)]
    out, zero_pending = [], False
    for i, digit in enumerate(digits):
        unit = UNITS[len(digits) - i - 1]
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(DIGITS[digit] + unit)
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text
