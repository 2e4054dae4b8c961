"""A tiny character-level language model: read text one character at a time, guess the next.

The model is the package's smallest one: a recurrent layer (``LSTM`` or ``GRU``) reads
one-hot characters and a ``train.Linear`` read-out turns each hidden state into scores
for the next character:

    x_t = onehot(text[t])                     (V,)   V = size of the vocabulary
    h_t = layer step(x_t, h_{t-1}, ...)       (H,)
    p(text[t+1] = v) = softmax((W h_t + b) / temperature)[v]

It is trained with ``train.train`` (softmax cross-entropy at every step) on random
windows of a text, and it writes by sampling one character at a time and feeding it
back in. ``temperature`` divides the scores: below 1 the likeliest characters win
more often (safer, more repetitive text), above 1 the choice gets closer to uniform.

The weights shipped in ``lstm_gru_course/data/`` (``char_lstm.npz``, ``char_gru.npz``)
were made from the bundled nursery rhymes (``data/nursery_rhymes.txt``, public domain;
see ``data/README.md``) by::

    python -m lstm_gru_course.charmodel --kind lstm --out lstm_gru_course/data/char_lstm.npz
    python -m lstm_gru_course.charmodel --kind gru --out lstm_gru_course/data/char_gru.npz

(defaults: hidden size 48, 4000 steps of 32 windows of 64 characters, Adam lr 0.005,
seed 0; a few minutes on one laptop core).

>>> model = load_char_model("lstm")
>>> text = generate(model, "Jack and Jill", length=40, temperature=0.5, seed=0)
>>> text.startswith("Jack and Jill") and len(text) == len("Jack and Jill") + 40
True
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import cells
from ._charmodel_file import _LAYERS, _read_model_file
from ._validate import choice, describe, finite_number, nonnegative_int, positive_int
from .layers import LSTM
from .losses import softmax
from .tasks import Batch
from .train import History, Linear, train

__all__ = [
    "DATA_DIR",
    "CORPUS_PATH",
    "CharModel",
    "load_corpus",
    "text_batches",
    "train_char_model",
    "next_character_probabilities",
    "generate",
    "save_char_model",
    "load_char_model",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The bundled public-domain text (traditional English nursery rhymes).
CORPUS_PATH = DATA_DIR / "nursery_rhymes.txt"
#: What the model reads before the prompt: the start of a new rhyme (left out when the
#: vocabulary has no new line).
CONTEXT = "\n\n"


def load_corpus() -> str:
    """The bundled nursery rhymes, as one string (about 4 KB)."""
    return CORPUS_PATH.read_text(encoding="utf-8")


@dataclass
class CharModel:
    """A trained character model: its ``vocabulary``, recurrent ``layer`` and ``readout``.

    ``vocabulary`` is a string of the V distinct characters, in index order;
    ``layer`` an ``LSTM``/``GRU`` with input size V; ``readout`` a ``Linear(H, V)``.
    ``info`` holds how it was trained (command, steps, final loss, ...).
    """

    vocabulary: str
    layer: object
    readout: Linear
    info: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """ "lstm" or "gru"."""
        return "lstm" if isinstance(self.layer, LSTM) else "gru"

    def split_known(self, text) -> tuple[str, str]:
        """``(kept, dropped)``: ``text`` without the characters the model never saw, and those.

        >>> CharModel("ab", LSTM(2, 1), Linear(1, 2)).split_known("abcab!")
        ('abab', 'c!')
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, but received {describe(text)}.")
        known = set(self.vocabulary)
        kept = "".join(ch for ch in text if ch in known)
        dropped = "".join(dict.fromkeys(ch for ch in text if ch not in known))
        return kept, dropped

    def encode(self, text) -> np.ndarray:
        """Character indices (len(text),) int; raises ValueError naming unknown characters."""
        kept, dropped = self.split_known(text)
        if dropped:
            raise ValueError(
                f"text contains characters the model never saw: {dropped!r}; its vocabulary "
                f"is {self.vocabulary!r}."
            )
        lookup = {ch: k for k, ch in enumerate(self.vocabulary)}
        return np.array([lookup[ch] for ch in text], dtype=np.int64)


