"""Generate a folder of realistic contracts for batch and speed benchmarks.

Each document is a labelled corpus source (bench/corpus/src) padded with neutral articles up to a
target length, rendered as PDF, DOCX or TXT; since the padding triggers no rule, every generated
document keeps its source's expected findings (written to expected.json beside the documents).
Usage: python bench/generate.py OUT_DIR [--count 200] [--pages 10-40] [--docx 50] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tools"))
import docgen  # noqa: E402

PADDING = [
    "Les parties se rencontrent chaque trimestre pour faire le point sur l'évolution du système d'information "
    "du Client, les projets envisagés et la qualité des échanges entre leurs équipes.",
    "Chaque partie désigne les personnes habilitées à signer les procès-verbaux de réunion ; les comptes rendus "
    "sont diffusés aux participants dans les dix jours ouvrés qui suivent la réunion.",
    "Les documents échangés entre les parties sont rédigés en langue française. Les correspondances sont "
    "adressées aux sièges sociaux indiqués en tête du présent document.",
    "Le Client met à la disposition des techniciens un poste de travail équipé et l'accès aux locaux pendant "
    "leurs horaires d'ouverture habituels, dans le respect du règlement intérieur.",
    "Les parties s'efforcent de régler à l'amiable toute difficulté d'interprétation du présent document "
    "avant toute autre démarche, dans un esprit de bonne foi et de coopération.",
]


def padded(source: docgen.Source, pages: int, rng: random.Random) -> docgen.Source:
    """The source with neutral articles appended until it reaches about `pages` pages."""
    words = sum(len((b.text or " ".join(" ".join(r) for r in b.rows)).split()) for b in source.blocks)
    blocks = list(source.blocks)
    number = 100
    while words < pages * 420:  # about 420 words on an A4 page in docgen's layout
        number += 1
        blocks.append(docgen.Block("heading", f"Article {number} – Dispositions diverses"))
        for _ in range(3):
            text = " ".join(rng.sample(PADDING, 3))
            blocks.append(docgen.Block("paragraph", text))
            words += len(text.split())
    return docgen.Source(source.meta, tuple(blocks))


def _plain(block: docgen.Block) -> docgen.Block:
    """Markdown emphasis (**GTR**) is markup, not text, once rendered as PDF, DOCX or TXT."""
    strip = lambda text: text.replace("**", "").replace("__", "")  # noqa: E731
    return docgen.Block(block.kind, strip(block.text), tuple(tuple(map(strip, row)) for row in block.rows))


def generate(out: Path, count: int, pages: tuple[int, int], docx: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    corpus = HERE / "corpus"
    labels = yaml.safe_load((corpus / "expected.yaml").read_text("utf-8"))
    # French contracts only: padded with French filler, a foreign one would no longer be foreign.
    sources = sorted(s for s in (corpus / "src").glob("*.md") if labels[s.stem].get("status", "ok") == "ok")
    out.mkdir(parents=True, exist_ok=True)
    expected = {}
    for index in range(count + docx):
        source_path = sources[index % len(sources)]
        source = docgen.load_source(source_path)
        meta = dict(source.meta)
        suffix = "docx" if index >= count else ("pdf" if index % 5 else "txt")
        if suffix == "txt":
            meta.pop("encoding", None)
        meta["formats"] = [suffix]
        blocks = source.blocks if suffix == "md" else tuple(_plain(b) for b in source.blocks)
        document = padded(docgen.Source(meta, blocks), rng.randint(*pages), rng)
        name = f"{index:04d}-{source_path.stem}.{suffix}"
        writer = {"pdf": docgen.write_pdf, "docx": docgen.write_docx, "txt": docgen.write_txt}[suffix]
        if not (out / name).exists():
            writer(document, out / name)
        expected[name] = sorted(labels[source_path.stem].get("fires") or [])
    (out / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False), "utf-8")
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=200, help="PDF and TXT documents")
    parser.add_argument("--docx", type=int, default=0, help="DOCX documents in addition")
    parser.add_argument("--pages", default="2-6", help="target length range in pages, e.g. 10-40")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    low, high = map(int, args.pages.split("-"))
    expected = generate(args.out, args.count, (low, high), args.docx, args.seed)
    print(f"{len(expected)} documents in {args.out}")


if __name__ == "__main__":
    main()
