"""Ingest's HTML path against plain ``trafilatura.extract`` on trafilatura's own evaluation corpus.

    .venv/bin/python bench/extraction.py        # prints the tables, writes them into README.md
    .venv/bin/python bench/extraction.py --corpus ../shared/extraction/trafilatura-eval --no-readme
    .venv/bin/python bench/extraction.py --show repeated     # every line that rule removes

The corpus (990 pages, each with "with" snippets its main text must contain and "without"
snippets it must not) stays outside the repository. Scored as trafilatura scores it
(``tests/eval_common.py``): a "with" snippet in the output, whitespace-normalised, is a true
positive, one missing a false negative; a "without" snippet found is a false positive. newsdesk's
output is the text ``article_from_html`` keeps (a rejected page keeps nothing); its title is
metadata and is not scored.

Per cleaning rule, measured by running the same extractions with that rule turned off: the
words it removes, judged by where they stand in the page (article text: inside a "with" snippet,
or between the first and last "with" snippet found; debris: inside a "without" snippet, or before
the first or after the last "with" snippet), and the snippets it changes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.errors import SourceError  # noqa: E402
from ingest.cleaning import RULES  # noqa: E402
from ingest.html import article_from_documents, count_words, extract_documents  # noqa: E402

CORPUS = Path("../shared/extraction/trafilatura-eval")  # relative to the repository
BEGIN, END = "<!-- bench/extraction.py: begin -->", "<!-- bench/extraction.py: end -->"


@dataclass
class Score:
    """Snippet counts over the corpus, and the scores trafilatura's evaluation reports."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, item: dict[str, Any], output: str | None) -> tuple[int, int]:
        text = norm(output or "")
        tp = sum(norm(s) in text for s in item["with"]) if output else 0
        fp = sum(norm(s) in text for s in item["without"]) if output else 0
        self.tp, self.fp = self.tp + tp, self.fp + fp
        self.fn += len(item["with"]) - tp
        self.tn += len(item["without"]) - fp
        return tp, fp

    def row(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0
        return {"f1": f1, "precision": precision, "recall": recall}


@dataclass
class RuleEffect:
    """What one cleaning rule removes: words by where they stand, snippets it changes."""

    lines: int = 0
    article_words: int = 0
    debris_words: int = 0
    with_lost: int = 0
    without_removed: int = 0
    pages: set[str] = field(default_factory=set)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="relative to the repository")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--show", choices=RULES, help="print every line this rule removes")
    parser.add_argument("--report", type=Path, default=ROOT / "build/bench/extraction.json")
    parser.add_argument("--no-readme", action="store_true", help="do not write into README.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # trafilatura logs each page it finds empty
    corpus = args.corpus if args.corpus.is_absolute() else ROOT / args.corpus
    evaldata = json.loads((corpus / "evaldata.json").read_text(encoding="utf-8"))
    pages = list(evaldata.items())[: args.limit or None]
    figures = run(corpus, pages, show=args.show)
    figures["corpus"] = str(args.corpus)
    table = markdown(figures)
    print(table)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    if not args.no_readme and not args.limit:
        write_readme(ROOT / "README.md", table)


def run(corpus: Path, pages: list[tuple[str, dict[str, Any]]], *, show: str | None) -> dict:
    plain, newsdesk, unclean = Score(), Score(), Score()
    effects = {rule: RuleEffect() for rule in RULES}
    rejected: list[dict[str, str]] = []
    seconds: dict[str, float] = {"plain": 0.0, "newsdesk": 0.0}
    for number, (url, item) in enumerate(pages, start=1):
        with gzip.open(corpus / "html" / f"{item['file']}.gz", "rb") as file:
            data = file.read()
        started = time.perf_counter()
        plain.add(item, trafilatura.extract(data))
        seconds["plain"] += time.perf_counter() - started
        started = time.perf_counter()
        result = newsdesk_text(extract_documents(data, source=url), url, RULES)
        seconds["newsdesk"] += time.perf_counter() - started
        body = result if isinstance(result, str) else None
        if isinstance(result, SourceError):
            rejected.append({"page": url, "file": item["file"], "reason": result.problem})
        newsdesk.add(item, body)
        try:
            documents = list(extract_documents(data, source=url))
        except SourceError:  # the HTML cannot be parsed: no rule can change that
            continue
        bare = newsdesk_text(documents, url, ())
        unclean.add(item, bare if isinstance(bare, str) else None)
        for rule in RULES:
            without = newsdesk_text(documents, url, [r for r in RULES if r != rule])
            measure(effects[rule], item, url, body or "", without, show=show == rule)
        if number % 100 == 0:
            print(f"{number}/{len(pages)} pages", file=sys.stderr, flush=True)
    return {
        "pages": len(pages),
        "trafilatura": trafilatura.__version__,
        "plain": {**plain.row(), **vars(plain)},
        "newsdesk": {**newsdesk.row(), **vars(newsdesk)},
        "newsdesk_no_rules": {**unclean.row(), **vars(unclean)},
        "seconds_per_page": {k: v / max(len(pages), 1) for k, v in seconds.items()},
        "rules": {
            rule: {**{k: v for k, v in vars(e).items() if k != "pages"}, "pages": len(e.pages)}
            for rule, e in effects.items()
        },
        "rejected": rejected,
    }


def newsdesk_text(documents: Any, url: str, rules: Any) -> str | SourceError:
    try:
        return article_from_documents(documents, source=url, fallback_id=url, rules=rules).text
    except SourceError as error:
        return error


def measure(
    effect: RuleEffect,
    item: dict[str, Any],
    url: str,
    kept: str,
    without: str | SourceError,
    *,
    show: bool,
) -> None:
    """Add to ``effect`` what the rule removed: ``without`` (the rule off) less ``kept``."""
    if isinstance(without, SourceError):
        return
    removed = Counter(without.split("\n\n")) - Counter(kept.split("\n\n"))
    if not removed:
        return
    effect.pages.add(url)
    with_score, kept_score = Score(), Score()
    with_tp, with_fp = with_score.add(item, without)
    kept_tp, kept_fp = kept_score.add(item, kept)
    effect.with_lost += with_tp - kept_tp
    effect.without_removed += with_fp - kept_fp
    text = norm(without)
    found = [m.start() for s in item["with"] for m in [re.search(re.escape(norm(s)), text)] if m]
    for paragraph, copies in removed.items():
        effect.lines += copies
        words = count_words(paragraph) * copies
        article = judge(norm(paragraph), text, item, found)
        effect.article_words += words if article else 0
        effect.debris_words += 0 if article else words
        if show:
            print(f"{'ARTICLE' if article else 'debris '} {url} | {paragraph[:160]}")


def judge(paragraph: str, text: str, item: dict[str, Any], found: list[int]) -> bool:
    """Whether a removed paragraph is article text (True) or debris (False), from the snippets."""
    if any(norm(s) in paragraph or paragraph in norm(s) for s in item["without"]):
        return False
    if any(norm(s) in paragraph or paragraph in norm(s) for s in item["with"]):
        return True
    at = text.find(paragraph)
    return bool(found) and min(found) <= at <= max(found)


def markdown(figures: dict) -> str:
    rows = {
        "`trafilatura.extract` (no options)": figures["plain"],
        "newsdesk ingest, cleaning rules off": figures["newsdesk_no_rules"],
        "**newsdesk ingest**": figures["newsdesk"],
    }
    seconds = figures["seconds_per_page"]
    lines = [
        f"{figures['pages']} pages, trafilatura {figures['trafilatura']}, one run "
        f"(`.venv/bin/python bench/extraction.py`, corpus `{figures['corpus']}`):",
        "",
        "| extractor | F1 | precision | recall | true pos. | false pos. | false neg. | s/page |",
        "|---|---|---|---|---|---|---|---|",
    ]
    timed = {"plain": f"{seconds['plain']:.3f}", "newsdesk": f"{seconds['newsdesk']:.3f}"}
    for (name, row), key in zip(rows.items(), ("plain", "", "newsdesk"), strict=True):
        lines.append(
            f"| {name} | {row['f1']:.4f} | {row['precision']:.4f} | {row['recall']:.4f} "
            f"| {row['tp']} | {row['fp']} | {row['fn']} | {timed.get(key, '')} |"
        )
    lines += [
        "",
        "| cleaning rule | pages | lines | words removed | of which debris | of which article text "
        '| "with" snippets lost | "without" snippets removed |',
        "|---|---|---|---|---|---|---|---|",
    ]
    for rule, e in figures["rules"].items():
        total = e["article_words"] + e["debris_words"]
        lines.append(
            f"| `{rule}` | {e['pages']} | {e['lines']} | {total:,} | {e['debris_words']:,} "
            f"| {e['article_words']:,} | {e['with_lost']} | {e['without_removed']} |"
        )
    lines += ["", f"Pages rejected: {len(figures['rejected'])}."]
    lines += [f"- `{r['file']}`: {r['reason']}" for r in figures["rejected"]]
    return "\n".join(lines)


def write_readme(path: Path, table: str) -> None:
    readme = path.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        raise SystemExit(f"{path} lacks the markers {BEGIN} ... {END}: add them for the tables")
    before, rest = readme.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    path.write_text(f"{before}{BEGIN}\n{table}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
