"""lstm_gru_course.figures: every drawing runs, labels what it should, writes the numbers
of a real cells step, is reproducible, and animations stay small, offline and stable."""

import base64
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.animation import Animation  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from lstm_gru_course import cells  # noqa: E402
from lstm_gru_course import figures as F  # noqa: E402
from lstm_gru_course.figures.style import ROLE_TEXT_ON_FILL, contrast_ratio  # noqa: E402


def texts(fig):
    """Every Text artist of a figure, by gid when it has one."""
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def by_gid(fig, prefix):
    return {
        t.get_gid()[len(prefix) :]: t for t in texts(fig) if (t.get_gid() or "").startswith(prefix)
    }


def expected(vector, digits=2):
    """Independent formatting of what the diagram must write: one entry per line."""
    row = np.asarray(vector).reshape(-1, np.shape(vector)[-1])[0]
    words = [f"{v:.{digits}f}" for v in row[:3]]
    words = [w.lstrip("-") if float(w) == 0 else w for w in words]  # never "−0.00"
    return "\n".join(w.replace("-", "\u2212") for w in words) + ("\n…" if row.size > 3 else "")


def png(fig):
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def random_params(G, I, H, seed):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(G * H, I)),
        rng.normal(size=(G * H, H)),
        rng.normal(size=G * H),
        rng.normal(size=G * H),
    ), rng


# ---------------------------------------------------------------- style


def test_every_role_has_a_readable_ink_and_fill():
    for role in F.ROLES:
        assert contrast_ratio(F.ROLE_INK[role], "white") >= 4.5, role
        assert contrast_ratio(F.ROLE_FILL[role], ROLE_TEXT_ON_FILL[role]) >= 4.5, role
    assert len(set(F.ROLE_FILL.values())) == len(F.ROLES)
    assert len(set(F.ROLE_INK.values())) == len(F.ROLES)


def test_palette_figure_names_every_role_in_its_colour():
    roles = by_gid(F.palette_figure(), "role:")
    assert set(roles) == set(F.ROLES)
    for role, text in roles.items():
        assert text.get_color() == F.ROLE_INK[role]
        assert text.get_text().replace("\n", " ") == F.ROLE_NAMES[role]


def test_role_color_rejects_unknown_role():
    with pytest.raises(ValueError, match="role"):
        F.role_color("forgot")


