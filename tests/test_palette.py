"""The course palette: roles stay apart for colour-blind readers; plots use only the palette."""

from __future__ import annotations

import itertools

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.colors import to_hex, to_rgb  # noqa: E402

from lstm_gru_course import figures as F  # noqa: E402
from lstm_gru_course.figures import style  # noqa: E402

colorspacious = pytest.importorskip("colorspacious", reason="colorspacious computes CAM02-UCS ΔE")

#: The roles drawn together in one diagram.
DIAGRAMS = {
    "LSTM": ("hidden", "cell", "forget", "input", "candidate", "output"),
    "GRU": ("hidden", "update", "reset", "candidate"),
}
VISIONS = {
    "normal": None,
    "protanopia": "protanomaly",
    "deuteranopia": "deuteranomaly",
    "tritanopia": "tritanomaly",
}
FLOOR = {"normal": 10.0, "protanopia": 6.0, "deuteranopia": 6.0, "tritanopia": 6.0}


def _seen(color, vision):
    rgb = np.array(to_rgb(color))
    if VISIONS[vision] is None:
        return rgb
    cvd = {"name": "sRGB1+CVD", "cvd_type": VISIONS[vision], "severity": 100}
    return np.clip(colorspacious.cspace_convert(rgb, cvd, "sRGB1"), 0, 1)


def delta_e(a, b, vision="normal") -> float:
    """CAM02-UCS distance between colours ``a`` and ``b`` as seen with ``vision``."""
    return float(
        colorspacious.deltaE(
            _seen(a, vision), _seen(b, vision), input_space="sRGB1", uniform_space="CAM02-UCS"
        )
    )


def min_delta_e(palette, vision):
    return min(
        (delta_e(palette[a], palette[b], vision), a, b)
        for roles in DIAGRAMS.values()
        for a, b in itertools.combinations(roles, 2)
    )


@pytest.mark.parametrize("kind", ["ink", "fill"])
@pytest.mark.parametrize("vision", list(VISIONS))
def test_roles_in_one_diagram_stay_apart_for_every_vision(kind, vision):
    palette = style.ROLE_INK if kind == "ink" else style.ROLE_FILL
    value, a, b = min_delta_e(palette, vision)
    assert value >= FLOOR[vision], (
        f"{kind}s of {a} and {b} are only ΔE {value:.1f} apart under {vision} "
        f"(at least {FLOOR[vision]} needed)"
    )


@pytest.mark.parametrize("kind", ["ink", "fill"])
@pytest.mark.parametrize("vision", list(VISIONS))
def test_the_colour_key_tells_every_pair_of_roles_apart(kind, vision):
    # the key (palette_figure) and the LSTM/GRU side-by-side show all eight roles at once:
    # forget vs update must stay apart there too (the gallery review measured 4.7 before)
    palette = style.ROLE_INK if kind == "ink" else style.ROLE_FILL
    value, a, b = min(
        (delta_e(palette[a], palette[b], vision), a, b)
        for a, b in itertools.combinations(style.ROLES, 2)
    )
    assert value >= FLOOR[vision], (
        f"{kind}s of {a} and {b} are only ΔE {value:.1f} apart under {vision} in the key"
    )


def test_delta_e_sees_what_the_issue_measured_on_the_old_inks():
    # the inks before issue 14: forget vs candidate collapsed under protanopia
    assert delta_e("#B84F00", "#6E6500", "protanopia") < 2
    assert delta_e("#0072B2", "#1F6E9C") < 6
    assert delta_e("#C34108", "#A15000", "deuteranopia") < 6  # forget vs the old update ink


def test_every_gate_wire_has_its_own_dash_pattern_in_each_diagram():
    for roles in DIAGRAMS.values():
        gates = [r for r in roles if r not in ("hidden", "cell", "candidate")]
        dashes = [str(style.ROLE_DASH[r]) for r in gates]
        assert len(set(dashes)) == len(gates)
        assert all(style.ROLE_DASH[r] != "solid" for r in gates)


