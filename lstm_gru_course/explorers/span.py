"""Explorer 6: memory span. Train an RNN, LSTM or GRU to remember the first symbol, watch it learn.

Training takes seconds, so it runs only when the learner presses *Train*; each run is
added to the plot (up to ``MAX_RUNS``), so models and lags can be compared.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..analysis.memory_span import memory_span_run
from ..figures.style import FONT_SIZE, MODEL_STYLES, course_style, new_figure
from ..i18n import _
from ._base import _KIND_LABELS as _LABELS
from ._base import Explorer, figure_png, slider_style

__all__ = [
    "compute_memory_span",
    "draw_memory_span",
    "memory_span",
    "memory_span_small_multiples",
    "MAX_RUNS",
    "smooth",
]

#: Runs kept on the plot; the oldest is dropped first.
MAX_RUNS = 6
_MODELS = {"RNN": "rnn", "LSTM": "lstm", "GRU": "gru"}
_DASHES = ["-", "--", ":", "-."]


def compute_memory_span(model="LSTM", lag=10, steps=200, seed=0, on_step=None):
    """One :func:`~lstm_gru_course.analysis.memory_span.memory_span_run` (hidden size 16, batch 32)."""
    return memory_span_run(_MODELS.get(model, model), lag, steps, seed=seed, on_step=on_step)


def smooth(values, window=10) -> np.ndarray:
    """Moving average over the last ``window`` values (fewer at the start), same length.

    >>> smooth(np.array([0.0, 1.0, 1.0, 1.0]), window=2).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """
    values = np.asarray(values, dtype=float)
    sums = np.cumsum(np.concatenate([[0.0], values]))
    idx = np.arange(1, values.size + 1)
    start = np.maximum(0, idx - window)
    return (sums[idx] - sums[start]) / (idx - start)


def _run_label(run) -> str:
    return _("{model}, lag {lag}: test accuracy {percent}%").format(
        model=_LABELS[run.kind], lag=run.lag, percent=f"{100 * run.test_accuracy:.0f}"
    )


def _chance_line(ax, level, label):
    """A dashed grey line at ``level`` with ``label`` at its right end."""
    ax.axhline(level, color="#999999", ls="--", lw=1)
    ax.text(
        0.99,
        level,
        label,
        transform=ax.get_yaxis_transform(),
        ha="right",
        va="bottom",
        fontsize=FONT_SIZE["small"],
        color="#555555",
    )


def draw_memory_span(runs, axes) -> None:
    """Learning curves of ``runs`` (smoothed loss, accuracy) with the chance level."""
    ax_loss, ax_acc = axes
    counts = {}
    for run in runs:
        style = dict(MODEL_STYLES[_LABELS[run.kind]])
        style.pop("marker")
        index = counts.get(run.kind, 0)
        counts[run.kind] = index + 1
        style["linestyle"] = _DASHES[(_DASHES.index(style["linestyle"]) + index) % len(_DASHES)]
        steps = np.arange(1, run.steps + 1)
        window = max(1, run.steps // 20)
        ax_loss.plot(steps, smooth(run.history.loss, window), lw=2, label=_run_label(run), **style)
        ax_acc.plot(steps, 100 * smooth(run.history.accuracy, window), lw=2, **style)
    _chance_line(ax_loss, np.log(2.0), _("chance (log 2)"))
    _chance_line(ax_acc, 50, _("chance (50%)"))
    ax_loss.set(xlabel=_("training step"), ylabel=_("loss (smoothed)"), ylim=(0, 1.0))
    ax_acc.set(xlabel=_("training step"), ylabel=_("accuracy % (smoothed)"), ylim=(0, 105))
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.set_xlim(left=0)


def _figure(runs):
    with course_style():
        fig = new_figure(8.0, 4.2)
        axes = fig.subplots(1, 2, gridspec_kw={"wspace": 0.3})
        draw_memory_span(runs, axes)
        if runs:
            fig.legend(
                *axes[0].get_legend_handles_labels(),
                loc="lower center",
                ncol=2,
                frameon=False,
                fontsize=FONT_SIZE["small"],
            )
        else:
            axes[0].text(
                0.5,
                0.5,
                _("press Train"),
                transform=axes[0].transAxes,
                ha="center",
                fontsize=FONT_SIZE["large"],
                color="#777777",
            )
        rows = (len(runs) + 1) // 2
        fig.subplots_adjust(
            left=0.09, right=0.98, top=0.95, bottom=(0.62 + 0.24 * rows) / fig.get_figheight()
        )
    return fig


def _verdict(run) -> str:
    acc = run.test_accuracy
    name = _LABELS[run.kind]
    if acc >= 0.95:
        template = _(
            "{model} remembered the first symbol across {lag} steps: test accuracy "
            "{percent}% on 512 new sequences (chance 50%) after {steps} steps."
        )
    elif acc <= 0.6:
        template = _(
            "{model} did not carry the first symbol across {lag} steps (no better than "
            "chance): test accuracy {percent}% on 512 new sequences (chance 50%) after "
            "{steps} steps."
        )
    else:
        template = _(
            "{model} partly remembered it across {lag} steps: test accuracy "
            "{percent}% on 512 new sequences (chance 50%) after {steps} steps."
        )
    return template.format(
        model=f"<b style='color:{MODEL_STYLES[name]['color']}'>{name}</b>",
        lag=run.lag,
        percent=f"{100 * acc:.0f}",
        steps=run.steps,
    )


def memory_span(model="LSTM", lag=10, steps=200) -> Explorer:
    """Explorer 6: pick a model, a lag and a number of steps, press Train, watch it learn.

    ``explorer.runs`` holds every :class:`~lstm_gru_course.analysis.memory_span.MemorySpanRun` shown;
    *Clear* empties the plot. Training runs only on *Train* (it takes about a second).
    """
    controls = {
        "model": widgets.ToggleButtons(
            options=list(_MODELS),
            value=model,
            description=_("model"),
            style={"button_width": "70px"},
        ),
        "lag": widgets.IntSlider(
            value=lag,
            min=1,
            max=40,
            description=_("lag (steps to remember)"),
            style=slider_style(),
            layout=widgets.Layout(width="420px"),
        ),
        "steps": widgets.IntSlider(
            value=steps,
            min=20,
            max=600,
            step=20,
            description=_("training steps"),
            style=slider_style(),
            layout=widgets.Layout(width="420px"),
        ),
        "train": widgets.Button(description=_("Train"), button_style="primary", icon="play"),
        "clear": widgets.Button(description=_("Clear"), icon="trash"),
    }
    runs = []

    def refresh(settings):
        if settings.get("action") == "train":
            status = explorer.readout

            def on_step(step, total):
                if step % 20 == 0:
                    status.value = _(
                        "Training {model} (lag {lag}): step {step} of {total}…"
                    ).format(model=settings["model"], lag=settings["lag"], step=step, total=total)

            seed = sum(
                r.kind == _MODELS[settings["model"]] and r.lag == settings["lag"] for r in runs
            )
            run = compute_memory_span(
                settings["model"], settings["lag"], settings["steps"], seed=seed, on_step=on_step
            )
            runs.append(run)
            del runs[:-MAX_RUNS]
            text = _verdict(run)
        else:
            if settings.get("action") == "clear":
                runs.clear()
            text = _verdict(runs[-1]) if runs else _("Choose a model and a lag, then press Train.")
        return figure_png(_figure(runs)), text

    explorer = Explorer(
        _("Memory span: can it remember the first symbol?"),
        controls,
        [
            controls["model"],
            controls["lag"],
            controls["steps"],
            widgets.HBox([controls["train"], controls["clear"]]),
        ],
        refresh,
        live=[],
        help_text=_(
            "Each sequence starts with x or y, then the same filler symbols for "
            "<i>lag</i> steps; the network must answer which one it started with. "
            "Every run is added to the plot."
        ),
    )
    explorer.runs = runs

    def press(action):
        def handler(_button=None):
            controls["train"].disabled = True
            try:
                return explorer.update(action=action)
            finally:
                controls["train"].disabled = False

        return handler

    controls["train"].on_click(press("train"))
    controls["clear"].on_click(press("clear"))
    explorer.train = press("train")
    explorer.update()
    return explorer


def memory_span_small_multiples(lags=(5, 20), steps=300):
    """Static companion of explorer 6: RNN, LSTM and GRU learning curves, one panel per lag."""
    with course_style():
        fig = new_figure(8.0, 3.6)
        axes = fig.subplots(1, len(lags), sharey=True)
        for ax, lag in zip(np.atleast_1d(axes), lags):
            for kind in ("rnn", "lstm", "gru"):
                run = memory_span_run(kind, lag, steps, seed=0)
                style = dict(MODEL_STYLES[_LABELS[kind]])
                style.pop("marker")
                ax.plot(
                    np.arange(1, steps + 1),
                    100 * smooth(run.history.accuracy, steps // 20),
                    lw=2,
                    label=_("{model} (test {percent}%)").format(
                        model=_LABELS[kind], percent=f"{100 * run.test_accuracy:.0f}"
                    ),
                    **style,
                )
            ax.axhline(50, color="#999999", ls="--", lw=1)
            ax.set(title=_("lag {lag}").format(lag=lag), xlabel=_("training step"), ylim=(0, 105))
            ax.title.set_fontsize(FONT_SIZE["normal"])
            ax.grid(alpha=0.3)
            ax.legend(loc="lower right", fontsize=FONT_SIZE["small"])
        np.atleast_1d(axes)[0].set_ylabel(_("accuracy % (smoothed)"))
        fig.subplots_adjust(left=0.09, right=0.98, top=0.9, bottom=0.15, wspace=0.08)
    return fig