def test_numeric_core_does_not_import_matplotlib():
    code = (
        "import sys, lstm_gru_course, lstm_gru_course.cells, lstm_gru_course.layers, "
        "lstm_gru_course.train, lstm_gru_course.tasks; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_figures_never_use_pyplot():
    code = (
        "import lstm_gru_course.figures as F, sys; F.lstm_cell_figure(); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- diagrams: labels


GATE_NAMES = {
    "lstm": {
        "name_f": "forget",
        "name_i": "input",
        "name_g": "candidate",
        "name_o": "output",
        "name_c": "cell state",
    },
    "gru": {"name_z": "update", "name_r": "reset", "name_n": "candidate"},
    "rnn": {"name_tanh": "tanh"},
}
FIGURES = {"lstm": F.lstm_cell_figure, "gru": F.gru_cell_figure, "rnn": F.rnn_cell_figure}


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_cell_figure_names_every_gate(cell):
    fig = FIGURES[cell]()
    assert isinstance(fig, Figure)
    labels = by_gid(fig, "label:")
    for name, word in GATE_NAMES[cell].items():
        assert word in labels[name].get_text().replace("\n", " "), (name, labels[name].get_text())


def test_lstm_boxes_are_sigma_sigma_tanh_sigma_and_the_ops_are_drawn():
    fig = F.lstm_cell_figure()
    boxes = by_gid(fig, "boxtext:")
    assert {k: boxes[k].get_text() for k in ("box_f", "box_i", "box_g", "box_o")} == {
        "box_f": r"$\sigma$",
        "box_i": r"$\sigma$",
        "box_g": "tanh",
        "box_o": r"$\sigma$",
    }
    ops = {k: t.get_text() for k, t in by_gid(fig, "optext:").items()}
    assert ops == {"mul_f": "×", "add": "+", "mul_i": "×", "tanh_c": "tanh", "mul_o": "×"}


def test_side_by_side_shows_both_cells():
    fig = F.lstm_gru_side_by_side()
    words = " ".join(t.get_text() for t in texts(fig))
    for word in ("forget", "input", "output", "update", "reset", "LSTM", "GRU"):
        assert word in words
    assert len(fig.axes) == 2
    row = F.lstm_gru_side_by_side(arrangement="row")
    assert row.get_figwidth() > row.get_figheight() and fig.get_figheight() > fig.get_figwidth()


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_shapes_are_written_only_when_asked(cell):
    with_shapes = " ".join(t.get_text() for t in texts(FIGURES[cell](shapes=True)))
    without = " ".join(t.get_text() for t in texts(FIGURES[cell]()))
    assert "(B, H)" in with_shapes and "(B, I)" in with_shapes and "(B, H+I)" in with_shapes
    assert "(B, H)" not in without


def test_lstm_diagram_suggests_no_weight_stacking_order():
    """Gates are drawn f, i, g, o; weights are stacked i, f, g, o: the picture names no
    weight block or row range, so it cannot contradict PyTorch's layout."""
    for fig in (
        F.lstm_cell_figure(F.tiny_step("lstm"), shapes=True),
        F.lstm_gru_side_by_side(shapes=True),
    ):
        lstm_words = [t.get_text() for t in texts(fig) if t.axes is fig.axes[0]]
        assert len(lstm_words) > 20
        assert not [w for w in lstm_words if "W" in w or ":" in w or "rows" in w]


# ---------------------------------------------------------------- diagrams: real numbers


def test_lstm_diagram_writes_the_numbers_of_the_lstm_step():
    I, H = 3, 2
    params, rng = random_params(4, I, H, seed=7)
    x, h_prev, c_prev = rng.normal(size=I), rng.normal(size=H), rng.normal(size=H)
    h, c, cache = cells.lstm_step(x, h_prev, c_prev, *params)
    values = {k: t.get_text() for k, t in by_gid(F.lstm_cell_figure(cache), "value:").items()}
    want = {
        "x": x,
        "h_prev": h_prev,
        "c_prev": c_prev,
        "i": cache["i"],
        "f": cache["f"],
        "g": cache["g"],
        "o": cache["o"],
        "c": c,
        "h": h,
        "tanh_c": np.tanh(c),
        "f_c_prev": cache["f"] * c_prev,
        "i_g": cache["i"] * cache["g"],
    }
    assert values == {k: expected(v) for k, v in want.items()}


@pytest.mark.parametrize("reset", ["after", "before"])
def test_gru_diagram_writes_the_numbers_of_the_gru_step(reset):
    I, H = 2, 2
    params, rng = random_params(3, I, H, seed=3)
    x, h_prev = rng.normal(size=(1, I)), rng.normal(size=(1, H))  # batched input works too
    h, cache = cells.gru_step(x, h_prev, *params, reset=reset)
    values = {
        k: t.get_text() for k, t in by_gid(F.gru_cell_figure(cache, reset=reset), "value:").items()
    }
    z, n = cache["z"], cache["n"]
    want = {
        "x": x,
        "h_prev": h_prev,
        "r": cache["r"],
        "z": z,
        "n": n,
        "h": h,
        "z_h_prev": z * h_prev,
        "one_minus_z": 1 - z,
        "one_minus_z_n": (1 - z) * n,
    }
    if reset == "after":
        want["n_hidden"] = h_prev @ params[1][2 * H :].T + params[3][2 * H :]
        # what the reset gate lets into the candidate, and the input's share of it
        want["r_n_hidden"] = cache["r"] * want["n_hidden"]
        want["x_n"] = x @ params[0][2 * H :].T + params[2][2 * H :]
    else:
        want["r_h_prev"] = cache["r"] * h_prev
    assert values == {k: expected(v) for k, v in want.items()}


def test_rnn_diagram_writes_the_numbers_of_the_rnn_step():
    params, rng = random_params(1, 4, 5, seed=1)
    x, h_prev = rng.normal(size=4), rng.normal(size=5)
    h, cache = cells.rnn_step(x, h_prev, *params)
    values = {k: t.get_text() for k, t in by_gid(F.rnn_cell_figure(cache), "value:").items()}
    assert values == {"x": expected(x), "h_prev": expected(h_prev), "h": expected(h)}
    assert values["h"].endswith("…")  # H = 5: three entries, then an ellipsis


def test_lit_path_shows_only_its_values_and_fades_the_rest():
    cache = F.tiny_step("lstm")
    fig = F.lstm_cell_figure(cache, lit="forget")
    shown = {k for k, t in by_gid(fig, "value:").items() if t.get_visible()}
    assert shown == {"x", "h_prev", "c_prev", "f", "f_c_prev"}
    labels = by_gid(fig, "label:")
    faded, lit = labels["name_o"].get_color(), labels["name_f"].get_color()
    assert contrast_ratio(faded, "white") < 2 < contrast_ratio(lit, "white")
    assert "forget gate" in fig.texts[0].get_text()


@pytest.mark.parametrize("gate", ["update", "reset"])
def test_gru_paths_light_their_gate(gate):
    fig = F.gru_cell_figure(F.tiny_step("gru"), lit=gate)
    labels = by_gid(fig, "label:")
    own, other = ("name_z", "name_r") if gate == "update" else ("name_r", "name_z")
    assert contrast_ratio(labels[own].get_color(), "white") > 4
    assert contrast_ratio(labels[other].get_color(), "white") < 2


def test_tiny_step_is_a_real_cells_step():
    cache = F.tiny_step("lstm", seed=5)
    again = F.tiny_step("lstm", seed=5)
    np.testing.assert_array_equal(cache["h"], again["h"])
    c = cache["f"] * cache["c_prev"] + cache["i"] * cache["g"]
    np.testing.assert_allclose(cache["c"], c, rtol=0, atol=1e-15)
    assert cache["cell"] == "lstm" and F.tiny_step("gru", reset="before")["reset"] == "before"


def test_worked_example_shows_each_gate_doing_its_job():
    lstm, gru = F.tiny_step("lstm"), F.tiny_step("gru")
    f, i, o = lstm["f"][0], lstm["i"][0], lstm["o"][0]
    assert f[0] >= 0.94 and f[1] <= 0.06  # keeps slot 1, erases slot 2
    assert i[0] <= 0.06 and i[1] >= 0.94  # blocks slot 1, writes slot 2
    assert o[0] >= 0.94 and o[1] <= 0.06  # shows slot 1, hides slot 2
    assert abs(lstm["g"][0, 0] - lstm["g"][0, 1]) > 0.5  # two clearly different proposals
    z, r = gru["z"][0], gru["r"][0]
    assert z[0] >= 0.94 and z[1] <= 0.06 and r.min() <= 0.06
    for key in ("x", "h_prev"):  # the two cells read the same inputs
        np.testing.assert_array_equal(lstm[key], gru[key])
        np.testing.assert_array_equal(lstm[key], F.tiny_step("rnn")[key])


def _printed(fig):
    """name -> the column of numbers a diagram writes, parsed back from its text."""
    return {
        k: [float(v.replace("\u2212", "-")) for v in t.get_text().split("\n")]
        for k, t in by_gid(fig, "value:").items()
    }


def _adds_up(result, operands, op):
    """``result`` (two decimals) is ``op`` of the printed operands, at two decimals."""
    from decimal import ROUND_HALF_EVEN, Decimal

    exact = op(*(Decimal(str(v)) for v in operands))
    return Decimal(str(result)) == exact.quantize(Decimal("0.01"), ROUND_HALF_EVEN)


def test_every_number_on_the_worked_example_adds_up_at_the_precision_shown():
    import operator

    mul, add = operator.mul, operator.add
    v = _printed(F.lstm_cell_figure(F.tiny_step("lstm")))
    checks = [
        ("f_c_prev", ("f", "c_prev"), mul),
        ("i_g", ("i", "g"), mul),
        ("c", ("f_c_prev", "i_g"), add),
        ("h", ("o", "tanh_c"), mul),
    ]
    for reset in ("after", "before"):
        g = _printed(F.gru_cell_figure(F.tiny_step("gru", reset=reset), reset=reset))
        v.update({f"gru_{reset}:{k}": val for k, val in g.items()})
        checks += [
            (f"gru_{reset}:z_h_prev", (f"gru_{reset}:z", f"gru_{reset}:h_prev"), mul),
            (f"gru_{reset}:one_minus_z_n", (f"gru_{reset}:one_minus_z", f"gru_{reset}:n"), mul),
            (f"gru_{reset}:h", (f"gru_{reset}:z_h_prev", f"gru_{reset}:one_minus_z_n"), add),
        ]
        for a, b in zip(g["one_minus_z"], g["z"]):
            assert round(1 - b, 2) == a
    for result, operands, op in checks:
        for j in range(2):
            assert _adds_up(v[result][j], [v[name][j] for name in operands], op), (
                f"{result}[{j}] = {v[result][j]} but the printed "
                f"{' and '.join(operands)} give {[v[n][j] for n in operands]}"
            )
    for c, t in zip(v["c"], v["tanh_c"]):  # tanh of the printed c_t
        assert round(float(np.tanh(c)), 2) == t


def test_the_arithmetic_check_catches_the_old_random_example():
    v = _printed(F.lstm_cell_figure(F.tiny_step("lstm", seed=0)))
    import operator

    assert not all(
        _adds_up(v["f_c_prev"][j], [v["f"][j], v["c_prev"][j]], operator.mul)
        and _adds_up(v["c"][j], [v["f_c_prev"][j], v["i_g"][j]], operator.add)
        for j in range(2)
    )


def test_bad_inputs_are_refused_with_clear_messages():
    with pytest.raises(TypeError, match="cache must be the dict returned by cells.lstm_step"):
        F.lstm_cell_figure(cache=[1, 2])
    with pytest.raises(ValueError, match="cells.lstm_step"):
        F.lstm_cell_figure(cache=F.tiny_step("gru"))
    with pytest.raises(ValueError, match="lit must be one of"):
        F.lstm_cell_figure(lit="update")
    with pytest.raises(ValueError, match="reset"):
        F.gru_cell_figure(F.tiny_step("gru", reset="before"), reset="after")
    with pytest.raises(ValueError, match="cell must be one of"):
        F.tiny_step("transformer")
    with pytest.raises(
        ValueError, match=r"lit names elements this diagram does not have: \['box_z'\]"
    ):
        F.lstm_cell_figure(lit={"box_f", "box_z"})
    with pytest.raises(ValueError, match="arrangement"):
        F.lstm_gru_side_by_side(arrangement="diagonal")


def test_cell_figures_are_reproducible():
    assert png(F.lstm_cell_figure(F.tiny_step("lstm"), shapes=True)) == png(
        F.lstm_cell_figure(F.tiny_step("lstm"), shapes=True)
    )


def test_text_is_large_enough_for_a_phone_or_print():
    """At most 8.6 inches wide; no text under 10.5 pt (9.4 pt once shown 7.7 inches wide)."""
    for fig in (
        F.lstm_cell_figure(F.tiny_step("lstm"), shapes=True),
        F.gru_cell_figure(F.tiny_step("gru"), shapes=True),
        F.gradient_update_figure(),
    ):
        assert fig.get_figwidth() <= 8.6
        sizes = [t.get_fontsize() for t in texts(fig) if t.get_visible()]
        assert min(sizes) >= 10.5, min(sizes)


def test_no_text_is_clipped_by_the_figure_edge():
    for fig in (
        F.lstm_cell_figure(F.tiny_step("lstm"), shapes=True),
        F.gru_cell_figure(F.tiny_step("gru"), shapes=True),
        F.rnn_cell_figure(F.tiny_step("rnn"), shapes=True),
    ):
        renderer = fig.canvas.get_renderer()
        width, height = fig.bbox.width, fig.bbox.height
        for t in texts(fig):
            box = t.get_window_extent(renderer)
            assert box.x0 >= 0 and box.y0 >= 0, t.get_text()
            assert box.x1 <= width and box.y1 <= height, t.get_text()


# ---------------------------------------------------------------- plots


def new_ax():
    return Figure().add_subplot()


def test_gradient_norm_plot_draws_exactly_the_data_given():
    distances = np.arange(10)
    norms = {"RNN": 0.5**distances, "LSTM": 0.9**distances, "GRU": 0.8**distances}
    ax = F.plot_gradient_norm_vs_distance(new_ax(), distances, norms)
    lines = {line.get_label(): line for line in ax.get_lines()}
    for name, values in norms.items():
        np.testing.assert_array_equal(lines[name].get_ydata(), values)
        assert lines[name].get_color() == F.MODEL_STYLES[name]["color"]
    assert ax.get_yscale() == "log" and "distance" in ax.get_xlabel()
    # the default label names what memory.gradient_norms_by_distance(...).hidden holds
    assert ax.get_ylabel() == r"$\Vert \partial h_T / \partial h_{T-k} \Vert_F \,/ \sqrt{H}$"
    assert (
        F.plot_gradient_norm_vs_distance(
            new_ax(), distances, norms, ylabel="share left"
        ).get_ylabel()
        == "share left"
    )
    with pytest.raises(ValueError, match=r"norms\['RNN'\] must have shape \(10,\)"):
        F.plot_gradient_norm_vs_distance(new_ax(), distances, {"RNN": np.ones(3)})
    with pytest.raises(ValueError, match="negative"):
        F.plot_gradient_norm_vs_distance(new_ax(), distances, {"RNN": -np.ones(10)})
    vanished = np.r_[1.0, 0.1, np.zeros(8)]  # float64 underflow: exactly 0
    line = F.plot_gradient_norm_vs_distance(new_ax(), distances, {"RNN": vanished}).get_lines()[0]
    assert np.isnan(line.get_ydata()[2:]).all() and line.get_ydata()[1] == 0.1
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        F.plot_gradient_norm_vs_distance("ax", distances, norms)


def test_gate_heatmap_shows_units_by_time_in_the_gate_colour():
    values = np.random.default_rng(0).uniform(size=(6, 4))
    image = F.plot_gate_heatmap(new_ax(), values, "forget", tokens=list("abcdef"))
    np.testing.assert_array_equal(image.get_array(), values.T)
    assert image.get_clim() == (0.0, 1.0)
    assert image.axes.get_title().startswith("forget gate")
    assert [t.get_text() for t in image.axes.get_xticklabels()] == list("abcdef")
    with pytest.raises(ValueError, match="tokens must have one label per time step"):
        F.plot_gate_heatmap(new_ax(), values, "forget", tokens=["a"])
    with pytest.raises(ValueError, match="role must be one of"):
        F.plot_gate_heatmap(new_ax(), values, "forgetting")
    signed = 3 * values - 1
    image = F.plot_gate_heatmap(new_ax(), signed, "cell", colorbar=False)
    top = np.abs(signed).max()
    assert top > 1 and image.get_clim() == (-top, top)


def test_training_curves_take_histories_or_arrays():
    class History:
        loss = np.linspace(1, 0.1, 20)
        accuracy = None
        chance_loss = 0.5

    ax = F.plot_training_curves(new_ax(), {"LSTM": History(), "GRU": np.linspace(1, 0.2, 20)})
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["LSTM", "GRU", "chance"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), History.loss)
    with pytest.raises(ValueError, match="no accuracy"):
        F.plot_training_curves(new_ax(), {"LSTM": History()}, metric="accuracy")
    with pytest.raises(ValueError, match="smooth must be a positive integer"):
        F.plot_training_curves(new_ax(), {"LSTM": History()}, smooth=0)
    smoothed = F.plot_training_curves(new_ax(), {"LSTM": History()}, smooth=5)
    assert smoothed.get_lines()[0].get_ydata().size == 16


def test_gradient_update_figure_writes_the_rule_with_its_numbers():
    fig = F.gradient_update_figure(weight=2.1, learning_rate=0.5, gradient=1.1, tiny_gradient=1e-4)
    words = [t.get_text() for t in texts(fig)]
    assert "1.55 = 2.1 − 0.5 × 1.1" in words
    assert "2.09995 = 2.1 − 0.5 × 0.0001" in words


# ---------------------------------------------------------------- animations

ANIMATIONS = {
    "review": F.review_animation,
    "sequence": F.sequence_animation,
    "hidden_state": F.hidden_state_animation,
    "rnn_cell": F.rnn_cell_animation,
    "tanh": F.tanh_animation,
    "times_three": F.times_three_animation,
    "times_three_tanh": lambda: F.times_three_animation(squash=True),
    "sigmoid": F.sigmoid_animation,
    "lstm_forget": lambda: F.lstm_gate_animation("forget"),
    "lstm_input": lambda: F.lstm_gate_animation("input"),
    "lstm_cell": lambda: F.lstm_gate_animation("cell"),
    "lstm_output": lambda: F.lstm_gate_animation("output"),
}


@pytest.mark.parametrize("name", list(ANIMATIONS))
def test_every_animation_is_short_and_its_frames_draw(name):
    anim = ANIMATIONS[name]()
    assert isinstance(anim, Animation)
    assert 2 <= anim.n_frames <= F.MAX_FRAMES
    first, last = anim.frame_png(0), anim.frame_png(anim.n_frames - 1)
    assert first.startswith(b"\x89PNG") and first != last
    assert re.fullmatch(r"<animation: .+, \d+ frames>", repr(anim))


def test_lstm_animation_writes_the_values_of_each_stage():
    cache = F.tiny_step("lstm", seed=2)
    anim = F.lstm_gate_animation("forget", cache=cache)
    anim.draw_frame(anim.n_frames - 1)
    values = {k: t.get_text() for k, t in by_gid(anim.figure, "value:").items() if t.get_visible()}
    assert values["f"] == expected(cache["f"])
    assert values["f_c_prev"] == expected(cache["f"] * cache["c_prev"])
    anim.draw_frame(1)  # frame 0 is the finished stage; frame 1 starts from the inputs
    assert not [
        t
        for t in by_gid(anim.figure, "value:").values()
        if t.get_visible() and t.get_gid() == "value:f"
    ]


def _shown(anim, k):
    anim.draw_frame(k)
    return {k for k, t in by_gid(anim.figure, "value:").items() if t.get_visible()}


@pytest.mark.parametrize("gate", ["forget", "input", "cell", "output"])
def test_gate_animations_move_values_along_the_wires_and_keep_what_was_lit(gate):
    anim = F.lstm_gate_animation(gate)
    assert anim.n_frames >= 12
    assert _shown(anim, 0) == _shown(anim, anim.n_frames - 1)  # opens on the finished stage
    grey = [
        t
        for t in texts(anim.figure)
        if (t.get_gid() or "").startswith("label:name")
        and contrast_ratio(t.get_color(), "white") > 4
    ]
    assert grey, "the opening frame lights its stage"
    positions, previous = [], set()
    for k in range(1, anim.n_frames):
        shown = _shown(anim, k)
        assert previous <= shown, f"frame {k} dropped {previous - shown}"
        previous = shown
        moving = [t for t in texts(anim.figure) if (t.get_gid() or "").startswith("moving:")]
        positions += [(t.get_gid(), t.get_position()) for t in moving]
        equation = by_gid(anim.figure, "equation")
    travelled = {}
    for gid, xy in positions:
        travelled.setdefault(gid, set()).add(tuple(np.round(xy, 3)))
    assert travelled and all(len(spots) >= 2 for spots in travelled.values())
    anim.draw_frame(anim.n_frames - 1)
    assert [t for t in texts(anim.figure) if t.get_gid() == "equation"]
    del equation


def test_lit_figures_write_their_stage_equation():
    fig = F.lstm_cell_figure(F.tiny_step("lstm"), lit="forget")
    assert any("f_t = \\sigma" in t.get_text() for t in fig.texts)
    fig = F.gru_cell_figure(F.tiny_step("gru"), lit="reset")
    assert any("r_t = \\sigma" in t.get_text() for t in fig.texts)


def test_words_already_read_keep_their_vectors_full_colour():
    """Pale means "near 0" in the colour key, so a word already read is greyed in its text,
    not in its squares (newcomer review N3); the last h_t has no next step to go to."""
    anim = F.sequence_animation()
    anim.draw_frame(anim.n_frames - 1)
    alphas = {p.get_alpha() for ax in anim.figure.axes for p in ax.patches}
    assert alphas <= {None, 1.0}
    anim = F.hidden_state_animation()
    anim.draw_frame(anim.n_frames - 1)
    assert not any("next step" in t.get_text() for t in anim.figure.texts)


def test_hidden_state_animation_shows_real_rnn_steps():
    anim = F.hidden_state_animation(hidden_size=3, seed=4)
    X = F.word_vectors(("What", "time", "is", "it", "?"))
    rng = np.random.default_rng(4)
    W_ih, W_hh = 0.6 * rng.normal(size=(3, 3)), 0.6 * rng.normal(size=(3, 3))
    h = np.zeros(3)
    for t, x in enumerate(X):
        h, _ = cells.rnn_step(x, h, W_ih, W_hh, np.zeros(3), np.zeros(3))
        np.testing.assert_array_equal(anim.hidden_states[t], h)
    anim.draw_frame(anim.n_frames - 1)
    shown = by_gid(anim.figure, "value:")
    assert shown["h4"].get_text() == expected(anim.hidden_states[4])


def _overlaps_of_the_colour_key(anim, k):
    """Texts and patches of frame ``k`` that the colour key (bar, ticks, title) touches."""
    anim.draw_frame(k)
    fig = anim.figure
    fig.canvas.draw()  # places the equal-aspect diagram where the PNG has it
    renderer = fig.canvas.get_renderer()
    keys = [ax for ax in fig.axes if ax.get_gid() == "colour-key"]
    if not keys:  # the sequence's first frame shows only words: no key yet
        return []
    (key,) = keys
    box = key.get_tightbbox(renderer)
    hit = []
    for ax in fig.axes:
        if ax is key:
            continue
        for artist in [*ax.texts, *ax.patches]:
            extent = artist.get_window_extent(renderer)
            patch = getattr(artist, "get_bbox_patch", lambda: None)()
            if patch is not None:
                extent = patch.get_window_extent(renderer)
            if artist.get_visible() and extent.width > 0 and box.overlaps(extent):
                hit.append(getattr(artist, "get_text", lambda: type(artist).__name__)())
    for text in fig.texts:
        if text.get_text() and box.overlaps(text.get_window_extent(renderer)):
            hit.append(text.get_text())
    return hit


@pytest.mark.parametrize("name", ["sequence", "hidden_state"])
def test_the_colour_key_covers_no_label_in_any_frame(name):
    anim = ANIMATIONS[name]()
    for k in range(anim.n_frames):
        assert not _overlaps_of_the_colour_key(anim, k), f"frame {k}"


def test_hidden_state_stays_informative_instead_of_saturating():
    hs = F.hidden_state_animation().hidden_states
    assert np.abs(hs[:3]).max() < 0.99
    assert np.abs(np.diff(hs, axis=0)).max() > 0.3  # it still changes with each word


def test_times_three_bars_follow_the_values_while_the_line_plot_keeps_one_scale():
    """Without tanh the bars' axis follows the values, so every frame's bars can be seen
    and the band of a new input's size (±1) shrinks to a hairline; the line plot keeps
    one scale, so the explosion shows. With tanh both axes stay put."""
    anim = F.times_three_animation()
    line_limits, band_shares = set(), []
    for k in range(anim.n_frames):
        anim.draw_frame(k)
        bars, lines = anim.figure.axes[:2]
        low, high = bars.get_ylim()
        tallest = max(abs(p.get_height()) for p in bars.patches if p.get_gid() != "input_band")
        assert low == -high and max(tallest, 1.0) / high == pytest.approx(1 / 1.15), k
        assert [p.get_gid() for p in bars.patches].count("input_band") == 1
        band_shares.append(min(1.0, 1.0 / high))  # the band's half-height over the axis'
        line_limits.add(lines.get_ylim())
    assert len(line_limits) == 1
    assert band_shares[0] > 0.85 and band_shares[-1] < 1e-4
    assert all(a >= b for a, b in zip(band_shares, band_shares[1:]))
    anim = F.times_three_animation(squash=True)
    limits = set()
    for k in range(anim.n_frames):
        anim.draw_frame(k)
        limits.add(tuple(ax.get_ylim() for ax in anim.figure.axes[:2]))
        # the pale blue band is tanh's range, and the picture says so
        bars = anim.figure.axes[0]
        assert [p.get_gid() for p in bars.patches].count("tanh_band") == 1
        assert "range of tanh" in bars.get_xlabel()
    assert len(limits) == 1


def test_review_lights_only_the_key_phrases():
    anim = F.review_animation("It was great, not bad at all.", keywords=("great", "not bad"))
    anim.draw_frame(anim.n_frames - 1)
    lit = [
        t.get_text()
        for t in by_gid(anim.figure, "word:").values()
        if t.get_bbox_patch() is not None
    ]
    assert lit == ["great,", "not", "bad"]
    assert by_gid(anim.figure, "remem")["bered"].get_text() == "great · not bad"
    with pytest.raises(ValueError, match="review must be a non-empty string"):
        F.review_animation("   ")
    with pytest.raises(ValueError, match="words must hold 1 to 19 words, but received 25"):
        F.sequence_animation(["w"] * 25)
    with pytest.raises(TypeError, match="words must be a list of strings"):
        F.hidden_state_animation("What time is it")


def _number(label):
    return float(label.replace("\u2212", "-").replace(",", ""))


@pytest.mark.parametrize("squash", [False, True])
@pytest.mark.parametrize("steps", [1, 3, 10])
def test_times_three_tick_labels_name_their_ticks_exactly(squash, steps):
    """No tick at 0.5 written "0", no "−0", no two ticks with the same label."""
    anim = F.times_three_animation(squash=squash, steps=steps)
    for k in range(anim.n_frames):
        anim.draw_frame(k)
        for ax in anim.figure.axes:
            ticks = ax.get_yticks()
            labels = [t.get_text() for t in ax.get_yticklabels()]
            assert len(ticks) >= 3 and len(set(labels)) == len(labels), (k, labels)
            for tick, label in zip(ticks, labels):
                assert _number(label) == pytest.approx(tick, abs=1e-9), (k, label, tick)
                assert not label.startswith("\u2212") or _number(label) < 0, (k, label)
            low, high = ax.get_ylim()
            assert all(low <= t <= high for t in ticks)


def test_tanh_animation_never_writes_an_output_as_the_bound_it_never_reaches():
    anim = F.tanh_animation()
    anim.draw_frame(anim.n_frames - 1)
    words = [t.get_text() for t in anim.figure.axes[0].texts if t.get_gid() != "band_label"]
    outputs = [w for w in words if _number(w) not in (-4.0, -1.5, -0.4, 0.3, 1.0, 2.5, 5.0)]
    assert len(outputs) == 7 and "0.9999" in outputs and "\u22120.999" in outputs, outputs
    assert all(-1 < _number(w) < 1 for w in outputs), outputs  # never "1.000"


def test_times_three_writes_the_squashed_values_to_three_decimals():
    anim = F.times_three_animation(squash=True)
    anim.draw_frame(anim.n_frames - 1)
    words = [t.get_text() for t in anim.figure.axes[0].texts]
    assert words == ["0.995", "0.995", "\u22120.995"]
    anim = F.times_three_animation()
    anim.draw_frame(2)
    assert [t.get_text() for t in anim.figure.axes[0].texts] == ["7.20", "2.70", "\u22120.90"]


STAGE_ANIMATIONS = ["rnn_cell", "lstm_forget", "lstm_input", "lstm_cell", "lstm_output"]


@pytest.mark.parametrize("name", STAGE_ANIMATIONS)
def test_stage_captions_are_numbered_and_fit_in_the_frame(name):
    anim = ANIMATIONS[name]()
    for k in range(anim.n_frames):
        anim.draw_frame(k)
        fig = anim.figure
        (caption,) = [t for t in fig.texts if t.get_gid() == "caption"]
        if k == 0:  # the opening frame shows the finished stage and says how to play
            assert "press ▶" in caption.get_text()
        else:
            stage = re.match(r"(\d+)/(\d+)   ", caption.get_text())
            assert stage and 1 <= int(stage[1]) <= int(stage[2]), caption.get_text()
        box = caption.get_window_extent(fig.canvas.get_renderer())
        assert 0 <= box.x0 and box.x1 <= fig.bbox.width and box.y0 >= 0, (k, caption.get_text())


def test_a_long_caption_wraps_without_splitting_its_math():
    from lstm_gru_course.figures.cell_animations import _caption
    from lstm_gru_course.figures.style import new_figure

    fig = new_figure(4.0, 2.0, dpi=80)
    caption = _caption(
        fig,
        0.1,
        "2/5",
        "The same pair $[h_{t-1}, x_t]$ goes through every "
        "layer of the cell, one after the other, and then on $h_t$.",
    )
    lines = caption.get_text().split("\n")
    assert len(lines) >= 2 and lines[0].startswith("2/5   The")
    assert all(line.count("$") % 2 == 0 for line in lines)
    assert caption.get_window_extent(fig.canvas.get_renderer()).width <= fig.bbox.width


def test_rnn_animation_writes_the_pre_activation_from_the_tanh_stage_on():
    params, rng = random_params(1, 3, 4, seed=6)
    x, h_prev = rng.normal(size=3), rng.normal(size=4)
    h, cache = cells.rnn_step(x, h_prev, *params)
    a = x @ params[0].T + params[2] + h_prev @ params[1].T + params[3]  # biases not zero
    anim = F.rnn_cell_animation(cache)
    shown = []
    for k in range(anim.n_frames):
        anim.draw_frame(k)
        values = by_gid(anim.figure, "value:")
        if "a" in values:
            assert values["a"].get_text() == expected(a, 3)  # three decimals, like the code
            assert by_gid(anim.figure, "label:")["a"].get_text() == "$a$ ="
            shown.append(k)
    captions = []
    for k in range(anim.n_frames):
        anim.draw_frame(k)
        captions.append([t.get_text() for t in anim.figure.texts if t.get_gid() == "caption"][0])
    tanh_stage = [k for k, c in enumerate(captions) if c.startswith("3/4   ")]
    # shown on the opening frame (the finished step) and from the tanh stage's arrival on
    assert shown == [0] + list(range(tanh_stage[-1], anim.n_frames))
    saturated = dict(cache, h=np.sign(cache["h"]))  # |h| = 1: a is unknown
    anim = F.rnn_cell_animation(saturated)
    anim.draw_frame(0)
    assert "a" not in by_gid(anim.figure, "value:")


def _boxes(fig):
    """(text, extent) of every visible text of ``fig``, a tag's extent being its box."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    out = []
    for text in texts(fig):
        if not text.get_visible():
            continue
        extent = text.get_window_extent(renderer)
        if text.get_bbox_patch() is not None:
            text.update_bbox_position_size(renderer)
            extent = text.get_bbox_patch().get_window_extent(renderer)
        out.append((text.get_text(), extent))
    return out


def test_rnn_animation_names_its_boxes_in_three_decimals_and_no_text_overlaps():
    """Every frame: no two texts (tags by their box) overlap; once they have arrived,
    the sum's box is named "a =" and the new state's "h_t =", right beside them."""
    cache = F.tiny_step("rnn")
    anim = F.rnn_cell_animation(cache)
    named = set()
    for k in range(anim.n_frames):
        anim.draw_frame(k)
        boxes = _boxes(anim.figure)
        clashes = [
            (a, b)
            for i, (a, box_a) in enumerate(boxes)
            for b, box_b in boxes[i + 1 :]
            if box_a.overlaps(box_b)
        ]
        assert not clashes, f"frame {k}: {clashes}"
        values, labels = by_gid(anim.figure, "value:"), by_gid(anim.figure, "label:")
        extents = dict(boxes)
        for name, words in (("a", "$a$ ="), ("h", "$h_t$ =")):
            if name in values and values[name].get_visible():
                assert labels[name].get_text() == words, k
                box, label = extents[values[name].get_text()], extents[words]
                gap = min(abs(label.y0 - box.y1), abs(box.x0 - label.x1))
                assert gap < 15, (k, name, gap)  # a few pixels: the name sits on its box
                named.add(name)
    assert named == {"a", "h"}
    anim.draw_frame(anim.n_frames - 1)
    # the sum sits on the short wire into the tanh layer (concatenation square to the
    # layer), right of it and below the layer, not beside h_{t-1}'s wire
    ax = anim.figure.axes[0]
    renderer = anim.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    label = to_data.transform(by_gid(anim.figure, "label:")["a"].get_window_extent(renderer))
    (tanh_x, tanh_y), corner = _rnn_node("box_tanh"), _rnn_wire("bus")[1]
    assert corner[0] == tanh_x  # the wire's last stretch rises straight into the layer
    assert tanh_x < label[0, 0] < tanh_x + 0.5
    assert corner[1] < label[:, 1].mean() < tanh_y - 0.4  # 0.4: the layer's half height
    values = by_gid(anim.figure, "value:")
    assert values["h"].get_text() == "0.896\n\u22120.635" == expected(cache["h"], 3)
    assert values["h_prev"].get_text() == expected(cache["h_prev"], 3)


def _rnn_node(name):
    from lstm_gru_course.figures.layouts import RNN_LAYOUT

    return next(node[2] for node in RNN_LAYOUT["nodes"] if node[1] == name)


def _rnn_wire(name):
    from lstm_gru_course.figures.layouts import RNN_LAYOUT

    return next(wire[1] for wire in RNN_LAYOUT["wires"] if wire[0] == name)


def test_review_words_are_evenly_spaced_and_never_move():
    anim = F.review_animation()
    place = None
    for k in (1, 7, 12, anim.n_frames - 1):
        anim.draw_frame(k)
        words = by_gid(anim.figure, "word:")
        words = [words[str(i)] for i in range(len(words))]
        spots = [w.get_position() for w in words]
        assert place is None or spots == place
        place = spots
        renderer = anim.figure.canvas.get_renderer()
        boxes = [w.get_window_extent(renderer) for w in words]
        gaps = [
            b.x0 - a.x1
            for a, b, (_, ya), (_, yb) in zip(boxes, boxes[1:], spots, spots[1:])
            if ya == yb
        ]
        assert len(gaps) > 20 and max(gaps) - min(gaps) < 1.0, (k, min(gaps), max(gaps))
        assert min(b.x0 for b in boxes) >= 0 and max(b.x1 for b in boxes) <= anim.figure.bbox.width


def test_animation_html_is_small_offline_and_identical_run_to_run():
    anim = F.lstm_gate_animation("output")
    one = F.to_jshtml(anim)
    two = F.to_jshtml(F.lstm_gate_animation("output"))
    other = F.to_jshtml(F.rnn_cell_animation())
    assert one == two
    assert len(one.encode()) <= F.MAX_BYTES
    assert "http://" not in one and "https://" not in one and "fa fa-" not in one
    assert ".animation img {\n    max-width: 100%;" in one and "width: 34px;" in one
    ids = set(re.findall(r'id="_anim_img(\w+)"', one))
    assert len(ids) == 1 and ids != set(re.findall(r'id="_anim_img(\w+)"', other))
    frames = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", one)
    assert len(frames) == anim.n_frames
    assert all(base64.b64decode(f).startswith(b"\x89PNG") for f in frames)
    import io

    from PIL import Image

    shown = int(re.search(r'<img width="(\d+)"', one)[1])  # CSS px
    assert Image.open(io.BytesIO(base64.b64decode(frames[0]))).width >= 2 * shown - 2


def test_to_html_gives_ipython_html_with_a_stable_text_form():
    from IPython.display import HTML

    html = F.to_html(F.rnn_cell_animation())
    assert isinstance(html, HTML) and "0x" not in repr(html)
    assert "<script" in html.data


def test_animation_limits_are_enforced():
    with pytest.raises(ValueError, match="n_frames must be at most 40"):
        F.CourseAnimation("too long", 2, 2, 41, lambda fig, k: None)
    with pytest.raises(TypeError, match="anim must be an animation"):
        F.to_jshtml("not an animation")
    with pytest.raises(ValueError, match="gate must be one of"):
        F.lstm_gate_animation("update")
    with pytest.raises(ValueError, match="fps must be at least 0.1"):
        F.tanh_animation(fps=0)
    with pytest.raises(TypeError, match="steps must be a positive integer"):
        F.times_three_animation(steps=2.5)


def test_docstring_examples_run():
    import doctest
    import importlib

    for name in ("animations", "cells_art", "curves", "diagrams", "examples", "style"):
        module = importlib.import_module(f"lstm_gru_course.figures.{name}")
        failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert tried > 0 and failures == 0, name


def test_the_two_missing_pictures_are_drawn():
    rolled = F.rnn_rolled_unrolled_figure(steps=4)
    labels = {t.get_text() for t in texts(rolled)}
    assert {"$x_t$", "$h_t$", "$h_{t-1}$", "$x_1$", "$x_4$", "$h_0$"} <= labels
    assert "loop" in {(p.get_gid() or "")[5:] for p in rolled.axes[0].patches}
    chain = F.lstm_chain_figure(steps=3)
    belt = [p for p in chain.axes[0].patches if (p.get_gid() or "").startswith("wire:belt")]
    assert len(belt) >= 3 * 3 and all(p.get_linewidth() >= 4 for p in belt)
    assert {"$c_{t-1}$", "$c_{t}$", "$h_{t}$", "$x_{t+1}$"} <= {t.get_text() for t in texts(chain)}
    with pytest.raises(ValueError, match="steps must be at most 4"):
        F.lstm_chain_figure(steps=9)


def test_every_figure_and_animation_describes_itself_for_alt_text():
    figs = [
        F.palette_figure(),
        F.gradient_update_figure(),
        F.lstm_gru_side_by_side(),
        F.rnn_cell_figure(F.tiny_step("rnn")),
        F.lstm_cell_figure(F.tiny_step("lstm")),
        F.gru_cell_figure(F.tiny_step("gru")),
        F.rnn_rolled_unrolled_figure(),
        F.lstm_chain_figure(),
    ]
    alts = [fig.alt_text() for fig in figs]
    assert all(len(a) > 60 for a in alts) and len(set(alts)) == len(alts)
    assert "f_t = 0.95 and 0.05" in alts[4]  # the numbers of the worked example
    html = figs[4]._repr_html_()
    assert re.search(
        r'<img src="data:image/png;base64,[^"]+" width="\d+" height="\d+" alt="Diagram of an LSTM',
        html,
    )
    for anim in (
        F.tanh_animation(),
        F.review_animation(),
        F.lstm_gate_animation("output"),
        F.times_three_animation(),
    ):
        assert len(anim.alt) > 60 and not anim.alt.startswith("An animation:")
    player = F.to_jshtml(F.rnn_cell_animation())
    assert re.search(
        r'<img width="\d+" height="\d+" alt="Animation of one RNN step[^"]*" '
        r'role="img" aria-label=',
        player,
    )


def test_plots_get_an_alt_text_from_their_titles_and_labels():
    with F.course_style():
        fig = F.new_figure(5, 3)
        ax = fig.add_subplot()
        F.plot_training_curves(ax, {"RNN": np.linspace(1, 0.5, 10)})
        ax.set_title("Loss of an RNN")
    assert fig.alt_text() == "Plot: Loss of an RNN; loss against training step; lines: RNN."


def test_figures_are_rendered_at_twice_their_displayed_size():
    fig = F.lstm_cell_figure()
    html = fig._repr_html_()
    width = int(re.search(r'width="(\d+)"', html)[1])
    data = base64.b64decode(re.search(r'base64,([^"]+)"', html)[1])
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(data)).width >= 2 * width - 2
