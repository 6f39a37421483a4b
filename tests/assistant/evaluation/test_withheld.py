"""bench/withheld.py: the answering sentence is taken out, its neighbours stay."""

from __future__ import annotations

from assistant.models import Passage
from bench.withheld import withhold


def test_only_the_sentences_holding_the_answer_are_taken_out() -> None:
    text = (
        "The harbour ferry strike entered its third day. "
        "The union said   400 crew members walked off on Monday. "
        "Commuters queued for buses instead."
    )
    passage = Passage(chunk_id="c", article_id="a", text=text, score=1.0)
    held = withhold(passage, ["400 crew members"])
    assert held.text == (
        "The harbour ferry strike entered its third day. Commuters queued for buses instead."
    )
    assert held.chunk_id == "c"  # the rest of the passage is as it was
    assert withhold(passage, ["no such words"]).text == text  # nothing holds it: all kept
