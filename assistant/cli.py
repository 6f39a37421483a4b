"""The ``newsdesk`` command: ingest, ask, serve, eval, train.

The CLI is a composition root: it is the one module of ``assistant`` that reaches for
``ingest`` and ``server``, lazily, inside the command that needs them.

    newsdesk ingest data/articles
    newsdesk ask "Which groups reject the withdrawal?" --json
    newsdesk serve --port 7860
    newsdesk migrate --to http://127.0.0.1:8000
    newsdesk train                      # the reader, on data/train and ../shared/news

Long because: one parser entry and one short function per command, nine commands.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import NewsdeskError
from .factory import ANSWER_BACKENDS, load_settings
from .settings import Settings
from .text.terminal import printable

logger = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(message)s" if args.verbose else "%(message)s",
        force=True,
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.run(args, _settings(args)))
    except NewsdeskError as error:
        print(f"error: {printable(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `newsdesk list | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="Chroma store directory (NEWSDESK_STORE)")
    parser.add_argument("--collection", help="Chroma collection (NEWSDESK_COLLECTION)")
    parser.add_argument(
        "--answerer",
        choices=list(ANSWER_BACKENDS),
        help="who writes answers (NEWSDESK_ANSWERER; default: extractive)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser(
        "ingest", help="add or update articles from files, folders, URLs and RSS/Atom feeds"
    )
    ingest.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
    ingest.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    ingest.set_defaults(run=run_ingest)

    listing = commands.add_parser("list", help="list the ingested articles")
    listing.add_argument("--json", action="store_true", help="print one JSON object per line")
    listing.set_defaults(run=run_list)

    remove = commands.add_parser("remove", help="remove an article and all its chunks")
    remove.add_argument("article_id", metavar="ARTICLE_ID", help="as shown by `newsdesk list`")
    remove.set_defaults(run=run_remove)

    ask = commands.add_parser("ask", help="answer a question with cited passages")
    ask.add_argument("question")
    ask.add_argument("--k", type=int, help="passages to retrieve (NEWSDESK_K)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.set_defaults(run=run_ask)

    serve = commands.add_parser("serve", help="serve the web chat at / and the JSON API at /api")
    serve.add_argument("--host", help="interface to listen on (NEWSDESK_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (NEWSDESK_PORT)")
    serve.set_defaults(run=run_serve)

    evaluate = commands.add_parser("eval", help="score answers against a gold Q&A set")
    evaluate.add_argument("gold", type=Path, metavar="GOLD.jsonl")
    evaluate.add_argument("--k", type=int, help="passages to retrieve (NEWSDESK_K)")
    evaluate.add_argument("--out", type=Path, help="write report.json, report.md, report.png")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(run=run_eval)

    migrate = commands.add_parser(
        "migrate", help="copy the store into a Chroma server collection (no re-embedding)"
    )
    migrate.add_argument("--to", required=True, metavar="URL", help="e.g. http://127.0.0.1:8000")
    migrate.add_argument("--to-collection", help="server collection (default: the same name)")
    migrate.add_argument("--batch", type=int, default=1000, help="chunks per request")
    migrate.set_defaults(run=run_migrate)

    training = commands.add_parser("train", help="train the reader (the answer model)")
    training.add_argument("questions", nargs="*", type=Path, metavar="QUESTIONS.jsonl")
    training.add_argument("--articles", nargs="+", metavar="PATH", help="the questions' articles")
    training.add_argument("--out", type=Path, help="weights file (default: the shipped reader)")
    training.add_argument("--epochs", type=int, help="passes over the pairs (default: 2)")
    training.add_argument("--seed", type=int, help="fixes sampling and training (default: 18)")
    training.add_argument("--threads", type=int, help="CPU threads (default: torch's choice)")
    training.add_argument(
        "--cross",
        type=int,
        help="negatives per question from other articles, in place of random ones of its own "
        "(default: 0)",
    )
    training.add_argument(
        "--negatives", type=int, help="negative sentences per training question (default: 4)"
    )
    training.add_argument(
        "--frozen",
        type=int,
        help="MiniLM layers kept as they are, of 6; the others are trained (default: 1)",
    )
    training.add_argument(
        "--withheld-loss",
        type=float,
        help="weight of the loss term that puts the null score above an answerable question's "
        "wrong sentences, as if its answer were withheld (default: 0, off)",
    )
    training.set_defaults(run=run_train)
    return parser


def run_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from .factory import open_store
    from .retrieval.lock import writing

    target_settings = settings.model_copy(
        update={"chroma_url": args.to, "collection": args.to_collection or settings.collection}
    )

    def report(done: int, total: int) -> None:
        print(f"\r{done:,}/{total:,} chunks copied", end="", file=sys.stderr, flush=True)

    # The target is a Chroma server (it serialises writes itself); the embedded source is
    # locked, so no ingest or removal changes it mid-copy (the copy only upserts: a chunk
    # replaced or removed during it would stay on the server for good).
    with writing(settings, "migration"):
        target = open_store(target_settings)
        copied = open_store(settings).copy_to(target, batch=args.batch, on_batch=report)
    print(file=sys.stderr)
    where = f"{args.to} collection '{target_settings.collection}'"
    print(f"copied {copied:,} chunks to {where}; it holds {target.count():,}.")
    print(f"Use it with: NEWSDESK_CHROMA_URL={args.to} newsdesk serve")
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    flags = {
        "store": args.store,
        "collection": args.collection,
        "answerer": getattr(args, "answerer", None),
        "k": getattr(args, "k", None),
        "host": getattr(args, "host", None),
        "port": getattr(args, "port", None),
    }
    return load_settings(**{name: value for name, value in flags.items() if value is not None})


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.loaders import load_sources
    from ingest.pipeline import index_articles

    from .factory import open_store
    from .retrieval.lock import writing

    with writing(settings, "ingest"):  # every writer of the store takes the same lock
        store = open_store(settings)
        report = index_articles(
            load_sources(
                args.sources,
                max_bytes=settings.max_source_bytes,
                timeout=settings.fetch_timeout,
                allow_private=settings.fetch_allow_private,
            ),
            store,
            chunk_chars=settings.chunk_chars,
            progress=not args.no_progress,
        )
    for error in report.failed:
        print(f"failed: {printable(str(error))}", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    from .factory import open_store

    records = open_store(settings).list_articles()
    for record in records:
        if args.json:
            print(json.dumps(asdict(record), ensure_ascii=False))
        else:
            flag = "" if record.complete else "  (incomplete: run ingest again)"
            line = f"{record.article_id}\t{record.chunks} chunks\t{record.title}{flag}"
            print(printable(line))
    if not args.json:
        print(f"{len(records)} article{'' if len(records) == 1 else 's'}", file=sys.stderr)
    return 0


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    from .factory import open_store
    from .retrieval.lock import writing

    with writing(settings, "article removal"):
        removed = open_store(settings).delete_article(args.article_id)
    if not removed:
        print(
            f"error: no article '{args.article_id}' in the store. See the ids with: newsdesk list",
            file=sys.stderr,
        )
        return 1
    print(f"removed {args.article_id} ({removed} chunks)")
    return 0


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    from .chain import Assistant

    assistant = Assistant.from_settings(settings)
    if args.json:
        answer = assistant.ask(args.question)
        print(json.dumps(answer.model_dump(), ensure_ascii=False))
        return 0
    for item in assistant.stream(args.question):
        if isinstance(item, str):
            print(printable(item), end="", flush=True)
        else:
            answer = item
    print()
    if answer.notice:
        print(f"\nNote: {printable(answer.notice)}")
    for citation in answer.citations:
        heading = printable(f"{citation.title}{_url(citation.url)}")
        print(f"\n[{citation.n}] {heading}\n    “{printable(citation.quote)}”")
    return 0


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from .chain import Assistant
    from .evaluation import METRICS, evaluate, load_gold, write_report
    from .evaluation.report import coverage_curve

    cases = load_gold(args.gold)
    assistant = Assistant.from_settings(settings)
    report = evaluate(assistant.ask, cases, k=settings.k)
    sweep = getattr(assistant.answerer, "no_refusal", None)
    if args.out and sweep is not None:  # asked again, answering all: the coverage plot
        with sweep():  # each follow-up in its chat, as evaluate asks it
            swept = evaluate(assistant.ask, cases, k=settings.k, warm_up=False)  # warm already
            answers = [r.answer for r in swept.results]
        report.coverage = coverage_curve(cases, answers)
    if args.out:
        for path in write_report(report, args.out):
            print(f"wrote {path}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.metrics))
    else:
        for name in METRICS:
            print(f"{name:22} {report.metrics[name]:.3f}")
    return 0


def run_train(args: argparse.Namespace, settings: Settings) -> int:
    """Fit the reader on ``questions`` (default ``data/train``) over ``--articles`` (default
    ``../shared/news``, read as ingest reads them); print the held-out figures."""
    import torch

    from ingest.loaders import load_sources

    from .answering.reader.examples import load_questions
    from .answering.reader.fit import fit_reader
    from .answering.reader.model import WEIGHTS
    from .errors import SourceError
    from .models import Article

    root = Path(__file__).resolve().parents[1]
    sources = args.articles or [root.parent / "shared" / "news"]
    if not args.articles and not sources[0].is_dir():
        raise SourceError(str(sources[0]), "the training articles are not here. Pass --articles.")
    if args.threads:
        torch.set_num_threads(args.threads)
    questions = [
        q
        for p in args.questions or [root / "data/train/questions.jsonl"]
        for q in load_questions(p)
    ]
    loaded = load_sources(sources, max_bytes=settings.max_source_bytes)
    articles = {a.article_id: (a.title, a.text) for a in loaded if isinstance(a, Article)}
    out = args.out or WEIGHTS
    chosen = {
        "epochs": args.epochs,
        "seed": args.seed,
        "cross": args.cross,
        "negatives": args.negatives,
        "frozen": args.frozen,
        "withheld": args.withheld_loss,
    }  # unset: the shipped recipe's
    report = fit_reader(
        questions, articles, out=out, **{k: v for k, v in chosen.items() if v is not None}
    )
    print(
        f"wrote {out}: trained on {report['trained_on']:,} questions in {report['minutes']} min "
        f"({report['device']})"
    )
    for name, value in report["held_out"].items():
        print(f"held out  {name:15} {value:.3f}")
    return 0


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from server import serve

    serve(settings)
    return 0


def _url(url: Any) -> str:
    return f" <{url}>" if url else ""


if __name__ == "__main__":
    sys.exit(main())
