"""Import and export speed: the five seed files, and a generated 1,000-article Word file.

Targets (issue: regulations import): seed_import_s ≤ 10 s; docx_1000_import_s and
docx_1000_export_s ≤ 5 s each. Alternative measured alongside: reading the same .docx with
python-docx alone (paragraph texts), to show what the structure recognition costs on top.
"""

import io
import time
from pathlib import Path

import docx

from policies_content.document_import import ImportFile, documents_import
from policies_content.importing.document import ParsedBlock, ParsedDocument
from policies_content.importing.parser import parse_file
from policies_content.models import RegulationPage
from policies_content.word import page_to_docx
from policies_content.word_export import document_to_docx

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _metric(metric, value, unit, target, scale, *, lower_is_better=True):
    ok = None if target is None else (value <= target if lower_is_better else value >= target)
    return {
        "metric": metric,
        "value": round(value, 3),
        "unit": unit,
        "target": target,
        "ok": ok,
        "scale": scale,
    }


def _thousand_articles() -> ParsedDocument:
    blocks: list[ParsedBlock] = []
    for chapter in range(1, 21):
        blocks.append(ParsedBlock(kind="chapter", text=f"第{chapter}部分的规定"))
        for n in range(50):
            clauses = [
                ParsedBlock(kind="clause", level=2, text=f"款项内容{k}，员工应当遵守。")
                for k in range(2)
            ]
            blocks.append(
                ParsedBlock(
                    kind="article",
                    text=f"员工应当遵守公司考勤、请假与保密规定，违反者按本制度处理（{chapter}-{n}）。",
                    clauses=clauses,
                )
            )
    return ParsedDocument(
        title="基准测试管理制度",
        blocks=blocks,
        metadata={"document_number": "BENCH-2026-001", "version": "V1.0"},
    )


def run() -> list[dict]:
    results: list[dict] = []
    if SEEDS.is_dir():
        files = [ImportFile(name=p.name, data=p.read_bytes()) for p in sorted(SEEDS.glob("*"))]
        start = time.perf_counter()
        run_record = documents_import(files=files)
        elapsed = time.perf_counter() - start
        scale = f"{len(files)} seed files, {run_record.created_count} documents created"
        results.append(_metric("seed_import_s", elapsed, "s", 10, scale))
        start = time.perf_counter()
        documents_import(files=files)
        results.append(
            _metric(
                "seed_reimport_unchanged_s",
                time.perf_counter() - start,
                "s",
                None,
                "same files again: nothing changes",
            )
        )
    else:
        results.append(
            {
                "metric": "seed_import_s",
                "value": None,
                "unit": "s",
                "target": 10,
                "ok": None,
                "scale": f"skipped: {SEEDS} not present",
            }
        )

    document = _thousand_articles()
    data = document_to_docx(document)
    scale = "1,000 articles, 2,000 clauses, 20 chapters"

    start = time.perf_counter()
    parsed = parse_file(name="bench.docx", data=data)
    parse_s = time.perf_counter() - start
    articles = sum(b.kind == "article" for b in parsed.documents[0].blocks)
    results.append(
        _metric("docx_1000_parse_s", parse_s, "s", None, f"{scale}; {articles} articles recognised")
    )

    start = time.perf_counter()
    imported = documents_import(files=[ImportFile(name="bench.docx", data=data)])
    import_s = time.perf_counter() - start
    results.append(
        _metric(
            "docx_1000_import_s",
            import_s,
            "s",
            5,
            f"{scale}; read, recognised and saved as a draft page "
            f"({imported.created_count} created)",
        )
    )

    page = RegulationPage.objects.get(pk=imported.report["files"][0]["documents"][0]["page_id"])
    start = time.perf_counter()
    exported = page_to_docx(page)
    results.append(
        _metric(
            "docx_1000_export_s",
            time.perf_counter() - start,
            "s",
            5,
            f"{scale}; the saved page to .docx ({len(exported) // 1024} KB)",
        )
    )

    start = time.perf_counter()
    plain = docx.Document(io.BytesIO(data))
    _texts = [p.text for p in plain.paragraphs]
    baseline = time.perf_counter() - start
    results.append(
        _metric(
            "docx_1000_parse_vs_python_docx_ratio",
            parse_s / baseline,
            "x",
            None,
            "our parse ÷ python-docx reading the paragraph texts",
        )
    )
    return results
