"""Animations of one cell at work: the RNN cell, and the LSTM's four steps.

Each animation builds a cell diagram up stage by stage, with the numbers of a real
``cells`` forward step (by default the worked example, :func:`~.examples.tiny_step`):

- it opens on the finished picture of its stage (nothing greyed out), then starts
  from the inputs;
- at every stage the values *travel* along the wires that stage lights (a tag with
  the vector moves from one end of the wire to the other over a few frames), then
  the result appears where it is computed;
- what earlier stages lit stays lit; the stage's equation is written under the title
  and a numbered caption says in words what happens.
"""

from __future__ import annotations

import re

import numpy as np

from .._validate import choice
from ..i18n import _
from ._cell_stages import _TITLES, LSTM_STAGES, RNN_STAGES, STAGE_EQUATIONS
from ._vectors import format_vector
from .animations import CourseAnimation
from .cells_art import cell_values, draw_lstm, draw_rnn
from .examples import tiny_step
from .layouts import LSTM_LAYOUT, RNN_LAYOUT, path_elements
from .style import FONT_SIZE, ROLE_INK

__all__ = [
    "rnn_cell_animation",
    "lstm_gate_animation",
    "LSTM_STAGES",
    "RNN_STAGES",
    "STAGE_EQUATIONS",
]

_SCALE = 0.4
_TRAVEL = (0.15, 0.45, 0.75)  # where a travelling value is drawn on the frames before it arrives
_TRAVEL_IN = (0.3, 0.5, 0.65)  # the two inputs: their tags clear the labels and each other
#: Where the inputs' moving tags sit beside their wire (offset, ha, va): h_{t-1}'s
#: above its wire, x_t's to the left of its wire, so the two never cover each other.
_TAG_BESIDE = {"h_in": ((0.0, 0.2), "center", "bottom"), "x_in": ((-0.3, 0.0), "right", "center")}


def _caption(fig, y, number, caption, margin=0.03):
    """Write "``number``   ``caption``" centred at height ``y`` (figure fraction, text
    bottom), wrapped onto more lines where it would be wider than the figure less
    ``margin`` on each side; ``$...$`` math is never split. Chinese text (no spaces)
    may break between any two characters, never before closing punctuation."""
    if _CJK.search(caption):
        words = re.findall(_CJK_TOKEN, caption)
    else:
        words = [" " + w for w in re.findall(r"(?:\$[^$]*\$|[^\s$])+", caption)]
    words = [words[0].lstrip()] + words[1:]
    text = fig.text(
        0.5, y, "", ha="center", va="bottom", fontsize=FONT_SIZE["normal"], gid="caption"
    )
    renderer = fig.canvas.get_renderer()
    room = (1 - 2 * margin) * fig.bbox.width
    lines = [f"{number}   {words[0]}" if number else words[0]]
    for word in words[1:]:
        text.set_text(f"{lines[-1]}{word}")
        if text.get_window_extent(renderer).width > room:
            lines.append(word.lstrip())
        else:
            lines[-1] = text.get_text()
    text.set_text("\n".join(lines))
    return text


def _route(diagram, layout, wire):
    """The polyline of ``wire`` (its node names resolved to their centres)."""
    route = next(item[1] for item in layout["wires"] if item[0] == wire)
    return np.array([diagram.nodes[p].xy if isinstance(p, str) else p for p in route], float)


def _along(points, t):
    """The point a fraction ``t`` of the way along a polyline."""
    seg = np.diff(points, axis=0)
    lengths = np.hypot(seg[:, 0], seg[:, 1])
    goal = t * lengths.sum()
    for start, step, length in zip(points[:-1], seg, lengths):
        if goal <= length or length == lengths[-1]:
            return start + step * min(goal / length, 1.0) if length else start
        goal -= length
    return points[-1]


