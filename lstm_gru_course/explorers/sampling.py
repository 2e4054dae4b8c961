"""Explorer 7: text generation with a small character model, at a chosen temperature.

The models are the ones shipped with the package (``charmodel.load_char_model``: an
LSTM and a GRU trained on nursery rhymes). The picture shows the model's guesses for the
next character after the prompt, at the chosen temperature; the text below is a sample.
Generating 200 characters takes a few tens of milliseconds, so it follows the controls
directly; *New sample* draws another one.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .._validate import describe
from ..charmodel import generate, load_char_model, next_character_probabilities
from ..figures.style import FONT_SIZE, MODEL_STYLES, course_style, new_figure
from ..i18n import N_, _
from ._base import Explorer, figure_png, slider_style

__all__ = [
    "compute_text_generation",
    "draw_next_character",
    "text_generation",
    "temperature_samples",
    "MAX_PROMPT",
]

#: Only the last ``MAX_PROMPT`` characters of a longer prompt are read (keeps updates fast).
MAX_PROMPT = 300
_MODELS = {"LSTM": "lstm", "GRU": "gru"}
_LOADED = {}
_SHOWN = {" ": N_("space"), "\n": N_("new line")}


def _model(name):
    kind = _MODELS.get(name, name)
    if kind not in _LOADED:
        _LOADED[kind] = load_char_model(kind)
    return _LOADED[kind]


def compute_text_generation(
    model="LSTM", prompt="Little ", temperature=0.8, length=200, seed=0
) -> dict:
    """Sample ``length`` characters after ``prompt``; also the next-character probabilities.

    Characters the model never saw are dropped from the prompt (``"dropped"``), and only
    its last ``MAX_PROMPT`` characters are kept. Returns ``{"model", "prompt", "dropped",
    "shortened", "text", "vocabulary", "probabilities" (V,), "temperature"}``.

    >>> data = compute_text_generation("GRU", "Humpty Dumpt", temperature=0.5, length=10)
    >>> data["text"].startswith("Humpty Dumpt"), round(float(data["probabilities"].sum()), 6)
    (True, 1.0)
    """
    if not isinstance(prompt, str):
        raise TypeError(f"prompt must be a string, but received {describe(prompt)}.")
    char_model = _model(model)
    kept, dropped = char_model.split_known(prompt)
    shortened = len(kept) > MAX_PROMPT
    kept = kept[-MAX_PROMPT:]
    probabilities = next_character_probabilities(char_model, kept, temperature)
    text = generate(char_model, kept, length, temperature, seed)
    return {
        "model": char_model.kind.upper(),
        "prompt": kept,
        "dropped": dropped,
        "shortened": shortened,
        "text": text,
        "vocabulary": char_model.vocabulary,
        "probabilities": probabilities,
        "temperature": float(temperature),
    }


def _char_label(ch) -> str:
    return _(_SHOWN[ch]) if ch in _SHOWN else ch


def draw_next_character(data, ax, top=10) -> None:
    """The ``top`` likeliest next characters and their probabilities, as horizontal bars."""
    p = data["probabilities"]
    order = np.argsort(-p, kind="stable")[:top]
    color = MODEL_STYLES[data["model"]]["color"]
    y = np.arange(order.size)[::-1]
    ax.barh(y, p[order], color=color, alpha=0.8, height=0.7)
    for yy, k in zip(y, order):
        ax.text(p[k] + 0.01, yy, f"{100 * p[k]:.1f}%", va="center", fontsize=FONT_SIZE["small"])
    ax.set_yticks(y, [_char_label(data["vocabulary"][k]) for k in order])
    ax.set_xlim(0, 1.12)
    ax.set_xlabel(_("probability of the next character"))
    shown = data["prompt"][-20:].replace("\n", "↵")
    ax.set_title(
        _("{model} after “{prompt}”, temperature {temperature}").format(
            model=data["model"], prompt=shown, temperature=f"{data['temperature']:.2f}"
        ),
        fontsize=FONT_SIZE["normal"],
    )
    ax.grid(axis="x", alpha=0.3)


def _readout(data) -> str:
    notes = []
    if data["dropped"]:
        notes.append(
            _("Dropped from the prompt (the model never saw them): {characters}.").format(
                characters=", ".join(repr(ch) for ch in data["dropped"])
            )
        )
    if data["shortened"]:
        notes.append(
            _("Only the last {count} characters of the prompt were read.").format(count=MAX_PROMPT)
        )
    prompt, rest = data["text"][: len(data["prompt"])], data["text"][len(data["prompt"]) :]
    sample = (
        f"<pre style='white-space:pre-wrap; font-size:0.95em; margin:4px 0'>"
        f"<b>{html.escape(prompt)}</b>{html.escape(rest)}</pre>"
    )
    note = "".join(f"<div style='color:#8F6200'>{html.escape(n)}</div>" for n in notes)
    return note + sample


def text_generation(model="LSTM", prompt="Little ", temperature=0.8, length=200) -> Explorer:
    """Explorer 7: a prompt, a temperature, and a sample from a small character model."""
    controls = {
        "model": widgets.ToggleButtons(
            options=list(_MODELS),
            value=model,
            description=_("model"),
            style={"button_width": "70px"},
        ),
        "prompt": widgets.Text(
            value=prompt,
            description=_("prompt"),
            continuous_update=False,
            placeholder=_("type the start of a rhyme, then press Enter"),
            style=slider_style(),
            layout=widgets.Layout(width="420px"),
        ),
        "temperature": widgets.FloatSlider(
            value=temperature,
            min=0.1,
            max=2.0,
            step=0.05,
            description=_("temperature"),
            continuous_update=False,
            style=slider_style(),
            layout=widgets.Layout(width="420px"),
        ),
        "length": widgets.IntSlider(
            value=length,
            min=20,
            max=400,
            step=20,
            description=_("characters"),
            continuous_update=False,
            style=slider_style(),
            layout=widgets.Layout(width="420px"),
        ),
        "seed": widgets.IntText(
            value=0,
            description=_("sample number"),
            disabled=True,
            style=slider_style(),
            layout=widgets.Layout(width="200px"),
        ),
        "again": widgets.Button(description=_("New sample"), icon="refresh"),
    }

    def refresh(settings):
        data = compute_text_generation(
            settings["model"],
            settings["prompt"],
            settings["temperature"],
            settings["length"],
            settings["seed"],
        )
        with course_style():
            fig = new_figure(8.0, 3.1)
            ax = fig.add_subplot()
            draw_next_character(data, ax)
            fig.subplots_adjust(left=0.14, right=0.98, bottom=0.16, top=0.9)
        return figure_png(fig), _readout(data)

    explorer = Explorer(
        _("Text generation: a character model at the temperature you choose"),
        controls,
        [
            controls["model"],
            controls["prompt"],
            controls["temperature"],
            controls["length"],
            widgets.HBox([controls["again"], controls["seed"]]),
        ],
        refresh,
        live=["model", "prompt", "temperature", "length", "seed"],
        help_text=_(
            "The bars are the model's guesses for the next character; the text is "
            "one sample, drawn one character at a time. Low temperature: it recites "
            "the rhymes it learnt; high temperature: it invents."
        ),
    )

    def again(_button=None):
        controls["seed"].value += 1

    controls["again"].on_click(again)
    explorer.update()
    return explorer


def temperature_samples(
    prompt="Little ", temperatures=(0.3, 0.8, 1.5), length=120, seed=0, model="LSTM"
) -> str:
    """Static companion of explorer 7: one sample per temperature, as plain text."""
    parts = []
    for temperature in temperatures:
        data = compute_text_generation(model, prompt, temperature, length, seed)
        heading = _("--- temperature {temperature} ---").format(temperature=temperature)
        parts.append(f"{heading}\n{data['text']}")
    return "\n\n".join(parts)
