"""Chapter 7's memory-span plots: how far back each network learned to remember.

- :func:`plot_memory_span`: one panel per task, fraction answered right against the lag;
- :func:`plot_learning_curves`: every run at one (task, lag) point, during training.

Both read the results of :func:`lstm_gru_course.analysis.sweep.run_memory_experiments`
(or the committed ``memory_experiments.json``) and return a matplotlib Figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.race import MODELS
from ..analysis.sweep import summarize
from ..i18n import N_, _
from .style import MODEL_STYLES, course_style, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_memory_span", "plot_learning_curves"]


def _model_style(model):
    """Line style of a model in the chapter's plots: gated models with a biased keep gate solid
    with filled markers, with PyTorch's initialisation dashed with hollow markers."""
    base, gate_bias = model.split(",")[0], MODELS[model][1]
    style = dict(MODEL_STYLES[base])
    if base != "RNN":
        style["linestyle"] = "-" if gate_bias is not None else "--"
        style["markerfacecolor"] = style["color"] if gate_bias is not None else "white"
    return style


_TASK_TITLES = {
    "adding": N_("adding problem (1997 form)"),
    "adding_le": N_("adding problem (Le et al. form)"),
    "first_symbol": N_("remember the first symbol"),
    "temporal_order": N_("temporal order"),
}
#: The names of ``analysis.race.MODELS`` that have words in them (shown as ``_(name)``).
_MODEL_NAMES = (N_("LSTM, forget bias 3"), N_("GRU, update bias 3"))


def plot_memory_span(results: dict, tasks=("adding", "first_symbol", "temporal_order")) -> Figure:
    """One panel per task: fraction of held-out sequences answered right against the lag.

    Lines join the median over seeds; small markers show each seed; the grey dash-dot
    line is the chance level (see :func:`~lstm_gru_course.analysis.race.chance_accuracy`). Returns a Figure.
    """
    rows = summarize(results)
    with course_style():
        # one panel per task, stacked: the figure fits the book's column (8 inches) and
        # its text stays readable there
        fig = new_figure(8.0, 2.6 * len(tasks) + 1.0, layout="constrained")
        axes = fig.subplots(len(tasks), 1, squeeze=False)[:, 0]
        models = list(dict.fromkeys(r["model"] for r in rows))
        for ax, task in zip(axes, tasks):
            lags = sorted({r["lag"] for r in rows if r["task"] == task})
            for k, model in enumerate(models):
                offset = 1 + 0.035 * (k - (len(models) - 1) / 2)  # keep equal values apart
                xs = [lag * offset for lag in lags]
                medians = [
                    next(
                        r["right"]
                        for r in rows
                        if (r["task"], r["lag"], r["model"]) == (task, lag, model)
                    )
                    for lag in lags
                ]
                ax.plot(xs, medians, label=_(model), lw=2, ms=7, **_model_style(model))
                for x, lag in zip(xs, lags):
                    seeds = [
                        r["accuracy"]
                        for r in results["runs"]
                        if (r["task"], r["lag"], r["model"]) == (task, lag, model)
                    ]
                    ax.plot(
                        [x] * len(seeds),
                        seeds,
                        ls="none",
                        marker=".",
                        ms=5,
                        color=_model_style(model)["color"],
                        alpha=0.6,
                    )
            chance = [results["chance"][f"{task}/{lag}"] for lag in lags]
            ax.plot(
                lags, chance, color="#777777", ls="-.", lw=1.2, marker=None, label=_("chance level")
            )
            ax.set_xscale("log")
            ax.set_xticks(lags, [str(lag) for lag in lags])
            ax.minorticks_off()
            ax.set(title=_(_TASK_TITLES[task]), xlabel=_("lag (time steps)"), ylim=(-0.02, 1.04))
            ax.grid(alpha=0.3)
        for ax in axes:
            ax.set_ylabel(_("answered right\n(held-out share)"))
        fig.legend(
            *axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=3, frameon=False
        )
    return fig


def plot_learning_curves(results: dict, task: str, lag: int) -> Figure:
    """Fraction of held-out sequences answered right against training sequences seen,
    one line per run (model and seed) at one (task, lag) point. Returns a Figure."""
    runs = [r for r in results["runs"] if (r["task"], r["lag"]) == (task, lag)]
    if not runs:
        raise ValueError(f"results hold no runs of task {task!r} at lag {lag!r}.")
    batch = results["scale"]["batch_size"]
    with course_style():
        fig = new_figure(8.0, 4.6, layout="constrained")
        ax = fig.subplots()
        labelled = set()
        for run in runs:
            steps, _loss, right = zip(*run["curve"])
            style = _model_style(run["model"])
            ax.plot(
                [s * batch for s in steps],
                right,
                lw=1.8,
                ms=0,
                alpha=0.85,
                label=None if run["model"] in labelled else _(run["model"]),
                **{**style, "marker": None},
            )
            labelled.add(run["model"])
        ax.axhline(
            results["chance"][f"{task}/{lag}"],
            color="#777777",
            ls="-.",
            lw=1.2,
            label=_("chance level"),
        )
        ax.set(
            title=_("{task}, lag {lag}: every seed").format(task=_(_TASK_TITLES[task]), lag=lag),
            ylim=(-0.02, 1.04),
            xlabel=_("training sequences seen"),
            ylabel=_("held-out sequences answered right"),
        )
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig
