"""Word-level semantic match of a question and a sentence, from contextual wordpiece vectors.

``maxsim`` is late interaction (as in ColBERT): each content wordpiece of the question finds
its most similar wordpiece of the sentence, and the similarities are averaged. It rewards a
sentence that says each thing the question asks about in other words ("fled" / "left their
homes"), which one whole-sentence cosine blurs::

    tokens = embed_tokens(embeddings, [question, sentence])
    score = maxsim(question_weights(tokens[0]), best_matches(tokens[0], tokens[1]))

``weakest`` is the other end: the best match of the question's least matched content word. A
near miss shares the topic but not the one thing asked ("how many were *arrested*" against "20
people were *killed*"); its average stays high while its weakest word falls.
"""

from __future__ import annotations

import numpy as np

from ..retrieval.embeddings import Tokens
from ..text.words import is_stopword


def question_weights(question: Tokens) -> np.ndarray:
    """1 for each wordpiece of a content word of the question, 0 for stopwords and
    punctuation (all 1 when nothing else is left)."""
    weights = np.zeros(len(question.pieces), dtype=np.float32)
    for span in content_words(question):
        weights[span.start : span.stop] = 1.0
    return weights if weights.sum() else np.ones_like(weights)


def best_matches(question: Tokens, sentence: Tokens) -> np.ndarray | None:
    """Each question wordpiece's best cosine among ``sentence``'s (None if either is empty):
    what ``maxsim`` and ``weakest`` both read, computed once."""
    if not len(sentence.pieces) or not len(question.pieces):
        return None
    return (question.vectors.astype(np.float32) @ sentence.vectors.astype(np.float32).T).max(1)


def maxsim(weights: np.ndarray, best: np.ndarray | None) -> float:
    """Weighted mean over the question's wordpieces of their best cosine (``best_matches``)."""
    return 0.0 if best is None else float(best @ weights / weights.sum())


def weakest(words: list[range], best: np.ndarray | None) -> float:
    """The lowest, over the question's content words (``content_words``), of the word's best
    cosine (its pieces averaged); 1.0 when the question has no content word."""
    if best is None:
        return 0.0
    return min((float(best[span.start : span.stop].mean()) for span in words), default=1.0)


def content_words(question: Tokens) -> list[range]:
    """The wordpiece index ranges of the question's content words (not stopwords, not
    punctuation)."""
    spans, pieces, index = [], question.pieces, 0
    while index < len(pieces):
        end = index + 1 + len(_continuations(pieces, index + 1))
        word = pieces[index] + "".join(p[2:] for p in pieces[index + 1 : end])
        if word.isalnum() and not is_stopword(word):
            spans.append(range(index, end))
        index = end
    return spans


def _continuations(pieces: tuple[str, ...], start: int) -> list[str]:
    found = []
    for piece in pieces[start:]:
        if not piece.startswith("##"):
            break
        found.append(piece)
    return found
