"""Clause-level comparison of two versions of a regulation (修订对照).

A reader asks "what changed between V1.0 and V2.0?", and the answer must not drown in
renumbering: inserting one article renumbers every article after it, but those articles did
not change. So blocks are matched as articles, never by their numbers:

1. by ``uid`` (the StreamField block id, kept when an editor renumbers or moves an article);
2. the rest by exact normalised text (NFKC, whitespace removed): same text ⇒ same block;
3. the rest by similarity (difflib ratio ≥ 0.5 of the normalised text, same block kind, best
   pairs first; ratios only for a shortlist of pairs sharing most character bigrams) ⇒ an
   edited block;
4. what is left was added or removed.

A matched block whose text is the same is "unchanged", or "moved" when its order relative to
the other matched blocks changed (it is off the longest run kept in order). Labels are the
generated numbers of ``number_blocks``, so both versions are numbered by the same rules.

An article's 款/项 are compared the same way, inside the matched article, and carried on the
article's Change as ``clauses`` (a list of Changes with block_kind "clause"). An article whose
own text is the same but whose clauses differ is "changed". The summary counts are of
top-level blocks (what a revision notice calls 新增/删除/修改 N 条), not of clauses.

Pure functions over ParsedDocuments: no models, so issued versions (``parsed_from_dict`` of
their content), drafts and imported files compare alike.
"""

import difflib
import heapq
import re
import unicodedata
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from policies_content.block_numbering import number_blocks
from policies_content.importing.document import ParsedBlock, ParsedDocument

ChangeKind = Literal["added", "removed", "changed", "moved", "unchanged"]
SegmentOp = Literal["equal", "insert", "delete"]

SIMILAR = 0.5
# How many of the most alike leftover blocks each block is fully compared with.
SHORTLIST = 3
# An unchanged stretch this short between two edits is shown inside the edit: "删甲乙" is easier
# to read than "删甲" + "的" + "删乙".
SHORT_EQUAL = 1
WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as compared: NFKC (full-width digits, compatibility forms) without whitespace."""
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


@dataclass
class Change:
    """One block of either version and what happened to it.

    ``segments`` (for "changed") is the new text split into ("equal" | "insert" | "delete",
    text) runs for inline highlighting; ``clauses`` are an article's 款/项 compared in turn.
    """

    kind: ChangeKind
    block_kind: str
    old_label: str = ""
    new_label: str = ""
    old_text: str = ""
    new_text: str = ""
    uid: str = ""
    segments: list[tuple[SegmentOp, str]] = field(default_factory=list)
    clauses: list["Change"] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.new_label or self.old_label

    @property
    def relabelled(self) -> bool:
        """Present in both versions under different numbers (e.g. 第五条 → 第六条)."""
        return bool(self.old_label and self.new_label and self.old_label != self.new_label)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "block_kind": self.block_kind,
            "old_label": self.old_label,
            "new_label": self.new_label,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "uid": self.uid,
            "segments": [[op, text] for op, text in self.segments],
            "clauses": [clause.to_dict() for clause in self.clauses],
        }


class Run(NamedTuple):
    """Consecutive top-level changes that are all unchanged, or all not (for collapsing)."""

    unchanged: bool
    changes: list[Change]


@dataclass
class Comparison:
    """The changes in the new version's reading order; removed blocks where they stood."""

    changes: list[Change]
    old_title: str = ""
    new_title: str = ""

    def _count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def added(self) -> int:
        return self._count("added")

    @property
    def removed(self) -> int:
        return self._count("removed")

    @property
    def changed(self) -> int:
        return self._count("changed")

    @property
    def moved(self) -> int:
        return self._count("moved")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def title_changed(self) -> bool:
        return normalise(self.old_title) != normalise(self.new_title)

    def runs(self) -> list[Run]:
        runs: list[Run] = []
        for change in self.changes:
            unchanged = change.kind == "unchanged"
            if runs and runs[-1].unchanged == unchanged:
                runs[-1].changes.append(change)
            else:
                runs.append(Run(unchanged, [change]))
        return runs

    def counts(self) -> dict[str, int]:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "moved": self.moved,
            "unchanged": self.unchanged,
        }

    def to_dict(self) -> dict:
        return {
            "old_title": self.old_title,
            "new_title": self.new_title,
            "counts": self.counts(),
            "changes": [change.to_dict() for change in self.changes],
        }


@dataclass
class _Item:
    """A block of one version with its label and the text it is matched on."""

    index: int
    label: str
    block: ParsedBlock
    clause_labels: list[str]
    text: str  # the block's own text as shown
    own_key: str  # normalised own text
    key: str  # normalised own text and clauses: what matching by text compares


