"""Find job descriptions (岗位说明书) written inside regulations.

Two shapes occur in real files:
- a heading such as 职位说明 / 岗位职责 followed by one numbered heading per position
  (一、电子商务主管:) with its duties numbered under it (1、负责…);
- one line per position: 电子商务总监:A.岗位职能1.…;2.… then B.任职要求—…;….
"""

import re

from .document import ParsedBlock, ParsedJobDescription

JD_HEADING = re.compile(
    r"职位说明|岗位说明|岗位职责|职位描述|岗位职能|岗位设置|职务说明|職位說明|崗位職責"
)
NOT_A_POSITION = re.compile(r"(部|组|中心|室|处|科|部门|岗位|职责)$")
POSITION_SUFFIX = (
    "总监|经理|主管|专员|助理|美工|组长|文员|客服|编辑|设计师|工程师|策划|会计|出纳|主任|督导|"
    "專員|經理|主管|助理"
)
INLINE_JD = re.compile(
    rf"(?P<position>[\u4e00-\u9fff]{{0,4}}(?:{POSITION_SUFFIX}))\s*[:：]\s*A[.．]\s*岗位职能[—\-:：]*"
    r"(?P<duties>.*)$"
)
REQUIREMENTS = re.compile(r"^B[.．]\s*任职要求[—\-:：]*(?P<text>.*)$")
DUTY_SPLIT = re.compile(r"\s*(?:\d{1,2}[.．、]|[;；])\s*")
EDUCATION = re.compile(r"学历|本科|大专|专科|硕士|毕业|专业")
EXPERIENCE = re.compile(r"经验|年以上|工作经历|从业")


def job_descriptions_from_blocks(blocks: list[ParsedBlock]) -> list[ParsedJobDescription]:
    """Positions listed as headings under a 职位说明-like chapter or section, with duties."""
    found: list[ParsedJobDescription] = []
    scope_level: int | None = None  # inside a JD chapter (0) or section (its level)
    current: ParsedJobDescription | None = None
    position_level: int | None = None
    for block in blocks:
        if block.kind == "chapter":
            scope_level = 0 if JD_HEADING.search(block.text) else None
            current, position_level = None, None
            continue
        if (
            block.kind == "section"
            and scope_level is not None
            and scope_level > 0
            and (block.level <= scope_level)
        ):
            scope_level, current, position_level = None, None, None
        if block.kind == "section" and JD_HEADING.search(block.text) and scope_level is None:
            scope_level, current, position_level = block.level, None, None
            continue
        if scope_level is None:
            continue
        if block.kind == "section" and (position_level is None or block.level == position_level):
            name = block.text.rstrip(":：").strip()
            if NOT_A_POSITION.search(name) or len(name) > 16:
                continue
            position_level = block.level
            current = ParsedJobDescription(position=name)
            found.append(current)
        elif block.kind == "clause" and current is not None:
            current.duties.append(block.text.replace("\n", ""))
    return [jd for jd in found if jd.duties]


def job_descriptions_from_lines(lines: list[str]) -> list[ParsedJobDescription]:
    """Positions written one per line as 职位:A.岗位职能… / B.任职要求…."""
    found: list[ParsedJobDescription] = []
    for line in lines:
        if not isinstance(line, str):
            continue
        match = INLINE_JD.search(line)
        if match:
            duties = [
                d.strip("。 ") for d in DUTY_SPLIT.split(match.group("duties")) if d.strip("。 ")
            ]
            found.append(ParsedJobDescription(position=match.group("position"), duties=duties))
            continue
        requirement = REQUIREMENTS.match(line)
        if requirement and found:
            _assign_requirements(found[-1], requirement.group("text"))
    return found


def _assign_requirements(jd: ParsedJobDescription, text: str) -> None:
    """任职要求 split into education, experience and skills by what each sentence is about."""
    parts = {"education": [], "experience": [], "skills": []}
    for sentence in (s.strip("。 ") for s in re.split(r"[;；]", text)):
        if not sentence:
            continue
        if EDUCATION.search(sentence):
            parts["education"].append(sentence)
        elif EXPERIENCE.search(sentence):
            parts["experience"].append(sentence)
        else:
            parts["skills"].append(sentence)
    jd.education = "；".join(parts["education"])
    jd.experience = "；".join(parts["experience"])
    jd.skills = "；".join(parts["skills"])


JD_TITLE = re.compile(r"(岗位说明书|职位说明书|岗位职责说明书)$")
JD_SECTIONS = {"岗位职责": "duties", "考核指标": "indicators", "任职要求": "requirements"}
JD_LABELS = {
    "直接上级": "reports_to",
    "岗位目的": "purpose",
    "学历": "education",
    "工作经验": "experience",
    "技能": "skills",
}
NUMBERED_ITEM = re.compile(r"^\d{1,2}[.．、]\s*")


def job_description_document(title: str, lines: list) -> ParsedJobDescription | None:
    """A whole file that is one job description (as Zhidu exports them): 岗位职责, 任职要求
    and 考核指标 sections with numbered items and labelled lines."""
    texts = [line.strip() for line in lines if isinstance(line, str) and line.strip()]
    if not JD_TITLE.search(title) or "岗位职责" not in texts:
        return None
    position = JD_TITLE.sub("", title).strip()
    jd = ParsedJobDescription(position=position)
    section = ""
    for text in texts:
        if text.startswith("岗位说明书：") or text.startswith("岗位说明书:"):
            jd.position = text.split("：" if "：" in text else ":", 1)[1].strip() or position
            continue
        if text in JD_SECTIONS:
            section = JD_SECTIONS[text]
            continue
        label, sep, value = text.partition("：")
        if not sep:
            label, sep, value = text.partition(":")
        if sep and label in JD_LABELS:
            setattr(jd, JD_LABELS[label], value.strip())
            continue
        item = NUMBERED_ITEM.sub("", text)
        if section == "duties":
            jd.duties.append(item)
        elif section == "indicators":
            jd.indicators.append(item)
    return jd if jd.duties else None
