"""Answering: words and questions, the extractive and generative answerers, the citation check
and follow-up condensing. ``Answerer`` is the seam the chain talks to."""

from .base import Answerer, stream_answer
from .extractive import REFUSAL, ExtractiveAnswerer
from .generative import GenerativeAnswerer

__all__ = ["REFUSAL", "Answerer", "ExtractiveAnswerer", "GenerativeAnswerer", "stream_answer"]
