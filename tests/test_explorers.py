"""Tests for lstm_gru_course.explorers: pure compute functions, and the widgets driven from Python.

The widget tests set ``control.value`` (or click a button) as a learner would and check
what the picture (``explorer.image``, PNG bytes) and the text (``explorer.readout``)
show. Every slider is pushed to both ends: no value a control allows may crash an explorer.
"""

import doctest
import re

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_gru_course import cells, explorers
from lstm_gru_course.explorers import _base, cell_step, sampling, span, squashing, vanishing
from lstm_gru_course.figures.diagrams import format_vector
from lstm_gru_course.figures.examples import tiny_step

PNG = b"\x89PNG\r\n\x1a\n"
CREATORS = {
    "repeated_multiplication": explorers.repeated_multiplication,
    "sigmoid_gate": explorers.sigmoid_gate,
    "vanishing_gradients": explorers.vanishing_gradients,
    "lstm_step": explorers.lstm_step,
    "gru_step": explorers.gru_step,
    "memory_span": explorers.memory_span,
    "text_generation": explorers.text_generation,
}


@pytest.fixture(scope="module")
def made():
    """One explorer of each kind, shared by the widget tests (they are slow to build)."""
    return {name: create() for name, create in CREATORS.items()}


def _ok(explorer):
    assert explorer.message.value == "", explorer.message.value
    assert bytes(explorer.image.value).startswith(PNG)
    assert explorer.readout.value


# ---------------------------------------------------------------- shared pieces


def test_number_formats_readably():
    assert _base.number(-0.25) == "\u22120.25"
    assert _base.number(0.0036) == "0.0036"
    assert _base.number(3.5e9) == "3.5×10⁹"
    assert _base.number(-2e-7) == "\u22122.0×10⁻⁷"
    assert _base.number(float("inf")) == "∞" and _base.number(float("nan")) == "NaN"


def test_every_explorer_starts_drawn_quietly_with_a_short_repr(made, capsys):
    explorers.repeated_multiplication()
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # nothing displayed while a cell runs
    for name, explorer in made.items():
        assert isinstance(explorer, widgets.VBox)
        _ok(explorer)
        assert repr(explorer).startswith("<explorer: ") and len(repr(explorer)) < 110


def test_an_error_in_an_update_is_shown_and_the_last_picture_kept(monkeypatch):
    explorer = explorers.repeated_multiplication()
    before = explorer.image.value

    def broken(**settings):
        raise ValueError("weight must be sensible")

    monkeypatch.setattr(squashing, "compute_repeated_multiplication", broken)
    explorer.controls["weight"].value = 1.0
    assert "weight must be sensible" in explorer.message.value
    assert explorer.image.value == before
    monkeypatch.undo()
    explorer.controls["weight"].value = 1.1
    _ok(explorer)


def _sliders(explorer):
    return {
        name: control
        for name, control in explorer.controls.items()
        if isinstance(control, (widgets.FloatSlider, widgets.IntSlider))
    }


def _slider_extremes(explorer):
    """Push each slider to its minimum, then its maximum, one at a time."""
    for name, control in _sliders(explorer).items():
        for value in (control.min, control.max):
            before = explorer.image.value
            control.value = value
            _ok(explorer)
            yield name, value, before


def _all_sliders_at_once(explorer):
    """Every slider at its minimum together, then every one at its maximum, then mixed."""
    sliders = list(_sliders(explorer).values())
    for ends in (
        [s.min for s in sliders],
        [s.max for s in sliders],
        [s.min if k % 2 else s.max for k, s in enumerate(sliders)],
    ):
        with explorer.hold():
            for slider, value in zip(sliders, ends):
                slider.value = value
        _ok(explorer)


# ---------------------------------------------------------------- 1 and 2: squashing