def test_wires_carry_their_dash_pattern():
    fig = F.lstm_cell_figure()
    wires = {p.get_gid(): p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("wire:")}
    f_dash = wires["wire:f_out"].get_linestyle()
    i_dash = wires["wire:i_out"].get_linestyle()
    assert f_dash != i_dash
    assert wires["wire:c_mid"].get_linestyle() in ("-", "solid")


def _achromatic(rgb, tol=0.02):
    return max(rgb) - min(rgb) <= tol


def _plotted_colors(fig):
    """Colours of every line, marker, bar and scatter point drawn on ``fig``'s axes."""
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Rectangle

    colors = []
    for ax in fig.axes:
        for line in ax.get_lines():
            colors.append(line.get_color())
            if line.get_marker() not in (None, "None", "", " "):
                colors += [line.get_markerfacecolor(), line.get_markeredgecolor()]
        for container in ax.containers:
            for patch in container:
                if isinstance(patch, Rectangle):
                    colors.append(patch.get_facecolor())
        for coll in ax.collections:
            if isinstance(coll, PathCollection):
                colors += list(coll.get_facecolors())
    return colors


def _off_palette(fig):
    bad = set()
    for c in _plotted_colors(fig):
        if isinstance(c, str) and c in ("none", "None"):
            continue
        rgba = matplotlib.colors.to_rgba(c)
        if rgba[3] == 0:
            continue
        rgb = rgba[:3]
        if _achromatic(rgb) or to_hex(rgb).upper() in style.COURSE_COLORS:
            continue
        bad.add(to_hex(rgb))
    return bad


def test_the_check_catches_matplotlibs_default_cycle():
    fig = matplotlib.figure.Figure()
    ax = fig.add_subplot()
    for k in range(3):
        ax.plot([0, 1], [k, k + 1])
    assert _off_palette(fig)  # tab:blue, tab:orange, tab:green


def test_course_style_cycles_through_the_palette_with_dashes():
    with F.course_style():
        fig = F.new_figure(4, 3)
        ax = fig.add_subplot()
        lines = [ax.plot([0, 1], [k, k + 1])[0] for k in range(4)]
    assert not _off_palette(fig)
    assert len({line.get_linestyle() for line in lines}) == 4
    assert not {to_hex(line.get_color()).upper() for line in lines} & {
        c.upper() for c in style.ROLE_INK.values() if c.upper() != "#1A1A1A"
    }


def _plot_figures():
    from lstm_gru_course.analysis.gradients import gradient_norms_by_distance

    norms = gradient_norms_by_distance("rnn", length=8)
    histories = {
        "lag 5": np.linspace(0.5, 1, 20),
        "lag 10": np.linspace(0.5, 0.7, 20),
        "RNN": np.linspace(0.4, 0.6, 20),
    }
    with F.course_style():
        fig = F.new_figure(6, 3)
        F.plot_gradient_norm_vs_distance(
            fig.add_subplot(121),
            norms.distance,
            {"whole": norms.hidden, "part": norms.hidden / 2, "LSTM": norms.hidden},
        )
        F.plot_training_curves(fig.add_subplot(122), histories, metric="loss")
    yield "plots", fig
    yield "gradient update", F.gradient_update_figure()
    for name in ("tanh_animation", "sigmoid_animation", "times_three_animation"):
        anim = getattr(F, name)()
        anim.draw_frame(anim.n_frames - 1)
        yield name, anim.figure


def test_every_plot_is_on_the_course_palette():
    for name, fig in _plot_figures():
        assert not _off_palette(fig), f"{name} draws colours off the palette: {_off_palette(fig)}"


def test_no_unrelated_quantity_wears_a_gate_colour():
    gate_colors = {
        style.ROLE_INK[r].upper()
        for r in ("forget", "input", "output", "update", "reset", "candidate")
    }
    anim = F.times_three_animation()
    anim.draw_frame(3)
    used = {to_hex(c).upper() for c in _plotted_colors(anim.figure)}
    assert not used & gate_colors
    fig = F.gradient_update_figure()
    assert not {to_hex(c).upper() for c in _plotted_colors(fig)} & gate_colors
