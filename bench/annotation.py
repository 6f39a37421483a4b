"""Annotation batches for the reader's training and blind test questions (issue 18).

The Wikinews articles stay in ``../shared/news``; this script only writes working files for the
annotators outside the repository and reads their answers back.

    python bench/annotation.py prepare --out ../scratch/annot      # batches of ~10 articles
    python bench/annotation.py collect ../scratch/annot/train-*/answers-*.jsonl \
        --out data/train/questions.jsonl                            # checked, exact quotes

``prepare`` writes, per batch, the articles as ingest stores them (``article_from_record``:
the same cleaning), their sentences numbered by the chunker's splitter, so an annotator names
the sentences that state an answer by number; ``collect`` turns the numbers back into the exact
sentence texts and checks every quote is a substring of its sentence and every id is unique.

The held-out rule: the 365 articles sorted by URL; every sixth (position % 6 == 5) is held out
for the blind test set and never enters training (60 articles).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.text.sentences import sentence_spans  # noqa: E402
from ingest.jsonl import article_from_record  # noqa: E402

NEWS = ROOT.parent / "shared" / "news"
NEWS_FILES = ("wikinews_gum_semeval.jsonl", "amalgum_wikinews.jsonl")
BATCH = 10


def news_records(folder: Path = NEWS) -> list[dict]:
    """Every Wikinews record, sorted by URL."""
    records = []
    for name in NEWS_FILES:
        with (folder / name).open(encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle if line.strip())
    return sorted(records, key=lambda record: record["url"])


def split(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """``(train, held_out)``: every sixth article by URL is held out."""
    train = [r for i, r in enumerate(records) if i % 6 != 5]
    held = [r for i, r in enumerate(records) if i % 6 == 5]
    return train, held


def article_sentences(record: dict) -> tuple[str, str, list[str]]:
    """``(title, body, sentences)`` of one record as ingest stores it."""
    article = article_from_record(record, source="wikinews", fallback_id=record["url"])
    body = article.text
    return article.title, body, [body[s:e] for s, e in sentence_spans(body)]


def render(handle: str, record: dict) -> str:
    title, _, sentences = article_sentences(record)
    lines = [f"## Article {handle}", f"Title: {title}", f"Published: {record.get('published')}"]
    lines += [f"[{n}] {sentence}" for n, sentence in enumerate(sentences, start=1)]
    return "\n".join(lines) + "\n"


def prepare(out: Path) -> None:
    train, held = split(news_records())
    random.Random(18).shuffle(train)
    index = {}
    for kind, records in (("train", train), ("blind", held)):
        for start in range(0, len(records), BATCH):
            number = start // BATCH + 1
            batch = records[start : start + BATCH]
            folder = out / f"{kind}-{number:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            handles = [f"{kind[0].upper()}{number:02d}{chr(97 + i)}" for i in range(len(batch))]
            text = "\n".join(render(h, r) for h, r in zip(handles, batch, strict=True))
            (folder / "articles.md").write_text(text, encoding="utf-8")
            index.update({h: r["url"] for h, r in zip(handles, batch, strict=True)})
    (out / "index.json").write_text(json.dumps(index, indent=1), encoding="utf-8")
    print(f"{len(train)} training and {len(held)} held-out articles in {out}")


def collect(
    paths: list[Path],
    index_path: Path,
    out: Path,
    *,
    blind: bool,
    review: Path | None = None,
    rewrites: list[Path] = (),  # type: ignore[assignment]
) -> None:
    """Convert and check annotations; a second annotator's ``review`` (``verdict`` ok, fix
    with corrected fields, or drop, per id) is applied first, then ``rewrites`` (``id`` and
    the ``question`` reworded to name its topic; its answer and labels unchanged)."""
    index = json.loads(index_path.read_text(encoding="utf-8"))
    verdicts = {}
    if review is not None:
        lines = review.read_text(encoding="utf-8").splitlines()
        verdicts = {v["id"]: v for v in map(json.loads, filter(str.strip, lines))}
    reworded = {}
    for path in rewrites:
        lines = path.read_text(encoding="utf-8").splitlines()
        reworded |= {r["id"]: str(r["question"]) for r in map(json.loads, filter(str.strip, lines))}
    by_url = {r["url"]: r for r in news_records()}
    shown: dict[str, list[str]] = {}
    for folder in {path.parent for path in paths}:
        shown |= shown_sentences(folder / "articles.md")
    rows, problems, seen = [], [], set()
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            raw = json.loads(line)
            verdict = verdicts.get(raw.get("id"), {})
            if verdict.get("verdict") == "drop":
                continue
            if verdict.get("verdict") == "fix":
                fields = ("answers", "sentences", "answerable")
                raw |= {key: verdict[key] for key in fields if key in verdict}
            if raw.get("id") in reworded:
                raw["question"] = reworded.pop(raw["id"])
            try:
                row = convert(raw, index[raw["article"]], shown, by_url, blind=blind)
            except (ValueError, KeyError, TypeError, IndexError) as error:
                problems.append(f"{where}: {error}")
                continue
            if row["id"] in seen:
                problems.append(f"{where}: duplicate id {row['id']}")
                continue
            seen.add(row["id"])
            rows.append(row)
    dropped = {q for q in reworded if verdicts.get(q, {}).get("verdict") == "drop"}
    problems += [f"rewrite of {q}: no such question" for q in reworded if q not in dropped]
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    out.write_text(lines, encoding="utf-8")
    print(f"{len(rows)} questions to {out}; {len(problems)} problems", end="")
    print(f"; {len(dropped)} rewrites of dropped questions left out" if dropped else "")
    for problem in problems:
        print(" ", problem)


def shown_sentences(path: Path) -> dict[str, list[str]]:
    """Each article's sentences as the annotator saw them numbered in ``articles.md``."""
    sentences: dict[str, list[str]] = {}
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## Article "):
            current = sentences.setdefault(line.split()[-1], [])
        elif line.startswith("[") and "] " in line:
            current.append(line.split("] ", 1)[1])
    return sentences