def test_repeated_multiplication_widget_follows_its_controls(made):
    explorer = made["repeated_multiplication"]
    explorer.controls["weight"].value = 0.5
    before_png, before_text = explorer.image.value, explorer.readout.value
    explorer.controls["weight"].value = 2.5
    assert explorer.image.value != before_png and explorer.readout.value != before_text
    assert "exploded" in explorer.readout.value
    explorer.controls["weight"].value = 0.5
    assert "faded" in explorer.readout.value


def test_repeated_multiplication_survives_every_extreme(made):
    explorer = made["repeated_multiplication"]
    for name, value, _ in _slider_extremes(explorer):
        pass
    with explorer.hold():
        explorer.controls["weight"].value = 0.0
        explorer.controls["start"].value = 0.0
        explorer.controls["steps"].value = 0
    _ok(explorer)


def test_compute_sigmoid_gate():
    data = explorers.compute_sigmoid_gate(np.log(3.0), np.array([4.0, -8.0]))
    assert data["gate"] == pytest.approx(0.75)
    np.testing.assert_allclose(data["gated"], [3.0, -6.0])
    with pytest.raises(ValueError, match="pre_activation"):
        explorers.compute_sigmoid_gate(np.nan)
    with pytest.raises(ValueError, match="values"):
        explorers.compute_sigmoid_gate(0.0, np.array([]))


def test_sigmoid_gate_widget_erases_and_keeps(made):
    explorer = made["sigmoid_gate"]
    for name, value, before in _slider_extremes(explorer):
        assert explorer.image.value != before
    explorer.controls["pre_activation"].value = -8.0
    assert "erases" in explorer.readout.value
    explorer.controls["pre_activation"].value = 8.0
    assert "keeps" in explorer.readout.value


# ---------------------------------------------------------------- 3: vanishing gradients


def test_compute_vanishing_gradients_compares_the_three_models():
    data = explorers.compute_vanishing_gradients(weight_scale=0.6, length=40, keep_bias=4.0)
    assert data["settings"] == {"weight_scale": 0.6, "length": 40, "keep_bias": 4.0}
    assert data["rnn"].hidden[40] < 1e-6 * data["lstm"].hidden[40]
    assert data["rnn"].hidden[40] < 1e-6 * data["gru"].hidden[40]
    assert data["lstm"].hidden.shape == (41,)


def test_forget_bias_is_the_deprecated_name_of_keep_bias():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new name: no warning at all
        new = explorers.compute_vanishing_gradients(length=12, keep_bias=2.5)
        explorers.vanishing_gradients(length=12, keep_bias=2.5)
    with pytest.warns(DeprecationWarning, match="keep_bias"):
        old = explorers.compute_vanishing_gradients(length=12, forget_bias=2.5)
    with pytest.warns(DeprecationWarning, match="keep_bias"):
        widget = explorers.vanishing_gradients(length=12, forget_bias=2.5)
    assert (
        old["settings"] == new["settings"] == {"weight_scale": 1.0, "length": 12, "keep_bias": 2.5}
    )
    np.testing.assert_array_equal(old["gru"].hidden, new["gru"].hidden)
    assert widget.controls["keep_bias"].value == 2.5
    other = explorers.compute_vanishing_gradients(length=12, keep_bias=-2.0)
    assert not np.array_equal(other["gru"].hidden, new["gru"].hidden)
    for bad in (None, float("nan"), [1.0]):
        with pytest.raises((TypeError, ValueError), match="keep_bias"):
            explorers.compute_vanishing_gradients(length=12, keep_bias=bad)


def _texts(fig):
    import matplotlib.text

    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]