def _block_text(block: ParsedBlock) -> str:
    if block.kind == "table":
        return "\n".join(" | ".join(row) for row in block.rows)
    return block.text


def _items(labelled) -> list[_Item]:
    """Items from (label, block, clause labels) triples, e.g. ``number_blocks`` output."""
    items = []
    for index, (label, block, clause_labels) in enumerate(labelled):
        text = _block_text(block)
        own_key = normalise(text)
        key = own_key + "".join("\n" + normalise(c.text) for c in block.clauses)
        items.append(_Item(index, label, block, clause_labels, text, own_key, key))
    return items


def _pair(old: list[_Item], new: list[_Item]) -> dict[int, int]:
    """Match new items to old ones: by uid, then exact text, then similarity. new → old."""
    pairs: dict[int, int] = {}
    used: set[int] = set()

    by_uid: dict[str, _Item] = {}
    for item in old:
        if item.block.uid:
            by_uid.setdefault(item.block.uid, item)
    for item in new:
        match = by_uid.get(item.block.uid) if item.block.uid else None
        if match and match.index not in used and match.block.kind == item.block.kind:
            pairs[item.index] = match.index
            used.add(match.index)

    by_text: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for item in old:
        if item.index not in used:
            by_text[item.block.kind, item.key].append(item.index)
    for item in new:
        if item.index not in pairs and (queue := by_text.get((item.block.kind, item.key))):
            pairs[item.index] = queue.popleft()
            used.add(pairs[item.index])

    left_old = [item for item in old if item.index not in used]
    left_new = [item for item in new if item.index not in pairs]
    candidates: list[tuple[float, int, int, int]] = []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for new_index, old_index in sorted(_shortlist(left_old, left_new)):
        matcher.set_seqs(old[old_index].key, new[new_index].key)
        if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
            continue
        ratio = matcher.ratio()
        if ratio >= SIMILAR:
            candidates.append((-ratio, abs(new_index - old_index), new_index, old_index))
    for _ratio, _distance, new_index, old_index in sorted(candidates):
        if new_index not in pairs and old_index not in used:
            pairs[new_index] = old_index
            used.add(old_index)
    return pairs


def _bigrams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 2] for i in range(len(key) - 1)) or frozenset([key])


def _shortlist(left_old: list[_Item], left_new: list[_Item]) -> set[tuple[int, int]]:
    """(new, old) pairs worth a full difflib ratio: for each block, the few blocks of the same
    kind on the other side sharing most character bigrams.

    Set operations are cheap where a ratio is not (~0.2 ms for two articles): when every
    article of an imported draft was touched, ratios over all pairs would take seconds.
    """
    grams = {("old", item.index): _bigrams(item.key) for item in left_old}
    grams.update({("new", item.index): _bigrams(item.key) for item in left_new})
    by_old: dict[int, list[tuple[float, int]]] = defaultdict(list)
    shortlist: set[tuple[int, int]] = set()
    for item in left_new:
        mine = grams["new", item.index]
        scored = []
        for other in left_old:
            if other.block.kind != item.block.kind:
                continue
            theirs = grams["old", other.index]
            shared = len(mine & theirs)
            if shared:
                score = shared / (len(mine) + len(theirs) - shared)
                scored.append((score, other.index))
                by_old[other.index].append((score, item.index))
        shortlist.update((item.index, index) for _score, index in heapq.nlargest(SHORTLIST, scored))
    for old_index, scored in by_old.items():
        shortlist.update((index, old_index) for _score, index in heapq.nlargest(SHORTLIST, scored))
    return shortlist


def _in_order(pairs: dict[int, int]) -> set[int]:
    """New indices of the pairs on a longest run kept in the old order; the rest moved."""
    order = sorted(pairs)  # new indices
    tails: list[int] = []  # tails[k]: position in ``order`` ending an increasing run of k+1
    previous: list[int] = [-1] * len(order)
    for position, new_index in enumerate(order):
        old_index = pairs[new_index]
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if pairs[order[tails[middle]]] < old_index:
                low = middle + 1
            else:
                high = middle
        previous[position] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(position)
        else:
            tails[low] = position
    kept: set[int] = set()
    position = tails[-1] if tails else -1
    while position >= 0:
        kept.add(order[position])
        position = previous[position]
    return kept