def _beside(diagram, layout, wire, t):
    """(offset, ha, va) of a moving tag: beside its wire where the wire is at ``t``
    (above a horizontal stretch, right of a vertical one; the inputs as
    :data:`_TAG_BESIDE` says)."""
    if wire == "x_in" or (wire == "h_in" and wire in _TAG_BESIDE and t < 0.5):
        return _TAG_BESIDE[wire]
    route = _route(diagram, layout, wire)
    step = _along(route, min(t + 0.02, 1.0)) - _along(route, max(t - 0.02, 0.0))
    if abs(step[0]) >= abs(step[1]):
        return (0.0, 0.25), "center", "bottom"
    if layout is RNN_LAYOUT and wire in ("h_new", "h_in"):  # the tanh layer is on the right
        return (-0.3, 0.0), "right", "center"
    return (0.65, 0.0), "left", "center"


def _waves(travellers):
    """The travellers of a stage in the order they move: the two inputs together; any
    other values one after the other (what goes into a layer arrives before what
    comes out of it sets off)."""
    if not travellers:
        return []
    if all(wire in _TAG_BESIDE for wire, _, _ in travellers):
        return [list(travellers)]
    return [[item] for item in travellers]


def _frames(stages):
    """(stage index, travel fraction or None, wave) for each frame after the opening one."""
    out = []
    for k, stage in enumerate(stages):
        for w, wave in enumerate(_waves(stage[2])):
            travel = _TRAVEL_IN if wave[0][0] in _TAG_BESIDE else _TRAVEL
            out += [(k, t, w) for t in travel]
        out.append((k, None, None))
    return out


_CJK_CHARS = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_CJK = re.compile(f"[{_CJK_CHARS}]")
#: A token of a Chinese caption (with the spaces before it): a maths span, one CJK
#: character with any closing punctuation after it, or a run of other characters.
_CJK_TOKEN = (
    rf"\s*(?:\$[^$]*\$[，。、；：！？）”]*|[{_CJK_CHARS}][，。、；：！？）”]*|[^\s${_CJK_CHARS}]+)"
)


def _expand(layout, names):
    out = set()
    for item in names:
        out |= path_elements(layout, item[1:]) if item.startswith("@") else {item}
    return out


def _stage_animation(
    title, layout, draw, stages, cache, fps, extra=None, alt=None, digits=2, names=None
):
    """Frame 0: the finished stage; then each stage's values travel, then arrive.

    Values are written to ``digits`` decimals; ``names`` maps a value's name to the
    (text, side) written beside its tag once it has arrived (see :func:`_name_values`)."""
    x0, x1 = layout["xlim"]
    y0, y1 = layout["ylim"]
    width, height = _SCALE * (x1 - x0), _SCALE * (y1 - y0) + 1.35
    values = cell_values("rnn" if draw is draw_rnn else "lstm", cache)
    if extra is not None:
        values = {**values, **extra.values}
    plan = [(len(stages) - 1, None, None, True)] + [(k, t, w, False) for k, t, w in _frames(stages)]
    n = len(stages)

    def frame(fig, j):
        k, t, wave, opening = plan[j]
        done = stages[: k + 1] if t is None else stages[:k]
        lit = set().union(*(_expand(layout, s[0]) for s in stages[: k + 1]))
        show = set().union(set(), *(s[1] for s in done))
        ax = fig.add_axes((0, 0.6 / height, 1, 1 - 1.35 / height))
        diagram = draw(ax, cache=cache, lit=lit, show=show)
        if extra is not None:
            extra(diagram, show)
        if t is not None:
            for wire, name, role in _waves(stages[k][2])[wave]:
                xy = _along(_route(diagram, layout, wire), t)
                if name is None:
                    ax.plot(
                        *xy,
                        "o",
                        ms=9,
                        color=ROLE_INK[role],
                        mec="white",
                        mew=1.5,
                        zorder=7,
                        gid=f"moving:{wire}",
                    )
                else:
                    (dx, dy), ha, va = _beside(diagram, layout, wire, t)
                    # a dot on the wire, the tag beside it (never over what it goes into)
                    ax.plot(*xy, "o", ms=7, color=ROLE_INK[role], mec="white", mew=1.2, zorder=7)
                    tag = diagram.value(
                        f"moving:{name}", (xy[0] + dx, xy[1] + dy), values[name], role, ha=ha, va=va
                    )
                    tag.set_gid(f"moving:{name}")
                    tag.set_zorder(7)
        if digits != 2:
            _rewrite_values(fig, ax, values, digits)
        if names:
            _name_values(fig, ax, names)
        fig.text(
            0.5,
            1 - 0.08 / height,
            title,
            ha="center",
            va="top",
            fontsize=FONT_SIZE["title"],
            weight="bold",
        )
        equation = stages[k][4]
        if equation:
            fig.text(
                0.5,
                1 - 0.5 / height,
                equation,
                ha="center",
                va="top",
                fontsize=FONT_SIZE["normal"],
                color="#1A1A1A",
                gid="equation",
            )
        if opening:
            _caption(
                fig,
                0.12 / height,
                "",
                _(
                    "The whole stage at a glance; press ▶ to see "
                    "the values travel, one step at a time."
                ),
            )
        else:
            _caption(fig, 0.12 / height, f"{k + 1}/{n}", _(stages[k][3]))

    return CourseAnimation(title, width, height, len(plan), frame, fps=fps, alt=alt)