def test_gradients_below_the_floor_end_their_line_and_the_floor_is_marked():
    from matplotlib.figure import Figure

    data = explorers.compute_vanishing_gradients(weight_scale=0.5, length=80, keep_bias=0.0)
    assert data["rnn"].hidden.min() < vanishing.FLOOR  # the RNN does go below it
    ax = Figure().add_subplot()
    explorers.draw_vanishing_gradients(data, ax)
    for line in ax.get_lines():
        y = np.asarray(line.get_ydata(), dtype=float)
        assert not (y[np.isfinite(y)] < vanishing.FLOOR).any(), line.get_label()
    floor = [line for line in ax.get_lines() if line.get_gid() == "floor"]
    assert len(floor) == 1 and floor[0].get_linestyle() == ":"
    assert floor[0].get_ydata()[0] == vanishing.FLOOR > ax.get_ylim()[0]
    assert [t.get_text() for t in ax.texts] == ["below 10⁻³⁰: not drawn"]
    ax = Figure().add_subplot()  # nothing cut: no floor
    explorers.draw_vanishing_gradients(
        explorers.compute_vanishing_gradients(weight_scale=1.0, length=20, keep_bias=3.0), ax
    )
    assert not [line for line in ax.get_lines() if line.get_gid() == "floor"] and not ax.texts


def test_the_keep_gate_bias_has_one_name_everywhere(made):
    name = vanishing.KEEP_GATE_BIAS
    slider = made["vanishing_gradients"].controls["keep_bias"].description
    assert slider.startswith(name) and "forget" in slider and "update" in slider
    fig = explorers.vanishing_gradients_small_multiples(length=20)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 4 and all(f"{name} " in t for t in titles)
    words = [t.get_text() for t in _texts(fig)]
    data = explorers.compute_vanishing_gradients(length=10, keep_bias=-4.0)
    words += [t.get_text() for t in _texts(vanishing._explorer_figure(data))]
    assert [w for w in words if "gate bias" in w] == [w for w in words if name in w]
    assert "forget / update" not in " ".join(words)


@pytest.mark.parametrize("scale, length, bias", [(0.1, 120, -4.0), (2.95, 1, 6.0), (1.0, 60, 3.0)])
def test_vanishing_pictures_keep_every_text_inside(scale, length, bias):
    data = explorers.compute_vanishing_gradients(scale, length, bias)
    for fig in (
        vanishing._explorer_figure(data),
        explorers.vanishing_gradients_small_multiples(((scale, bias),) * 4, length),
    ):
        fig.canvas.draw()
        drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # inches, what is drawn
        assert drawn.x0 >= 0 and drawn.x1 <= fig.get_figwidth(), drawn
        assert drawn.y0 >= 0 and drawn.y1 <= fig.get_figheight(), drawn


def test_vanishing_gradients_widget_follows_its_controls(made):
    explorer = made["vanishing_gradients"]
    explorer.controls["length"].value = 30
    explorer.controls["keep_bias"].value = -4.0
    before = explorer.image.value
    explorer.controls["keep_bias"].value = 5.0
    assert explorer.image.value != before
    readout = explorer.readout.value
    # plain words first, then the numbers, then chapter 1's formula (its norm is ‖·‖_F)
    assert readout.startswith("Share of the gradient left 30 steps back (at h<sub>0</sub>): ")
    words, formula = (
        readout.index("RNN "),
        readout.index("‖∂h<sub>T</sub>/∂h<sub>0</sub>‖<sub>F</sub>/√H"),
    )
    assert words < readout.index("GRU ") < formula, readout
    # the header needs no formula: chapter 1's words, not ∂h_T/∂h_{T-k}
    header = explorer.children[0].value
    assert "gradient at the last hidden state is left" in header and "∂" not in header
    _all_sliders_at_once(explorer)
    explorer.controls["length"].value = 1
    _ok(explorer)
    assert "1 step back" in explorer.readout.value


# ---------------------------------------------------------------- 4 and 5: one cell step


def test_the_lstm_explorer_starts_from_the_books_tiny_example():
    cache, tiny = explorers.compute_lstm_step(), tiny_step("lstm")
    for key in ("i", "f", "g", "o", "c", "h"):
        np.testing.assert_array_equal(cache[key], tiny[key])
    gru, tiny_gru = explorers.compute_gru_step(), tiny_step("gru")
    np.testing.assert_array_equal(gru["h"], tiny_gru["h"])


