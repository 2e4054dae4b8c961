"""Animations that tell the RNN story: reading a review, one word at a time, with memory.

- :func:`review_animation`: reading a product review, the words that matter light up
  and are all that is remembered at the end (the intuition behind gates);
- :func:`sequence_animation`: words become vectors, and an RNN reads them one by one;
- :func:`hidden_state_animation`: the hidden state, computed by real ``cells.rnn_step``
  calls, passed from each step to the next.
"""

from __future__ import annotations

import numpy as np

from .. import cells
from .._validate import describe, positive_int
from ..i18n import N_, _
from ._review_story import REVIEW, REVIEW_KEYWORDS, review_animation
from .animations import CourseAnimation
from .diagrams import Diagram
from .style import FONT_SIZE

__all__ = [
    "REVIEW",
    "REVIEW_KEYWORDS",
    "review_animation",
    "sequence_animation",
    "hidden_state_animation",
    "word_vectors",
]

# Translators: the words of the animations' sentence, separated by spaces (one box each).
_SENTENCE = N_("What time is it ?")
_WEIGHT_SCALE = 0.6
_CMAP = "PuOr"


def _check_words(words, most):
    """``words`` as a tuple of 1 to ``most`` strings (an animation has at most 40 frames);
    None is the course's sentence, in the current language."""
    if words is None:
        return tuple(_(_SENTENCE).split())
    if isinstance(words, str) or not all(isinstance(w, str) for w in words):
        raise TypeError(f"words must be a list of strings, but received {describe(words)}.")
    words = tuple(words)
    if not 1 <= len(words) <= most:
        raise ValueError(f"words must hold 1 to {most} words, but received {len(words)}.")
    return words


def word_vectors(words, size: int = 3, seed: int = 0) -> np.ndarray:
    """A made-up vector in (−1, 1)^size for each word: what an embedding layer gives.

    The same word always gets the same vector (for a given seed). Returns (len(words), size).
    """
    size = positive_int("size", size)
    words = _check_words(words, 10_000)
    vocab = sorted(set(words))
    table = np.tanh(np.random.default_rng(seed).normal(size=(len(vocab), size)))
    return np.array([table[vocab.index(w)] for w in words])


def _squares(ax, x, y, values, cell=0.32, alpha=1.0):
    """A column vector drawn as coloured squares centred on (x, y)."""
    from matplotlib import colormaps
    from matplotlib.patches import Rectangle

    cmap = colormaps[_CMAP]
    top = y + cell * len(values) / 2
    for j, v in enumerate(values):
        color = cmap(0.5 + 0.5 * v)
        ax.add_patch(
            Rectangle(
                (x - cell / 2, top - (j + 1) * cell),
                cell,
                cell,
                facecolor=color,
                edgecolor="#444444",
                lw=0.8,
                alpha=alpha,
                zorder=4,
            )
        )


def sequence_animation(words=None, fps=1.5):
    """Words become vectors; an RNN reads the vectors one at a time, in order.

    Frame 1 shows the words, frame 2 their vectors (see :func:`word_vectors`), then each
    step takes two frames: the cell moves under the next word, then reads its vector.
    """
    words = _check_words(words, 19)
    vectors = word_vectors(words)
    T = len(words)
    n = 2 + 2 * T
    xs = np.linspace(1.2, 8.8, T)

    def frame(fig, k):
        ax = fig.add_axes((0, 0.12, 1, 0.76))
        step, reading = (k - 2) // 2, (k - 2) % 2 == 1
        d = Diagram(ax, (0, 10), (0, 5.2), lit={"rnn", "read"} if reading else None)
        if k >= 2:
            d.box("rnn", (xs[step], 1.0), "RNN", "hidden", 1.4, 0.9)
        for t, (w, x) in enumerate(zip(words, xs)):
            done = k >= 2 and (t < step or (t == step and reading))
            current = k >= 2 and t == step
            ax.text(
                x,
                4.7,
                w,
                ha="center",
                va="center",
                fontsize=FONT_SIZE["large"],
                color="#AAAAAA" if done and not current else "black",
                weight="bold" if current else "normal",
            )
            if k >= 1:
                # Always in full colour: pale means "near 0" in the colour key, so a word
                # already read is marked by its grey text only (newcomer review N3).
                _squares(ax, x, 3.4, vectors[t], cell=0.42)
        if k >= 2 and reading:
            d.wire("read", [(xs[step], 2.7), "rnn"], "hidden")
        if k == 0:
            text = _("A sentence is a sequence of words.")
        elif k == 1:
            text = _("Each word is first turned into a vector of numbers.")
        elif not reading:
            text = _("Step {step}: the next element is “{word}”.").format(
                step=step + 1, word=words[step]
            )
        else:
            text = _("Step {step}: the RNN reads the vector of “{word}”.").format(
                step=step + 1, word=words[step]
            )
        fig.text(
            0.5,
            0.95,
            _("One element at a time"),
            ha="center",
            va="top",
            fontsize=FONT_SIZE["title"],
            weight="bold",
        )
        fig.text(0.5, 0.04, text, ha="center", va="bottom", fontsize=FONT_SIZE["normal"])
        if k >= 1:
            _colour_key(fig)

    alt = _(
        "Animation: the sentence {sentence} becomes a column of coloured squares per word "
        "(one square per number, from −1 orange to +1 purple); an RNN box then moves under "
        "each word in turn and reads its vector, left to right."
    ).format(sentence=" ".join(words))
    return CourseAnimation(_("one element at a time"), 8.0, 4.0, n, frame, fps=fps, alt=alt)


