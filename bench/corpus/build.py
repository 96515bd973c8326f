"""Rebuild the labelled evaluation corpus: bench/corpus/src/*.md -> bench/corpus/docs/<stem>.<format>.

Each source declares exactly one format in its front matter; the document is rendered with
tools/docgen.py (deterministic: same sources, same bytes). The script also checks that
expected.yaml lists exactly the built documents, with the same format.

Usage: python bench/corpus/build.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SRC = HERE / "src"
DOCS = HERE / "docs"
EXPECTED = HERE / "expected.yaml"

sys.dont_write_bytecode = True  # do not leave a __pycache__ in tools/
sys.path.insert(0, str(REPO / "tools"))

import docgen  # noqa: E402  (path set just above)


def main() -> int:
    sources = sorted(SRC.glob("*.md"))
    if not sources:
        print(f"no source in {SRC}", file=sys.stderr)
        return 1
    DOCS.mkdir(parents=True, exist_ok=True)

    built: dict[str, str] = {}
    errors: list[str] = []
    for src in sources:
        formats = docgen.load_source(src).meta.get("formats", [])
        if len(formats) != 1:
            errors.append(f"{src.name}: expected exactly one format, got {formats}")
            continue
        for path in docgen.render(src, DOCS):
            print(f"built {path.relative_to(REPO)}")
        built[src.stem] = formats[0]

    # Remove outputs left over from renamed or deleted sources (only inside docs/).
    for stale in sorted(DOCS.iterdir()):
        if stale.is_file() and built.get(stale.stem) != stale.suffix.lstrip("."):
            print(f"removed stale {stale.relative_to(REPO)}")
            stale.unlink()

    if EXPECTED.exists():
        import yaml

        expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8")) or {}
        for stem in sorted(set(expected) ^ set(built)):
            where = "expected.yaml" if stem in expected else "src/"
            errors.append(f"{stem}: only in {where}")
        for stem in sorted(set(expected) & set(built)):
            if expected[stem].get("format") != built[stem]:
                errors.append(f"{stem}: format {built[stem]} in source, "
                              f"{expected[stem].get('format')} in expected.yaml")

    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    counts: dict[str, int] = {}
    for fmt in built.values():
        counts[fmt] = counts.get(fmt, 0) + 1
    summary = ", ".join(f"{n} {fmt}" for fmt, n in sorted(counts.items()))
    print(f"{len(built)} documents built ({summary})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