@pytest.mark.parametrize(
    "preset, check",
    [
        ("forget everything (f ≈ 0)", lambda c: np.allclose(c["c"], c["i"] * c["g"], atol=0.01)),
        ("write strongly (i ≈ 1, g ≈ 1)", lambda c: np.all(c["i"] > 0.99) and np.all(c["g"] > 0.9)),
        (
            "protect the memory (f ≈ 1, i ≈ 0)",
            lambda c: np.allclose(c["c"], c["c_prev"], atol=0.01),
        ),
        ("hide the memory (o ≈ 0)", lambda c: np.allclose(c["h"], 0.0, atol=0.01)),
    ],
)
def test_lstm_presets_do_what_they_say(preset, check):
    biases = explorers.LSTM_PRESETS[preset]
    assert check(explorers.compute_lstm_step(**{f"bias_{k}": v for k, v in biases.items()}))


@pytest.mark.parametrize(
    "preset, check",
    [
        ("keep the old state (z ≈ 1)", lambda c: np.allclose(c["h"], c["h_prev"], atol=0.01)),
        ("take the candidate (z ≈ 0)", lambda c: np.allclose(c["h"], c["n"], atol=0.01)),
        ("ignore the past (r ≈ 0, z ≈ 0)", lambda c: np.all(c["r"] < 0.01)),
    ],
)
def test_gru_presets_do_what_they_say(preset, check):
    biases = explorers.GRU_PRESETS[preset]
    assert check(explorers.compute_gru_step(**{f"bias_{k}": v for k, v in biases.items()}))


def test_the_two_gru_conventions_differ_and_match_cells():
    after = explorers.compute_gru_step(convention="after")
    before = explorers.compute_gru_step(convention="Cho et al. 2014: reset before")
    assert before["reset"] == "before" and not np.allclose(after["n"], before["n"])
    tiny = tiny_step("gru", reset="before")
    h, _ = cells.gru_step(
        tiny["x"],
        tiny["h_prev"],
        tiny["weight_ih"],
        tiny["weight_hh"],
        np.zeros(6),
        np.zeros(6),
        reset="before",
    )
    np.testing.assert_allclose(before["h"], h)
    with pytest.raises(ValueError, match="convention"):
        explorers.compute_gru_step(convention="keras")


def test_the_numbers_on_the_lstm_diagram_are_those_of_the_step(made):
    explorer = made["lstm_step"]
    explorer.controls["preset"].value = "the book's tiny example"
    before = explorer.image.value
    explorer.controls["x_1"].value = -2.0
    assert explorer.image.value != before
    expected = explorers.compute_lstm_step(
        **{k: v for k, v in explorer.settings().items() if k != "preset"}
    )
    for key in ("i", "f", "g", "o", "c", "h", "x"):
        np.testing.assert_array_equal(explorer.cache[key], expected[key])
        assert explorer.diagram.texts[key].get_text() == format_vector(expected[key], column=True)


def test_lstm_presets_set_the_sliders_and_moving_one_marks_custom(made):
    explorer = made["lstm_step"]
    explorer.controls["preset"].value = "forget everything (f ≈ 0)"
    assert explorer.controls["bias_f"].value == -12.0
    assert np.all(explorer.cache["f"] < 0.01)
    assert re.search(r"keeps [01]% and [01]% of the old memory", explorer.readout.value)
    explorer.controls["bias_f"].value = 8.0
    assert explorer.controls["preset"].value == cell_step._CUSTOM
    assert np.all(explorer.cache["f"] > 0.5)
    explorer.controls["preset"].value = "protect the memory (f ≈ 1, i ≈ 0)"
    assert explorer.controls["bias_f"].value == 12.0 and explorer.controls["bias_i"].value == -12.0


def test_cell_explorers_survive_every_extreme(made):
    for name in ("lstm_step", "gru_step"):
        explorer = made[name]
        _all_sliders_at_once(explorer)
        for _label, preset in explorer.controls["preset"].options:
            explorer.controls["preset"].value = preset
            _ok(explorer)


