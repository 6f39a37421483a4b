"""Chat-model plumbing for the LLM answerers: a llama.cpp backend and deadline-bound streaming.

``assistant/factory.py`` builds the concrete model (``make_chat_model``); this module only holds
what every backend shares::

    model = LlamaCppChatModel(llama=Llama(model_path="model.gguf"))
    for piece in stream_text(model, messages, timeout=30):
        ...  # text pieces; BackendTimeoutError when the model is slower than ``timeout``
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from ..errors import BackendError

logger = logging.getLogger(__name__)

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}
_DONE = object()


class BackendTimeoutError(BackendError):
    """The chat model sent nothing for longer than its timeout."""


class LlamaCppChatModel(BaseChatModel):
    """A LangChain chat model over an in-process ``llama_cpp.Llama`` (a local GGUF file).

    model = LlamaCppChatModel(llama=Llama(model_path="SmolLM2.gguf", n_ctx=4096))
    model.invoke("Say hello").content
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llama: Any
    temperature: float = 0.0
    max_tokens: int = 256
    # One llama.cpp context serves one generation at a time (the chat may ask concurrently).
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(c.text for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            stream = self.llama.create_chat_completion(
                messages=[
                    {"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages
                ],
                temperature=self.temperature,
                max_tokens=self.max_tokens,
                stop=stop,
                stream=True,
            )
            for part in stream:
                text = part["choices"][0]["delta"].get("content") or ""
                if text:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                    if run_manager:
                        run_manager.on_llm_new_token(text, chunk=chunk)
                    yield chunk


def stream_text(
    model: BaseChatModel, messages: Sequence[BaseMessage], *, timeout: float
) -> Iterator[str]:
    """Stream ``model``'s reply as text pieces; raise if any wait exceeds ``timeout`` seconds.

    The model runs in a daemon thread, so a backend that hangs (a server that accepts the
    connection and never answers) cannot hang the caller: after ``timeout`` seconds without a
    piece, ``BackendTimeoutError`` is raised and the thread is abandoned. Errors raised by the
    model are re-raised here.
    """
    pieces: queue.Queue[Any] = queue.Queue()
    stop = threading.Event()
    worker = threading.Thread(
        target=_pump, args=(model, list(messages), pieces, stop), daemon=True, name="chat-model"
    )
    worker.start()
    try:
        while True:
            started = time.monotonic()
            try:
                item = pieces.get(timeout=timeout)
            except queue.Empty:
                raise BackendTimeoutError(
                    f"The chat model sent nothing for {time.monotonic() - started:.0f} s "
                    f"(timeout {timeout:g} s). Raise NEWSDESK_LLM_TIMEOUT or use a faster model."
                ) from None
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


def _pump(
    model: BaseChatModel,
    messages: list[BaseMessage],
    pieces: queue.Queue[Any],
    stop: threading.Event,
) -> None:
    try:
        for chunk in model.stream(messages):
            if stop.is_set():
                return
            if chunk.text:
                pieces.put(chunk.text)
        pieces.put(_DONE)
    except BaseException as error:  # handed to the consumer, which re-raises it
        pieces.put(error)
