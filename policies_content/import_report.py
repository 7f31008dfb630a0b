"""An import run's report as lines of text (the command prints them; the screen has a table)."""

from django.utils.translation import gettext as _

ACTION_LABELS = {
    "created": lambda: _("created (draft)"),
    "updated": lambda: _("new draft of an existing document"),
    "unchanged": lambda: _("unchanged"),
    "duplicate": lambda: _("duplicate, not imported"),
}
KIND_LABELS = {
    "regulation": lambda: _("Regulation"),
    "job_description": lambda: _("Job description"),
}
METADATA_LABELS = {
    "document_number": "文件编号",
    "issuance_number": "发文字号",
    "version": "版本",
    "prepared_by": "编制",
    "reviewed_by": "审核",
    "approved_by": "批准",
    "effective_date": "生效日期",
    "distribution": "受文部门",
}


def action_label(action: str) -> str:
    return ACTION_LABELS[action]() if action in ACTION_LABELS else action


def kind_label(kind: str) -> str:
    return KIND_LABELS[kind]() if kind in KIND_LABELS else kind


def metadata_text(metadata: dict) -> str:
    return "；".join(f"{METADATA_LABELS.get(k, k)}：{v}" for k, v in metadata.items())


def report_lines(run) -> list[str]:
    lines: list[str] = []
    for file in run.report.get("files", []):
        lines.append(f"【{file['name']}】")
        if file["error"]:
            lines.append("  " + _("Not imported: %(reason)s") % {"reason": file["error"]})
            continue
        for doc in file["documents"]:
            counts = _(
                "%(chapters)s chapters, %(articles)s articles, %(sections)s headings, "
                "%(jds)s job descriptions"
            ) % {
                "chapters": doc["chapters"],
                "articles": doc["articles"],
                "sections": doc["sections"],
                "jds": doc["job_descriptions"],
            }
            head = (
                f"  · {kind_label(doc['kind'])}《{doc['title']}》 — {action_label(doc['action'])}"
            )
            if doc["kind"] == "regulation":
                head += f"；{doc['category']}；{counts}"
            lines.append(head)
            if doc["metadata"]:
                lines.append("      " + metadata_text(doc["metadata"]))
            if doc["duplicate_of"]:
                lines.append("      " + _("Same text as “%(title)s”.") % doc["duplicate_of"])
            if doc["similar_to"]:
                lines.append(
                    "      "
                    + _(
                        "Similar to “%(title)s” (%(percent)s%% alike); "
                        "compare and merge in the admin."
                    )
                    % {
                        "title": doc["similar_to"]["title"],
                        "percent": round(doc["similar_to"]["similarity"] * 100),
                    }
                )
            lines.extend("      ⚠ " + warning for warning in doc["warnings"])
    lines.append(
        _(
            "Created %(created)s, updated %(updated)s, unchanged %(unchanged)s, duplicates "
            "%(duplicates)s, files with errors %(errors)s."
        )
        % {
            "created": run.created_count,
            "updated": run.updated_count,
            "unchanged": run.unchanged_count,
            "duplicates": run.duplicate_count,
            "errors": run.error_count,
        }
    )
    return lines