def test_the_gru_switch_redraws_the_other_convention(made):
    explorer = made["gru_step"]
    labels = list(explorers.CONVENTIONS)
    explorer.controls["convention"].value = labels[0]
    first = explorer.diagram
    explorer.controls["convention"].value = labels[1]
    assert explorer.diagram is not first and explorer.cache["reset"] == "before"
    assert explorer.diagram.texts["h"].get_text() == format_vector(explorer.cache["h"], column=True)
    explorer.controls["convention"].value = labels[0]
    assert explorer.diagram is first and explorer.cache["reset"] == "after"


# ---------------------------------------------------------------- 6: memory span


def test_smooth_is_a_trailing_mean():
    np.testing.assert_allclose(span.smooth(np.arange(5.0), 3), [0, 0.5, 1, 2, 3])


def test_memory_span_trains_only_on_the_button_and_keeps_its_runs(made):
    explorer = made["memory_span"]
    assert explorer.runs == [] and "press Train" in explorer.readout.value
    explorer.controls["lag"].value = 3
    explorer.controls["steps"].value = 60
    assert explorer.runs == []  # moving a slider trains nothing
    before = explorer.image.value
    explorer.controls["train"].click()
    _ok(explorer)
    assert len(explorer.runs) == 1 and explorer.image.value != before
    assert "remembered" in explorer.readout.value and not explorer.controls["train"].disabled
    explorer.controls["model"].value = "RNN"
    explorer.controls["train"].click()
    assert [r.kind for r in explorer.runs] == ["lstm", "rnn"]
    explorer.controls["clear"].click()
    assert explorer.runs == []


def test_memory_span_extremes_and_the_run_limit(monkeypatch):
    monkeypatch.setattr(span, "MAX_RUNS", 2)
    explorer = explorers.memory_span(model="GRU", lag=40, steps=20)
    explorer.train()
    _ok(explorer)
    explorer.controls["lag"].value = 1
    for _ in range(2):
        explorer.train()
    assert [r.lag for r in explorer.runs] == [1, 1]
    assert [r.history.loss[0] for r in explorer.runs][0] != explorer.runs[1].history.loss[0]
    _ok(explorer)


# ---------------------------------------------------------------- 7: text generation


def test_compute_text_generation_cleans_the_prompt():
    data = explorers.compute_text_generation("GRU", "Zebra 42!", temperature=1.0, length=15)
    assert data["prompt"] == "ebra !" and data["dropped"] == "Z42"
    assert data["text"].startswith("ebra !") and len(data["text"]) == 21
    long = explorers.compute_text_generation("LSTM", "a" * 1000, length=5)
    assert long["shortened"] and len(long["prompt"]) == sampling.MAX_PROMPT
    with pytest.raises(TypeError, match="prompt"):
        explorers.compute_text_generation("LSTM", 42)


def test_text_generation_widget_follows_its_controls(made):
    explorer = made["text_generation"]
    before_png, before_text = explorer.image.value, explorer.readout.value
    explorer.controls["temperature"].value = 1.7
    assert explorer.image.value != before_png and explorer.readout.value != before_text
    text = explorer.readout.value
    explorer.controls["again"].click()
    assert explorer.controls["seed"].value == 1 and explorer.readout.value != text
    explorer.controls["prompt"].value = "Zebra"
    assert "Dropped" in explorer.readout.value and "&#x27;Z&#x27;" in explorer.readout.value
    for prompt in ("", "\u00e9\u00e9\u00e9", "<b>not bold</b>"):
        explorer.controls["prompt"].value = prompt
        _ok(explorer)
    assert "&lt;" in explorer.readout.value and "<b>not" not in explorer.readout.value
    explorer.controls["model"].value = "GRU"
    _all_sliders_at_once(explorer)