def _vocabulary(text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, but received {describe(text)}.")
    return "".join(sorted(set(text)))


def text_batches(text, vocabulary, length, batch_size):
    """A batch maker ``make_batch(rng) -> tasks.Batch`` of random windows of ``text``.

    Each batch holds ``batch_size`` windows of ``length + 1`` characters: inputs are
    the first ``length`` one-hot (length, batch_size, V), targets the next character at
    every step (length, batch_size). The chance level is the best guess that ignores
    the input: the character frequencies (loss = their entropy).

    >>> make = text_batches("abcabc", "abc", length=3, batch_size=2)
    >>> batch = make(np.random.default_rng(0))
    >>> batch.inputs.shape, batch.targets.shape
    ((3, 2, 3), (3, 2))
    """
    if not isinstance(vocabulary, str) or not vocabulary or len(set(vocabulary)) != len(vocabulary):
        raise ValueError(
            f"vocabulary must be a non-empty string of distinct characters, "
            f"but received {describe(vocabulary)}."
        )
    model = CharModel(vocabulary, None, None)
    codes = model.encode(text)
    length = positive_int("length", length)
    batch_size = positive_int("batch_size", batch_size)
    if codes.size < length + 1:
        raise ValueError(
            f"text must have at least length + 1 = {length + 1} characters, "
            f"but received {codes.size}."
        )
    V = len(vocabulary)
    freq = np.bincount(codes, minlength=V) / codes.size
    nonzero = freq[freq > 0]
    chance_loss = float(-(nonzero * np.log(nonzero)).sum())
    eye = np.eye(V)
    offsets = np.arange(length + 1)

    def make_batch(rng):
        starts = rng.integers(0, codes.size - length, size=batch_size)
        windows = codes[starts[None, :] + offsets[:, None]]  # (length+1, B)
        return Batch(
            inputs=eye[windows[:-1]],
            targets=windows[1:],
            kind="classification",
            output_size=V,
            chance_loss=chance_loss,
            chance_accuracy=float(freq.max()),
        )

    return make_batch


def train_char_model(
    text, kind="lstm", hidden_size=48, steps=4000, length=64, batch_size=32, lr=0.005, seed=0
) -> tuple[CharModel, History]:
    """Train a character model on ``text`` with ``train.train``; return it and its History.

    Vocabulary: the distinct characters of ``text``. Layer ``LSTM``/``GRU(V,
    hidden_size)``, read-out ``Linear(hidden_size, V)`` at every step, Adam(``lr``),
    gradient clipping at 1, ``steps`` batches from :func:`text_batches`.
    """
    kind = choice("kind", kind, tuple(_LAYERS))
    vocabulary = _vocabulary(text)
    V = len(vocabulary)
    hidden_size = positive_int("hidden_size", hidden_size)
    seed = nonnegative_int("seed", seed)
    layer = _LAYERS[kind](V, hidden_size, seed=seed)
    readout = Linear(hidden_size, V, seed=seed + 1)
    history = train(
        layer,
        readout,
        text_batches(text, vocabulary, length, batch_size),
        steps,
        lr=lr,
        readout_at="every",
        seed=seed,
    )
    info = {
        "kind": kind,
        "hidden_size": hidden_size,
        "steps": steps,
        "length": length,
        "batch_size": batch_size,
        "lr": lr,
        "seed": seed,
        "final_loss": float(history.loss[-100:].mean()),
        "chance_loss": history.chance_loss,
    }
    return CharModel(vocabulary, layer, readout, info), history


def _step(model, x, h, c):
    p = model.layer.params
    weights = (p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"])
    if isinstance(model.layer, LSTM):
        h, c, _ = cells.lstm_step(x, h, c, *weights)
    else:
        h, _ = cells.gru_step(x, h, *weights, reset=model.layer.reset)
    return h, c


def _checked(model, prompt, temperature):
    if not isinstance(model, CharModel):
        raise TypeError(
            f"model must be a CharModel (see load_char_model), but received {describe(model)}."
        )
    context = CONTEXT if set(CONTEXT) <= set(model.vocabulary) else ""
    codes = model.encode(context + prompt if isinstance(prompt, str) else prompt)
    temperature = finite_number("temperature", temperature)
    if temperature <= 0:
        raise ValueError(f"temperature must be a positive number, but received {temperature}.")
    return codes, temperature


def _read(model, codes):
    """The state (h, c) after reading ``codes``, and the one-hot lookup table."""
    H, eye = model.layer.hidden_size, np.eye(len(model.vocabulary))
    h, c = np.zeros(H), np.zeros(H)
    for code in codes:
        h, c = _step(model, eye[code], h, c)
    return h, c, eye


def _probabilities(model, h, temperature):
    weight, bias = model.readout.params["weight"], model.readout.params["bias"]
    return softmax(((weight @ h + bias) / temperature)[None, :])[0]


def next_character_probabilities(model, prompt="", temperature=1.0) -> np.ndarray:
    """p(next character) after reading ``CONTEXT + prompt``: (V,), in vocabulary order.

        p = softmax((W h + b) / temperature)       W (V, H), h (H,)

    >>> p = next_character_probabilities(load_char_model("gru"), "Humpty Dumpt")
    >>> load_char_model("gru").vocabulary[int(p.argmax())]
    'y'
    """
    codes, temperature = _checked(model, prompt, temperature)
    h, _, _ = _read(model, codes)
    return _probabilities(model, h, temperature)


def generate(model, prompt="", length=200, temperature=0.8, seed=0) -> str:
    """``prompt`` followed by ``length`` characters sampled from ``model``, one at a time.

    The model first reads ``CONTEXT + prompt`` (the start of a new rhyme, then the
    prompt); then, ``length`` times: scores = readout(h), p = softmax(scores /
    temperature), draw a character from p with ``np.random.default_rng(seed)``, feed
    it back in. The prompt may only use characters of ``model.vocabulary``
    (``model.split_known(prompt)`` removes the others).

    Shapes: one sequence (no batch); h (H,), scores (V,).
    """
    codes, temperature = _checked(model, prompt, temperature)
    length = nonnegative_int("length", length)
    rng = np.random.default_rng(nonnegative_int("seed", seed))
    h, c, eye = _read(model, codes)
    out = []
    for _ in range(length):
        p = _probabilities(model, h, temperature)
        code = int(np.searchsorted(np.cumsum(p), rng.random() * p.sum(), side="right"))
        code = min(code, len(model.vocabulary) - 1)
        out.append(model.vocabulary[code])
        h, c = _step(model, eye[code], h, c)
    return prompt + "".join(out)


def save_char_model(model, path) -> Path:
    """Write ``model`` to ``path`` (.npz): float32 weights, vocabulary and training info."""
    if not isinstance(model, CharModel):
        raise TypeError(f"model must be a CharModel, but received {describe(model)}.")
    path = Path(path)
    arrays = {f"layer.{k}": v.astype(np.float32) for k, v in model.layer.params.items()}
    arrays.update({f"readout.{k}": v.astype(np.float32) for k, v in model.readout.params.items()})
    info = {k: str(v) for k, v in model.info.items()}
    np.savez_compressed(
        path,
        vocabulary=np.array(model.vocabulary),
        kind=np.array(model.kind),
        info_keys=np.array(list(info)),
        info_values=np.array(list(info.values())),
        **arrays,
    )
    return path


#: The most a model file may unpack to (bytes of array data), checked before unpacking.
MAX_MODEL_BYTES = 256 * 2**20


def load_char_model(kind_or_path="lstm") -> CharModel:
    """A shipped model ("lstm" or "gru", from ``data/char_<kind>.npz``) or one saved at a path.

    Weights are stored in float32 and loaded as float64. The file is checked before
    its arrays are unpacked: every array must be there, with the shape the vocabulary
    size V and hidden size H give it (layer weights (G*H, V), (G*H, H), biases (G*H,),
    read-out (V, H) and (V,), with G = 4 for an LSTM and 3 for a GRU), and the whole
    must unpack to at most MAX_MODEL_BYTES. Weights must be finite. Anything else is a
    ValueError naming the array.
    """
    if isinstance(kind_or_path, str) and kind_or_path in _LAYERS:
        path = DATA_DIR / f"char_{kind_or_path}.npz"
    elif isinstance(kind_or_path, (str, Path)):
        path = Path(kind_or_path)
    else:
        raise TypeError(
            f"kind_or_path must be 'lstm', 'gru' or a path to a .npz file, "
            f"but received {describe(kind_or_path)}."
        )
    if not path.is_file():
        raise FileNotFoundError(f"no character model at {path}.")
    kind, vocabulary, V, H, arrays, info = _read_model_file(path, MAX_MODEL_BYTES)
    layer = _LAYERS[kind](V, H)
    layer.load_state_dict(
        {k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith("layer.")}
    )
    readout = Linear(H, V)
    readout.params["weight"][...] = arrays["readout.weight"]
    readout.params["bias"][...] = arrays["readout.bias"]
    return CharModel(vocabulary, layer, readout, info)


def main(argv=None) -> int:
    """Command line: train a character model on the bundled rhymes and save it."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--kind", choices=tuple(_LAYERS), default="lstm")
    parser.add_argument("--hidden-size", type=int, default=48)
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--length", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.005)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    model, history = train_char_model(
        load_corpus(),
        args.kind,
        args.hidden_size,
        args.steps,
        args.length,
        args.batch_size,
        args.lr,
        args.seed,
    )
    model.info["command"] = "python -m lstm_gru_course.charmodel " + " ".join(
        f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k != "out"
    )
    path = save_char_model(model, args.out)
    print(f"{history}\nsaved {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