def inline_diff(old_text: str, new_text: str) -> list[tuple[SegmentOp, str]]:
    """Word-level differences for display, Chinese words segmented by rjieba.

    Whole words light up (每月[26→22]天), not stray characters shared by unrelated words.
    Deletions come before insertions; adjacent runs of one kind are merged.
    """
    import rjieba  # loads its dictionary (~0.2 s) on import: only when a text changed

    old_tokens, new_tokens = rjieba.cut(old_text), rjieba.cut(new_text)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    # Runs: str for an equal stretch, [deleted, inserted] for an edit.
    runs: list[str | list[str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        deleted, inserted = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if tag == "equal":
            runs.append(deleted)
        elif runs and isinstance(runs[-1], list):
            runs[-1][0] += deleted
            runs[-1][1] += inserted
        else:
            runs.append([deleted, inserted])
    # Fold a very short equal stretch between two edits into them.
    folded: list[str | list[str]] = []
    for position, run in enumerate(runs):
        previous = folded[-1] if folded else None
        following = runs[position + 1] if position + 1 < len(runs) else None
        if (
            isinstance(run, str)
            and len(run.strip()) <= SHORT_EQUAL
            and isinstance(previous, list)
            and isinstance(following, list)
        ):
            previous[0] += run
            previous[1] += run
        elif isinstance(run, list) and isinstance(previous, list):
            previous[0] += run[0]
            previous[1] += run[1]
        else:
            folded.append(run)
    segments: list[tuple[SegmentOp, str]] = []
    for run in folded:
        if isinstance(run, str):
            if run:
                segments.append(("equal", run))
            continue
        if run[0]:
            segments.append(("delete", run[0]))
        if run[1]:
            segments.append(("insert", run[1]))
    return segments


def _one_sided(kind: ChangeKind, item: _Item) -> Change:
    """An added or removed block; an article's clauses go with it."""
    change = Change(kind, item.block.kind, uid=item.block.uid)
    parts = [(change, item.label, item.text)]
    for label, clause in zip(item.clause_labels, item.block.clauses, strict=True):
        change.clauses.append(Change(kind, "clause", uid=clause.uid))
        parts.append((change.clauses[-1], label, clause.text))
    for part, label, text in parts:
        if kind == "added":
            part.new_label, part.new_text = label, text
        else:
            part.old_label, part.old_text = label, text
    return change


def _clause_items(item: _Item) -> list[_Item]:
    return _items(
        [(label, c, []) for label, c in zip(item.clause_labels, item.block.clauses, strict=True)]
    )


def _paired(old: _Item, new: _Item, moved: bool) -> Change:
    clauses: list[Change] = []
    if old.block.clauses or new.block.clauses:
        clauses = _compare(_clause_items(old), _clause_items(new))
    edited = old.own_key != new.own_key
    if edited or any(clause.kind != "unchanged" for clause in clauses):
        kind: ChangeKind = "changed"
        segments = inline_diff(old.text, new.text) if edited else [("equal", new.text)]
    else:
        kind, segments = ("moved" if moved else "unchanged"), []
    return Change(
        kind,
        new.block.kind,
        old_label=old.label,
        new_label=new.label,
        old_text=old.text,
        new_text=new.text,
        uid=new.block.uid or old.block.uid,
        segments=segments,
        clauses=clauses,
    )


def _compare(old: list[_Item], new: list[_Item]) -> list[Change]:
    pairs = _pair(old, new)
    kept = _in_order(pairs)
    # A removed block follows the nearest earlier old block still in place (or opens the list).
    anchor_of = {
        old_index: new_index for new_index, old_index in pairs.items() if new_index in kept
    }
    removed_after: dict[int, list[_Item]] = defaultdict(list)
    anchor = -1
    matched_old = set(pairs.values())
    for item in old:
        if item.index in anchor_of:
            anchor = anchor_of[item.index]
        elif item.index not in matched_old:
            removed_after[anchor].append(item)

    changes = [_one_sided("removed", item) for item in removed_after[-1]]
    for item in new:
        if item.index in pairs:
            changes.append(_paired(old[pairs[item.index]], item, item.index not in kept))
        else:
            changes.append(_one_sided("added", item))
        changes.extend(_one_sided("removed", gone) for gone in removed_after[item.index])
    return changes


def compare_documents(old: ParsedDocument, new: ParsedDocument) -> Comparison:
    """Compare two versions block by block (articles, and the clauses inside articles)."""
    changes = _compare(_items(number_blocks(old.blocks)), _items(number_blocks(new.blocks)))
    return Comparison(changes=changes, old_title=old.title, new_title=new.title)
