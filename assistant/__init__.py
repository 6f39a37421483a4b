"""newsdesk: answers questions about news articles with cited passages.

from assistant import Assistant
answer = Assistant.from_settings().ask("Which groups reject the withdrawal?")
"""

from .chain import Assistant
from .errors import (
    EmptyStoreError,
    NewsdeskError,
    QuestionError,
    SourceError,
    StoreUnavailableError,
)
from .models import Answer, Citation, Passage
from .settings import Settings

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "EmptyStoreError",
    "NewsdeskError",
    "Passage",
    "QuestionError",
    "Settings",
    "SourceError",
    "StoreUnavailableError",
]