def _rewrite_values(fig, ax, values, digits):
    """Write every value tag of ``ax`` (arrived or travelling) to ``digits`` decimals.

    A centred tag that has arrived keeps its left edge and grows to the right, so the
    longer numbers do not reach into the layer name on its left."""
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()  # place the equal-aspect diagram where the frame draws it
    to_data = ax.transData.inverted()
    for text in ax.texts:
        kind, _sep, name = (text.get_gid() or "").partition(":")
        if kind not in ("value", "moving") or name not in values:
            continue
        if kind == "value" and text.get_ha() == "center":
            left = to_data.transform((text.get_window_extent(renderer).x0, 0))[0]
            text.set_x(left)
            text.set_ha("left")
        text.set_text(format_vector(values[name], digits=digits, column=True))


def _name_values(fig, ax, names):
    """Name each shown value tag, so each box says what it holds: ``names[name]`` is
    (text, side), the text written just above the tag's left edge (side "above") or
    just left of its first line (side "left"), e.g. ("$a$ =", "above") over the sum."""
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()  # place the equal-aspect diagram where the frame draws it
    to_data = ax.transData.inverted()
    for text in list(ax.texts):
        kind, _sep, name = (text.get_gid() or "").partition(":")
        if kind != "value" or name not in names or not text.get_visible():
            continue
        text.update_bbox_position_size(renderer)
        box = text.get_bbox_patch().get_window_extent(renderer)
        (left, bottom), (_right, top) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        words, side = names[name]
        if side == "above":
            xy, ha, va = (left, top + 0.05), "left", "bottom"
        else:
            xy, ha, va = (left - 0.1, top - 0.05), "right", "top"  # level with the first entry
        ax.text(
            *xy,
            words,
            ha=ha,
            va=va,
            color=ROLE_INK["hidden"],
            zorder=5,
            fontsize=FONT_SIZE["normal"],
            gid=f"label:{name}",
        )


def _rnn_pre_activation(cache):
    """The RNN step's pre-activation ``a`` (``h = tanh(a)``), row 0, from its cache.

    ``cells.rnn_step`` keeps ``h`` but not ``a``, so ``a = artanh(h)``: far more
    precise than the two decimals written while ``h`` is not saturated; None once some
    ``|h|`` is within 1e-9 of 1 (then ``a`` cannot be recovered).
    """
    h = cell_values("rnn", cache)["h"]
    return np.arctanh(h) if np.all(np.abs(h) < 1 - 1e-9) else None


def _write_pre_activation(a):
    """A callback writing ``a`` on the frames that show it: right of the short wire that
    rises into the RNN's tanh layer, just below the layer, with its name "a =" between
    the wire and the tag (see ``names`` in :func:`rnn_cell_animation`), so it reads as
    what the layer takes in, not as a value on ``h_{t-1}``'s wire."""

    def extra(diagram, show):
        if a is None or "a" not in show:
            return
        if diagram.lit is not None:
            diagram.lit.add("a")
        box = diagram.nodes["box_tanh"]
        x, y = box.xy
        diagram.value("a", (x + 1.1, y - box.half_h - 0.55), a, "hidden", ha="left", va="top")

    extra.values = {} if a is None else {"a": a}
    return extra


