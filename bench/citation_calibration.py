"""Calibrate the citation check: support scores of hand-made claims about the sample article.

    .venv/bin/python bench/citation_calibration.py

Prints each claim's score and the range per label; the threshold (DEFAULT_MIN_SUPPORT) must
sit between the highest unsupported and the lowest supported score.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from assistant.answering.citations import DEFAULT_MIN_SUPPORT, CitationChecker
from assistant.models import Passage
from assistant.retrieval.embeddings import SentenceEmbeddings

text = Path("data/articles/iraq-militias-withdrawal.txt").read_text(encoding="utf-8")
start = text.index("Powerful Shia")
paras = [p for p in text[start:].split("\n\n") if p.strip()]
passages = [
    Passage(chunk_id=str(i), article_id="a", text=p, score=1.0) for i, p in enumerate(paras)
]


def src(word):
    return 1 + next(i for i, p in enumerate(paras) if word in p)


supported = [
    (
        "Kataib Hezbollah called the withdrawal a deceptive declaration to keep the occupation.",
        "Kataib",
    ),
    ("A Kataib Hezbollah spokesperson said a full withdrawal would not happen.", "Kataib"),
    ("Moqtada al-Sadr thanked the Iraqi prime minister for the agreement.", "Moqtada"),
    ("The Fatah coalition described the withdrawal as a national achievement.", "Fatah"),
    ("Biden promised to end the combat mission by the end of the year.", "On Monday"),
    ("About 2,500 American troops are believed to be in Iraq.", "On Monday"),
    ("Esmail Qaani secretly travelled to Baghdad to discuss the withdrawal.", "Esmail"),
    ("Ammar al-Hakim said the negotiating team were crowned with success.", "Ammar"),
    ("Militias backed by Iran have increased attacks on US forces.", "stepped up"),
    (
        "Most forces would stay but be reclassified in training roles, officials said.",
        "Administration",
    ),
]
unsupported = [
    ("Kataib Hezbollah welcomed the withdrawal as a great victory.", "Kataib"),
    ("About 5,000 American troops are believed to be in Iraq.", "On Monday"),
    ("Biden promised to end the combat mission by March 2022.", "On Monday"),
    ("The capital of France is Paris.", "Fatah"),
    ("Moqtada al-Sadr condemned the prime minister and called for war.", "Moqtada"),
    ("Esmail Qaani was arrested in Baghdad by US forces.", "Esmail"),
    ("The Fatah coalition is led by Moqtada al-Sadr.", "Ammar"),
    ("The United Nations voted to sanction Iraq.", "Administration"),
    ("Iran sent 300 tanks to the border.", "stepped up"),
    ("The withdrawal will be completed next week.", "Kataib"),
]
c = CitationChecker(SentenceEmbeddings())
for label, pairs in (("SUPPORTED", supported), ("UNSUPPORTED", unsupported)):
    scores = []
    for claim, word in pairs:
        s, _, _ = c.support(claim, passages[src(word) - 1])
        scores.append(s)
        print(f"{label:12} {s:.3f} {claim}")
    print(label, "min", round(min(scores), 3), "max", round(max(scores), 3))

print("threshold", DEFAULT_MIN_SUPPORT)
