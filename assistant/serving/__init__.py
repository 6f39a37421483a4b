"""Serving: the JSON API (FastAPI) over an ``Assistant``; ``server.py`` adds the chat to it."""

from .api import create_api

__all__ = ["create_api"]
