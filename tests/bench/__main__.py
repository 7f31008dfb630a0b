"""Benchmarks: ``python -m tests.bench [AREA …]`` (``make bench``, ``make bench BENCH=import``).

Each area builds its own data at a stated scale in a throw-away database, prints a table and
writes var/bench/<area>.json: [{"metric", "value", "unit", "target", "ok", "scale"}, …].
Where a named alternative exists it is measured in the same run and reported as a ratio, since
absolute times drift on shared machines. These are measurements, not tests.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AREAS = {
    "import": "tests.bench.bench_import",
    "document_control": "tests.bench.bench_document_control",
    "acknowledgement": "tests.bench.bench_acknowledgement",
    "search": "tests.bench.bench_search",
    "pdf": "tests.bench.bench_pdf",
    "frontend": "tests.bench.bench_frontend",
}


def main(argv: list[str]) -> int:
    areas = argv or list(AREAS)
    unknown = [a for a in areas if a not in AREAS]
    if unknown:
        print(f"unknown benchmark area(s): {', '.join(unknown)}; known: {', '.join(AREAS)}")
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="zhidu-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidu.settings.test")
    os.environ["ZHIDU_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    failed = False
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    for area in areas:
        module = __import__(AREAS[area], fromlist=["run"])
        results = module.run()
        _print(area, results)
        (out_dir / f"{area}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
        failed |= any(r["ok"] is False for r in results)
    return 1 if failed else 0


def _print(area: str, results: list[dict]) -> None:
    print(f"\n== {area}")
    print(f"{'metric':<34} {'value':>10} {'unit':<6} {'target':>8}  ok    scale")
    for r in results:
        target = "" if r["target"] is None else r["target"]
        value = "-" if r["value"] is None else r["value"]
        ok = {True: "yes", False: "NO", None: "-"}[r["ok"]]
        print(f"{r['metric']:<34} {value:>10} {r['unit']:<6} {target!s:>8}  {ok:<5} {r['scale']}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
