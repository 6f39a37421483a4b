"""Dev only: the reader with more candidates (passages ``k``, sentences ``max_embedded``) and
other thresholds, with the withheld-sentence check (``bench/withheld.py``) at each setting::

    .venv/bin/python bench/reader_candidates.py "5,24 5,48 8,48" \
        "0.03,0.02,0.1 0.06,0.02,0.1 0.1,0.02,0.1 0.2,0.02,0.1" build/eval/candidates.json
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from answerers import memoise  # noqa: E402
from withheld import withhold  # noqa: E402

from assistant import Assistant, Settings  # noqa: E402
from assistant.evaluation.metrics import evaluate, load_gold  # noqa: E402

SETS = [
    ("seed", "seed", "dev/seed.jsonl"),
    ("lee", "lee", "dev/lee.jsonl"),
    ("paraphrase", "lee", "dev/paraphrase.jsonl"),
]
configs = [tuple(map(int, c.split(","))) for c in sys.argv[1].split()]
decisions = [tuple(map(float, d.split(","))) for d in sys.argv[2].split()]
out = []
for k, cap in configs:
    for name, store, spec in SETS:
        assistant = Assistant.from_settings(
            Settings(store=ROOT / "build/eval" / store, k=k), reader=True
        )
        a = assistant.answerer
        a.max_embedded = cap
        memoise(a)
        gold = load_gold(ROOT / "data/gold" / spec)
        # withheld passages, once
        held = {}
        for case in gold:
            if case.answerable:
                spans = [" ".join(s.lower().split()) for s in (*case.key_facts, *case.evidence)]
                ps = [withhold(p, spans) for p in assistant.retriever.retrieve(case.question, k=k)]
                held[case.id] = [p for p in ps if p.text]
        for d in decisions:
            a.threshold, a.margin, a.list_margin = d
            rep = evaluate(assistant.ask, gold, k=k)
            w = sum(not a.answer(c.question, held[c.id]).refused for c in gold if c.answerable)
            m = rep.metrics
            row = {
                "k": k,
                "cap": cap,
                "set": name,
                "decision": d,
                "kf": round(m["key_fact_recall"], 3),
                "ev": round(m["evidence_recall_at_k"], 3),
                "prec": round(m["citation_precision"], 3),
                "ref": round(m["refusal_accuracy"], 3),
                "withheld": round(w / len(held), 3),
                "p50": round(m["latency_ms_p50"]),
            }
            out.append(row)
            print(json.dumps(row), flush=True)
Path(sys.argv[3]).write_text(json.dumps(out, indent=1))