def test_static_companions_draw():
    figures = [
        explorers.repeated_multiplication_small_multiples(),
        explorers.sigmoid_gate_small_multiples(),
        explorers.vanishing_gradients_small_multiples(length=20),
        explorers.lstm_presets_figure(),
        explorers.gru_presets_figure(),
    ]
    for fig in figures:
        assert explorers.figure_png(fig).startswith(PNG)
    samples = explorers.temperature_samples(length=30)
    assert samples.count("--- temperature") == 3


@pytest.mark.parametrize(
    "make, largest",
    [(explorers.lstm_presets_figure, 1.758), (explorers.gru_presets_figure, 1.0)],
)
def test_presets_figures_show_every_bar_whole(make, largest):
    """No bar may run past its panel's value axis ("write strongly" makes c = 1.758)."""
    fig = make()
    tops = []
    for ax in fig.axes:
        low, high = ax.get_ylim()
        for bar in ax.patches:
            ends = sorted((bar.get_y(), bar.get_y() + bar.get_height()))
            assert low < ends[0] and ends[1] < high, (ax.get_title(), ends, (low, high))
            tops.append(abs(bar.get_height()))
        ticks = ax.get_yticks()
        assert all(low <= t <= high for t in ticks), (ticks, (low, high))
    assert max(tops) == pytest.approx(largest, abs=1e-3)


def test_docstring_examples_run():
    for module in (explorers, squashing, vanishing, cell_step, span, sampling):
        failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert failures == 0, module.__name__


# ---------------------------------------------------------------- keyboard and screen reader


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def test_every_control_has_a_name_and_the_picture_a_text_alternative(made):
    for name, explorer in made.items():
        for key, control in explorer.controls.items():
            assert control.description.strip(), f"{name}: control {key!r} has no accessible name"
        for widget in _descendants(explorer):  # also controls not listed in `controls`
            if isinstance(widget, (widgets.ValueWidget, widgets.Button)) and not isinstance(
                widget, (widgets.HTML, widgets.Image, widgets.Label)
            ):
                assert widget.description.strip(), f"{name}: {type(widget).__name__} unnamed"
        assert explorer.image.tooltip.startswith(explorer.title), name
        assert "lgc-readout" in explorer.readout._dom_classes, name


def test_the_text_alternative_states_the_readouts_numbers(made):
    explorer = made["sigmoid_gate"]
    explorer.controls["pre_activation"].value = -4.0
    assert "σ(−4.0) = 0.018" in explorer.image.tooltip
    assert "<" not in explorer.image.tooltip  # plain text, no markup
    explorer.controls["pre_activation"].value = 4.0
    assert "σ(4.0) = 0.982" in explorer.image.tooltip
    assert _base.plain_text("c<sub>t</sub> = <b>1</b><br>x &amp; y") == "c t = 1 x & y"


def test_the_picture_draws_in_the_widget_front_end(made):
    """ipywidgets' front end reads ``description`` before it sets an element's ``title`` from
    ``tooltip``; ``Image`` has none, so the saved state must carry an empty one (also when
    defaults are dropped, as ``ipywidgets.embed`` does), or the picture fails to draw."""
    from ipywidgets import embed

    explorer = made["repeated_multiplication"]
    state = embed.embed_data(views=[explorer])["manager_state"]["state"]
    pictures = [m["state"] for m in state.values() if m["model_name"] == "ImageModel"]
    assert pictures and all(p.get("description") == "" and p.get("tooltip") for p in pictures)


def test_a_static_companion_is_a_sharp_image_with_alt_text():
    shown = explorers.as_image(explorers.sigmoid_gate_small_multiples())
    markup = shown.data
    alt = re.search(r'alt="([^"]+)"', markup).group(1)
    assert "gate" in alt and not alt.endswith(".png")
    width = int(re.search(r'width="(\d+)"', markup).group(1))
    import base64

    png = base64.b64decode(re.search(r"base64,([^\"]+)", markup).group(1))
    assert int.from_bytes(png[16:20], "big") == 2 * width  # drawn at 2x, shown at 1x
    with pytest.raises(ValueError, match="alt"):
        explorers.as_image(explorers.sigmoid_gate_small_multiples(), alt="  ")
