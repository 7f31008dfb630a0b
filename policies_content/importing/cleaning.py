"""Remove what download sites and scraping add to real regulation files.

Lines are cleaned one by one (boilerplate, page markers, pinyin annotations), then line wraps
that broke a sentence are joined. Traditional characters are kept as written: search
normalises them later, and the text HR imported must stay the text they had.
"""

import re
import unicodedata

# Tone-marked pinyin in brackets right after a Han character: 運(yùn)營 → 運營.
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN_ANNOTATION = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（](?=[a-z{TONE_VOWELS}]*[{TONE_VOWELS}])[a-z{TONE_VOWELS}]{{1,7}}[)）]"
)
PAGE_MARKER = re.compile(r"^.{0,80}_第\s*\d+\s*[页頁]$")
BOILERPLATE_LINES = [
    re.compile(p)
    for p in (
        r"^-\s*(格式|大小|文档页数|文檔頁數|页数|頁數)\s*[:：]",
        r"^-\s*\d+、.*(文档|文檔|下载|下載|预览|預覽|客服|侵犯|权益)",
        r"^[•·●]\s*\d+\.",
        r"^(下载本文档|下載本文檔|文档简介|文檔簡介|温馨提示|溫馨提示|最新文档|最新文檔|评论|評論"
        r"|提交评论|提交評論|相关文档|相關文檔|猜你喜欢|猜你喜歡)$",
        r"^\d+/\d+$",
        r"^(版权说明|版權說明|免责声明|免責聲明)",
        r"^已[阅閱][读讀]\d+[页頁]",
        r"^以下是.{0,40}(范本|范文|示例|样本|模板).{0,20}[:：]$",
        r"^本文[档檔]可根据实际情况进行修改和使用",
        r"^.{1,80}\.(doc|docx|pdf|ppt|pptx|wps)$",
    )
]
SENTENCE_END = "。；;！!？?：:」”』）)】"
STRUCTURE_START = re.compile(
    r"^(第[一二三四五六七八九十百零〇两\d]+[章条節节]|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]"
    r"|\d{1,2}[、.．]|[A-Za-z][.．、]|[-•·●])"
)
LABELLED = re.compile(r"^[^\s:：，,。；;]{2,8}\s*[:：]")  # 文件编号:… 生效日期:…


def strip_pinyin(text: str) -> str:
    return PINYIN_ANNOTATION.sub("", text)


def is_boilerplate(line: str) -> bool:
    return bool(PAGE_MARKER.match(line)) or any(p.search(line) for p in BOILERPLATE_LINES)


def clean_line(text: str) -> str:
    """One line: normalise spaces (keeping full-width punctuation), drop pinyin annotations."""
    text = text.replace("\u3000", " ").replace("\xa0", " ").replace("\ufeff", "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch == "\t")
    return strip_pinyin(text).strip()


def clean_lines(lines: list[str]) -> list[str]:
    """Cleaned lines with boilerplate dropped and broken wraps joined; blank lines kept as ""."""
    kept: list[str] = []
    for raw in lines:
        line = clean_line(raw)
        if line and is_boilerplate(line):
            continue
        kept.append(line)
    return join_wrapped(kept)


def join_wrapped(lines: list[str]) -> list[str]:
    """Join a line to the next when a fixed-width wrap cut a sentence in two.

    A wrap is recognised by a long line that does not end a sentence, followed by a line that
    does not start a new numbered item. Short lines (titles, headings) are never joined.
    """
    out: list[str] = []
    for line in lines:
        if (
            out
            and line
            and out[-1]
            and len(out[-1]) >= 18
            and out[-1][-1] not in SENTENCE_END
            and not STRUCTURE_START.match(line)
            and not LABELLED.match(line)
            and not _looks_like_title(line)
            and not _looks_like_title(out[-1])
        ):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out


def _looks_like_title(line: str) -> bool:
    from .splitting import title_candidate

    return title_candidate(line) is not None