def convert(raw: dict, url: str, shown: dict, by_url: dict, *, blind: bool) -> dict:
    """One annotation in the data format; the sentences are those the annotator saw, and each
    must still be a substring of the article (whitespace aside)."""
    sentences = shown[raw["article"]]
    text = " ".join(by_url[url]["text"].split())
    answerable = bool(raw["answerable"])
    chosen = [sentences[int(n) - 1] for n in raw.get("sentences", [])]
    answers = [a for a in raw.get("answers", []) if a]
    if answerable and not (chosen and answers):
        raise ValueError("an answerable question needs answers and sentences")
    if not answerable and (answers or chosen):
        raise ValueError("an unanswerable question has no answers or sentences")
    for answer in answers:
        if not any(answer.lower() in s.lower() for s in chosen):
            raise ValueError(f"answer {answer!r} is in none of its sentences")
    for sentence in chosen:
        if " ".join(sentence.split()) not in text:
            raise ValueError(f"sentence {sentence[:60]!r} is not in the article's text")
    row = {"id": raw["id"], "question": raw["question"], "answerable": answerable}
    if blind:  # the gold format `newsdesk eval` reads
        return row | {"key_facts": answers, "evidence": chosen, "article": url}
    near = raw.get("near")
    row |= {"article": url, "answers": answers, "sentences": chosen}
    row |= {"form": raw.get("form", ""), "twin_of": raw.get("twin_of")}
    if not answerable:
        row["near"] = sentences[int(near) - 1] if near else None
        row["missing"] = raw.get("missing", "")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("collect")
    c.add_argument("paths", type=Path, nargs="+")
    c.add_argument("--index", type=Path, required=True)
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--blind", action="store_true", help="write the gold format")
    c.add_argument("--review", type=Path, help="a second annotator's verdicts to apply")
    c.add_argument(
        "--rewrites", type=Path, nargs="*", default=[], help="questions reworded (id, question)"
    )
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.out)
    else:
        collect(
            args.paths,
            args.index,
            args.out,
            blind=args.blind,
            review=args.review,
            rewrites=args.rewrites,
        )


if __name__ == "__main__":
    main()
