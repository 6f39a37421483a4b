"""Build the multi-article store: gensim's Lee corpus (300 ABC news articles) + the sample article.

    .venv/bin/python bench/lee_corpus.py --store /tmp/lee-store          # ingest into a store
    .venv/bin/python bench/lee_corpus.py --jsonl /tmp/lee.jsonl          # or write JSON lines
    NEWSDESK_STORE=/tmp/lee-store newsdesk eval data/gold/dev/lee.jsonl
    .venv/bin/python bench/lee_corpus.py --store /tmp/lee-store --corpus test  # + lee.cor's 50

Article ``n`` (0-based line number of ``lee_background.cor``, latin-1) gets the id
``lee-background-NNN`` and, as its title, its first words; the build is deterministic. With
``--corpus test`` the store gets instead the 50 other articles of gensim's ``lee.cor`` (ids
``lee-test-NNN``), which only the held-out ``data/gold/test/blind.jsonl`` asks about.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.factory import open_store  # noqa: E402
from assistant.models import Article  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from ingest.articles import make_article  # noqa: E402
from ingest.loaders import load_sources  # noqa: E402
from ingest.pipeline import index_articles  # noqa: E402

CORPORA = {"background": "lee_background.cor", "test": "lee.cor"}
SAMPLE = ROOT / "data" / "articles"


def lee_path(corpus: str = "background") -> Path:
    """Where gensim (a dev dependency) installed a Lee corpus file (see ``CORPORA``)."""
    import gensim

    return Path(gensim.__file__).parent / "test" / "test_data" / CORPORA[corpus]


def lee_articles(path: Path | None = None, corpus: str = "background") -> Iterator[Article]:
    """One ``Article`` per non-blank line of the corpus."""
    path = path or lee_path(corpus)
    lines = path.read_text(encoding="latin-1").splitlines()
    for number, line in enumerate(lines):
        text = " ".join(line.split())
        if text:
            yield make_article(
                article_id=f"lee-{corpus}-{number:03d}",
                title=_title(text),
                text=text,
                source=f"gensim/test/test_data/{path.name}",
            )


def _title(text: str, words: int = 10) -> str:
    head = text.split()
    return " ".join(head[:words]) + (" ..." if len(head) > words else "")


def build_store(settings: Settings, *, progress: bool = True, corpus: str = "background") -> str:
    """Ingest the sample articles and the Lee corpus into ``settings``' store (with ``corpus``
    "test", only lee.cor's articles); return a summary."""
    store = open_store(settings)
    sample = (
        load_sources([SAMPLE], max_bytes=settings.max_source_bytes)
        if corpus == "background"
        else []
    )
    items = [*sample, *lee_articles(corpus=corpus)]
    report = index_articles(items, store, chunk_chars=settings.chunk_chars, progress=progress)
    return report.summary()


def write_jsonl(path: Path, corpus: str = "background") -> int:
    """Write the Lee articles as JSON lines (``newsdesk ingest`` reads them); return the count."""
    records = [
        {"title": a.title, "text": a.text, "source": a.source} for a in lee_articles(corpus=corpus)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return len(records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="Chroma store directory to build")
    parser.add_argument("--jsonl", type=Path, help="write the Lee articles as JSON lines here")
    parser.add_argument(
        "--corpus",
        choices=sorted(CORPORA),
        default="background",
        help="background: the 300 articles and the sample (default); test: lee.cor's 50",
    )
    args = parser.parse_args()
    if not args.store and not args.jsonl:
        parser.error("give --store DIR and/or --jsonl FILE")
    if args.jsonl:
        print(f"wrote {write_jsonl(args.jsonl, args.corpus)} articles to {args.jsonl}")
    if args.store:
        print(build_store(Settings(store=args.store), corpus=args.corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
