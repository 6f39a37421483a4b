"""Word-level semantic match of a question and a sentence, from contextual wordpiece vectors.

``maxsim`` is late interaction (as in ColBERT): each content wordpiece of the question finds
its most similar wordpiece of the sentence, and the similarities are averaged. It rewards a
sentence that says each thing the question asks about in other words ("fled" / "left their
homes"), which one whole-sentence cosine blurs::

    tokens = embed_tokens(embeddings, [question, sentence])
    score = maxsim(question_weights(tokens[0]), tokens[0], tokens[1])
"""

from __future__ import annotations

import numpy as np

from ..retrieval.embeddings import Tokens
from ..text.words import is_stopword


def question_weights(question: Tokens) -> np.ndarray:
    """1 for each wordpiece of a content word of the question, 0 for stopwords and
    punctuation (all 1 when nothing else is left)."""
    weights, word_weight = [], 0.0
    pieces = question.pieces
    for index, piece in enumerate(pieces):
        if not piece.startswith("##"):
            word = piece + "".join(p[2:] for p in _continuations(pieces, index + 1))
            word_weight = float(word.isalnum() and not is_stopword(word))
        weights.append(word_weight)
    array = np.asarray(weights, dtype=np.float32)
    return array if array.sum() else np.ones_like(array)


def maxsim(weights: np.ndarray, question: Tokens, sentence: Tokens) -> float:
    """Weighted mean over the question's wordpieces of their best cosine in ``sentence``."""
    if not len(sentence.pieces) or not len(question.pieces):
        return 0.0
    best = (question.vectors.astype(np.float32) @ sentence.vectors.astype(np.float32).T).max(1)
    return float(best @ weights / weights.sum())


def _continuations(pieces: tuple[str, ...], start: int) -> list[str]:
    found = []
    for piece in pieces[start:]:
        if not piece.startswith("##"):
            break
        found.append(piece)
    return found