def _vector_words(v, digits=2):
    return _(" and ").join(f"{x:.{digits}f}".replace("-", "−") for x in v)


def rnn_cell_animation(cache=None, fps=1.5):
    """The RNN cell step by step: inputs, concatenation, tanh layer, new hidden state.

    ``cache`` is a ``cells.rnn_step`` cache (default: ``tiny_step("rnn")``). From the
    tanh stage on, the pre-activation ``a`` (``h_t = tanh(a)``) is written beside the
    short wire into the layer.
    """
    cache = tiny_step("rnn") if cache is None else cache
    v = cell_values("rnn", cache)
    alt = _(
        "Animation of one RNN step: x_t ({x}) and h_t-1 ({h_prev}) travel into the cell, "
        "are concatenated, go through the tanh layer, and leave as the new hidden state "
        "h_t ({h})."
    ).format(
        x=_vector_words(v["x"], 3), h_prev=_vector_words(v["h_prev"], 3), h=_vector_words(v["h"], 3)
    )
    return _stage_animation(
        _("{cell} cell").format(cell="RNN"),
        RNN_LAYOUT,
        draw_rnn,
        RNN_STAGES,
        cache,
        fps,
        extra=_write_pre_activation(_rnn_pre_activation(cache)),
        alt=alt,
        digits=3,
        names={"a": ("$a$ =", "left"), "h": ("$h_t$ =", "left")},
    )


def _lstm_alt(gate, v):
    words = {k: _vector_words(x) for k, x in v.items()}
    return {
        "forget": _(
            "Animation of the LSTM forget gate: h_t-1 and x_t travel to the sigmoid "
            "layer, which outputs f_t = {f}; the old cell state c_t-1 = {c_prev} is "
            "multiplied by it, giving {f_c_prev}: slot 1 is kept, slot 2 all but erased."
        ),
        "input": _(
            "Animation of the LSTM input gate: h_t-1 and x_t travel to a sigmoid layer "
            "(i_t = {i}) and a tanh layer (candidate g_t = {g}); their product {i_g} is "
            "what gets written: slot 1 blocked, slot 2 written."
        ),
        "cell": _(
            "Animation of the LSTM cell-state update: c_t-1 = {c_prev} is multiplied by "
            "f_t ({f_c_prev}), then i_t ⊙ g_t ({i_g}) is added, giving the new cell state "
            "c_t = {c}."
        ),
        "output": _(
            "Animation of the LSTM output gate: o_t = {o} comes out of a sigmoid layer; "
            "the new cell state c_t = {c} goes through tanh ({tanh_c}) and is multiplied "
            "by o_t, giving h_t = {h}: slot 1 shown, slot 2 hidden."
        ),
    }[gate].format(**words)


def lstm_gate_animation(gate: str, cache=None, fps=1.5):
    """One LSTM step, built up stage by stage, with the numbers of a real forward step.

    ``gate`` is "forget", "input", "cell" (the cell-state update) or "output";
    ``cache`` is a ``cells.lstm_step`` cache (default: ``tiny_step("lstm")``).
    """
    gate = choice("gate", gate, tuple(LSTM_STAGES))
    cache = tiny_step("lstm") if cache is None else cache
    stages = LSTM_STAGES[gate]
    if not _is_worked_example(cache):
        stages = [
            s[:3]
            + (re.sub(r"(: ×0\.95|: slot 1|; here slot 1|: slot 1 is|, slot 2).*", ".", s[3]),)
            + s[4:]
            for s in stages
        ]
    return _stage_animation(
        _("LSTM: {stage}").format(stage=_(_TITLES[gate]).lower()),
        LSTM_LAYOUT,
        draw_lstm,
        stages,
        cache,
        fps,
        alt=_lstm_alt(gate, cell_values("lstm", cache)),
    )


def _is_worked_example(cache) -> bool:
    """True when ``cache`` holds the worked example's numbers (its captions describe them)."""
    example = tiny_step("lstm")
    return all(
        np.array_equal(np.asarray(cache.get(k)), example[k]) for k in ("f", "i", "o", "c_prev")
    )