def _colour_key(fig, left=0.83):
    """A small colour bar saying what the squares' colours mean (−1 ... 0 ... +1).

    ``left`` is where it starts, as a fraction of the figure's width: each animation puts
    it in a corner that none of its labels reach in any frame (tests check every frame).
    """
    from matplotlib import colormaps

    key = fig.add_axes((left, 0.80, 0.14, 0.035))
    key.imshow(
        np.linspace(-1, 1, 64)[None, :],
        cmap=colormaps[_CMAP],
        vmin=-1,
        vmax=1,
        aspect="auto",
        extent=(-1, 1, 0, 1),
    )
    key.set_yticks([])
    key.set_xticks([-1, 0, 1], ["−1", "0", "+1"])
    key.tick_params(labelsize=FONT_SIZE["small"], length=2, pad=1)
    key.set_title(_("value"), fontsize=FONT_SIZE["small"], pad=2)
    key.set_gid("colour-key")


def hidden_state_animation(words=None, hidden_size=3, seed=0, fps=1.2):
    """An unrolled RNN passing its hidden state, from real ``cells.rnn_step`` calls, on.

    Inputs are :func:`word_vectors`; weights are drawn from ``default_rng(seed)``.
    Returns the animation; the hidden states it shows are ``anim.hidden_states``
    (T, hidden_size).
    """
    words = _check_words(words, 19)
    H = positive_int("hidden_size", hidden_size)
    X = word_vectors(words)
    rng = np.random.default_rng(seed)
    # weights of an RNN at initialisation scale (not trained): the state stays informative
    # instead of pinning at ±1 after a step or two
    W_ih = _WEIGHT_SCALE * rng.normal(size=(H, X.shape[1]))
    W_hh = _WEIGHT_SCALE * rng.normal(size=(H, H))
    b = np.zeros(H)
    hs, h = [], np.zeros(H)
    for x in X:
        h, _cache = cells.rnn_step(x, h, W_ih, W_hh, b, b)
        hs.append(h)
    hs = np.array(hs)
    T = len(words)
    n = 1 + 2 * T
    xs = np.linspace(1.1, 9.9, T)

    def frame(fig, k):
        ax = fig.add_axes((0, 0.1, 1, 0.78))
        step, leaving = (k - 1) // 2, (k - 1) % 2 == 1
        lit = set()
        for t in range(T):
            if k >= 1 and t <= step:
                lit |= {f"x{t}", f"cell{t}"} | ({f"h{t}"} if t < step or leaving else set())
        d = Diagram(ax, (-0.6, 11.6), (0, 5.6), lit=lit | {"h_init"} if k >= 1 else None)
        d.port("h_init", (-0.5, 3.0))
        d.port("h_end", (11.5, 3.0))
        for t, (w, x) in enumerate(zip(words, xs)):
            d.box(f"cell{t}", (x, 3.0), "RNN", "hidden", 1.1, 0.9)
            d.port(f"in{t}", (x, 1.2))
            ax.text(x, 0.35, w, ha="center", va="center", fontsize=FONT_SIZE["large"])
            d.wire(f"x{t}", [f"in{t}", f"cell{t}"], "hidden")
            _squares(ax, x - 0.45, 1.45, X[t], cell=0.22)
        d.wire("h_init", ["h_init", "cell0"], "hidden")
        d.label(
            "h_init", (-0.45, 3.3), "$h_0 = 0$", ha="left", va="bottom", size=FONT_SIZE["small"]
        )
        for t in range(T):
            end = f"cell{t + 1}" if t + 1 < T else "h_end"
            d.wire(f"h{t}", [f"cell{t}", end], "hidden")
            if k >= 1 and (t < step or (t == step and leaving)):
                mid = (xs[t] + (xs[t + 1] if t + 1 < T else 11.5)) / 2
                d.value(f"h{t}", (mid, 4.3), hs[t], "hidden")
                d.label(f"h{t}", (mid, 4.95), f"$h_{t + 1}$", va="bottom")
        if k == 0:
            caption = _("An RNN unrolled in time: the same cell at every step.")
        elif not leaving:
            caption = _("Step {step}: the cell combines “{word}” with the hidden state.").format(
                step=step + 1, word=words[step]
            )
        elif step + 1 < T:
            caption = _("$h_{step}$ carries what was seen so far to the next step.").format(
                step=step + 1
            )
        else:
            caption = _(
                "$h_{step}$, the last hidden state, holds what was seen of the sentence."
            ).format(step=step + 1)
        fig.text(
            0.5,
            0.95,
            _("The hidden state is passed on"),
            ha="center",
            va="top",
            fontsize=FONT_SIZE["title"],
            weight="bold",
        )
        fig.text(0.5, 0.03, caption, ha="center", va="bottom", fontsize=FONT_SIZE["normal"])
        # what the word squares' colours mean; top left, above h_0: on the right it
        # would cover the label of the last hidden state once that appears
        _colour_key(fig, left=0.03)

    alt = _(
        "Animation of an RNN unrolled over the words {sentence}: the same cell reads one "
        "word's vector per step and passes its hidden state, written as numbers above the "
        "arrows, to the next step; h_1 to h_{T} change with every word."
    ).format(sentence=" ".join(words), T=T)
    anim = CourseAnimation(_("the hidden state is passed on"), 8.0, 4.2, n, frame, fps=fps, alt=alt)
    anim.hidden_states = hs
    return anim
