"""The pictures speak Chinese: explorers and figures in ``i18n.set_language("zh_CN")``.

Explorer labels, presets, readouts and picture descriptions, and the words drawn in
figures and animations come from the "pictures" catalogue; figures in Chinese draw their
characters with a CJK font (no "Glyph ... missing" warning, no boxes), and English
figures stay exactly as they were. Every test leaves the language at "en".
"""

from __future__ import annotations

import logging
import re
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest

from lstm_gru_course import explorers as E
from lstm_gru_course import figures as F
from lstm_gru_course import i18n
from lstm_gru_course.figures import style
from lstm_gru_course.figures.examples import tiny_step

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import i18n_package  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh():
    """The package speaks Chinese during the test, and English again after it."""
    i18n.set_language("zh_CN")
    try:
        yield
    finally:
        i18n.set_language("en")
    assert i18n.get_language() == "en"


@pytest.fixture
def en():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def _texts(fig):
    """Every non-empty string drawn on ``fig``: texts, titles, labels, ticks, legends."""
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]


def _render_strictly(fig, caplog):
    """Draw ``fig`` to PNG with every warning an error; no font may be missing either."""
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("error")
        png = fig.png() if hasattr(fig, "png") else E.figure_png(fig)
    missing = [r.getMessage() for r in caplog.records if "findfont" in r.getMessage()]
    assert not missing, missing[:3]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return png


# ------------------------------------------------------------------------ explorers

EXPLORERS = {
    "repeated_multiplication": (E.repeated_multiplication, ["weight", "steps", "start"]),
    "sigmoid_gate": (E.sigmoid_gate, ["pre_activation"]),
    "vanishing_gradients": (E.vanishing_gradients, ["weight_scale", "length", "keep_bias"]),
    "lstm_step": (E.lstm_step, ["preset", "bias_i", "bias_f", "bias_g", "bias_o"]),
    "gru_step": (E.gru_step, ["preset", "convention", "bias_r", "bias_z", "bias_n"]),
    "memory_span": (E.memory_span, ["model", "lag", "steps", "train", "clear"]),
    "text_generation": (E.text_generation, ["model", "prompt", "temperature", "length", "again"]),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_each_explorer_builds_in_chinese(zh, name):
    make, worded = EXPLORERS[name]
    explorer = make()
    assert CJK.search(explorer.title), explorer.title
    for key in worded:
        control = explorer.controls[key]
        assert CJK.search(control.description), (key, control.description)
    if name != "text_generation":  # its readout is the sample the model writes (English rhymes)
        assert CJK.search(explorer.readout.value), explorer.readout.value
    assert CJK.search(explorer.image.tooltip), explorer.image.tooltip
    assert explorer.message.value == ""  # no error shown instead of a picture
    header = explorer.children[0].value
    assert CJK.search(header), header


def test_explorers_translate_when_built_not_when_imported(en):
    """The language can change after import: each explorer speaks the language it was built in."""
    english = E.sigmoid_gate(pre_activation=-6.0)
    assert "erases" in english.readout.value and not CJK.search(english.readout.value)
    i18n.set_language("zh_CN")
    try:
        chinese = E.sigmoid_gate(pre_activation=-6.0)
    finally:
        i18n.set_language("en")
    assert "抹掉" in chinese.readout.value
    # the numbers are the same in both languages
    numbers = re.compile(r"\d+\.\d+")
    assert numbers.findall(chinese.readout.value) == numbers.findall(english.readout.value)
    assert E.sigmoid_gate(pre_activation=-6.0).readout.value == english.readout.value


def test_presets_show_chinese_names_and_keep_their_english_keys(zh):
    explorer = E.lstm_step()
    options = explorer.controls["preset"].options
    labels, keys = zip(*options)
    assert all(CJK.search(label) for label in labels)
    assert list(keys[:-1]) == list(E.LSTM_PRESETS)
    explorer.controls["preset"].value = "forget everything (f ≈ 0)"
    assert explorer.controls["bias_f"].value == -12.0
    assert "遗忘门" in explorer.readout.value
    gru = E.gru_step()
    assert [v for _, v in gru.controls["convention"].options] == list(E.CONVENTIONS)
    gru.controls["convention"].value = "Cho et al. 2014: reset before"
    assert gru.message.value == "" and "重置门" in gru.readout.value


def test_a_slider_move_updates_the_chinese_readout(zh):
    explorer = E.repeated_multiplication(weight=0.5, steps=10)
    assert "逐渐消失" in explorer.readout.value
    explorer.controls["weight"].value = 3.0
    assert "爆炸了" in explorer.readout.value
    assert "10 步之后" in explorer.readout.value


def test_bad_input_errors_stay_in_english(zh):
    with pytest.raises(ValueError, match="pre_activation"):
        E.compute_sigmoid_gate(float("nan"))
    with pytest.raises(TypeError, match="prompt must be a string"):
        E.compute_text_generation(prompt=3)


# ------------------------------------------------------------------------ figures


FIGURES = {
    "palette": F.palette_figure,
    "gradient_update": F.gradient_update_figure,
    "lstm_cell": lambda: F.lstm_cell_figure(tiny_step("lstm"), lit="forget"),
    "gru_cell": lambda: F.gru_cell_figure(tiny_step("gru", reset="before"), reset="before"),
    "lstm_chain": F.lstm_chain_figure,
    "rolled_unrolled": F.rnn_rolled_unrolled_figure,
    "side_by_side": F.lstm_gru_side_by_side,
    "sigmoid_small_multiples": E.sigmoid_gate_small_multiples,
    "gru_presets": E.gru_presets_figure,
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_figure_in_chinese_draws_chinese_and_no_missing_glyph(zh, caplog, name):
    fig = FIGURES[name]()
    texts = _texts(fig)
    assert any(CJK.search(t) for t in texts), texts
    assert CJK.search(fig.alt_text()), fig.alt_text()
    # a CJK font comes first, DejaVu Sans after it (for what the CJK font lacks)
    family = [t for t in fig.findobj(matplotlib.text.Text) if CJK.search(t.get_text())][
        0
    ].get_fontfamily()
    assert family[0] == style.cjk_family() and "DejaVu Sans" in family
    _render_strictly(fig, caplog)


@pytest.mark.parametrize(
    "make, frame",
    [
        (lambda: F.lstm_gate_animation("output"), 4),
        (F.review_animation, 20),
        (F.sequence_animation, 4),
        (F.hidden_state_animation, 5),
        (F.sigmoid_animation, 0),
        (lambda: F.times_three_animation(squash=True), 3),
    ],
)
def test_an_animation_in_chinese_draws_chinese_and_no_missing_glyph(zh, caplog, make, frame):
    anim = make()
    anim.draw_frame(frame)
    assert any(CJK.search(t) for t in _texts(anim.figure))
    assert CJK.search(anim.alt) and CJK.search(anim.title)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        anim.frame_png(frame)


def test_chinese_captions_wrap_inside_the_figure(zh):
    """Chinese has no spaces: a long caption still breaks into lines that fit the width."""
    anim = F.lstm_gate_animation("cell")
    renderer = anim.figure.canvas.get_renderer()
    for k in range(anim.n_frames):
        anim.draw_frame(k)
        caption = [t for t in anim.figure.texts if t.get_gid() == "caption"]
        assert caption and CJK.search(caption[0].get_text())
        box = caption[0].get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= anim.figure.bbox.width, (k, caption[0].get_text())
        assert not re.search(r"^[，。、；：）]", caption[0].get_text(), re.M)


def test_a_long_chinese_caption_breaks_between_characters_not_before_punctuation(zh):
    from lstm_gru_course.figures.cell_animations import _caption

    with style.course_style():
        fig = F.new_figure(6.0, 3.0)
        sentence = "两者之和就是新的细胞状态：一个分量保住了原来的记忆，另一个分量存入了新的内容。"
        text = _caption(fig, 0.1, "3/4", sentence + "$c_t$ 沿着顶部流过，" + sentence)
        lines = text.get_text().split("\n")
        assert len(lines) >= 3, lines
        assert "".join(lines).replace(" ", "") == (
            "3/4" + sentence + "$c_t$沿着顶部流过，" + sentence
        ).replace(" ", "")
        assert not any(re.match(r"[，。、；：）]", line) for line in lines[1:]), lines
        box = text.get_window_extent(fig.canvas.get_renderer())
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width


def test_the_chinese_review_lights_up_every_key_phrase(zh):
    """The translated review holds each translated key phrase, word for word."""
    from lstm_gru_course.figures._review_story import _phrase_index

    review = i18n._(F.REVIEW)
    keywords = [i18n._(k) for k in F.REVIEW_KEYWORDS]
    assert CJK.search(review) and all(CJK.search(k) for k in keywords)
    found = _phrase_index(review.split(), keywords)
    assert sorted(set(found[found >= 0])) == list(range(len(keywords)))


def test_english_figures_do_not_change(en, caplog):
    """The same figure drawn in English before and after a Chinese one: identical pixels,
    and DejaVu Sans only."""
    before = _render_strictly(F.lstm_cell_figure(tiny_step("lstm")), caplog)
    i18n.set_language("zh_CN")
    try:
        chinese = F.lstm_cell_figure(tiny_step("lstm")).png()
    finally:
        i18n.set_language("en")
    after_fig = F.lstm_cell_figure(tiny_step("lstm"))
    after = _render_strictly(after_fig, caplog)
    assert before == after and chinese != before
    assert not any(CJK.search(t) for t in _texts(after_fig))
    with style.course_style():
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]


def test_no_cjk_font_warns_once_with_what_to_install(monkeypatch):
    monkeypatch.setattr(style, "_cjk_state", {})
    monkeypatch.setattr(style, "CJK_FAMILIES", ("No Such CJK Font",))
    monkeypatch.setattr(style, "_CJK_FILES", ("no-such-cjk-file",))
    with pytest.warns(UserWarning, match="fonts-noto-cjk") as caught:
        assert style.cjk_family() is None
    assert "Noto Sans CJK" in str(caught[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert style.cjk_family() is None  # once only
        i18n.set_language("zh_CN")
        try:
            with style.course_style():  # falls back to the English fonts
                assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]
        finally:
            i18n.set_language("en")


# ------------------------------------------------------------------------ the catalogue


def test_every_pictures_message_keeps_its_placeholders_and_numbers():
    catalog = i18n_package._read(i18n_package.po_path("pictures"))
    messages = [m for m in catalog if m.id]
    assert len(messages) > 250
    for m in messages:
        assert m.string and not m.fuzzy, m.id
        assert sorted(re.findall(r"\{\w*\}", m.id)) == sorted(re.findall(r"\{\w*\}", m.string))
        maths = re.compile(r"\$[^$]*\$")
        assert sorted(maths.findall(m.id)) == sorted(maths.findall(m.string)), m.id
        plain = maths.sub("", re.sub(r"\{\w*\}", "", m.id))
        for number in re.findall(r"\d+(?:\.\d+)?", plain):
            assert number in m.string, (m.id, number)
        assert CJK.search(m.string) or not re.search(r"[a-z]{3,}", plain), m.id


def test_the_source_marks_are_all_in_the_catalogue():
    marked = {m.id for m in i18n_package.template("pictures") if m.id}
    catalog = i18n_package._read(i18n_package.po_path("pictures"))
    assert marked == {m.id for m in catalog if m.id}


def test_numbers_are_the_same_in_both_languages(en):
    english = E.vanishing_gradients(weight_scale=0.5, length=30, keep_bias=2.0)
    i18n.set_language("zh_CN")
    try:
        chinese = E.vanishing_gradients(weight_scale=0.5, length=30, keep_bias=2.0)
    finally:
        i18n.set_language("en")
    pattern = re.compile(r"\d[\d.×⁻⁰¹²³⁴⁵⁶⁷⁸⁹]*")
    assert pattern.findall(english.readout.value) == pattern.findall(chinese.readout.value)


# ------------------------------------------------------------------------ tables


def test_tables_show_chinese_column_names_aligned_and_english_unchanged(en):
    from lstm_gru_course.analysis.tables import _width, format_table

    rows = [{"model": "LSTM", "right": 0.99, "chance": 0.5}, {"model": "RNN", "right": 0.5}]
    english = format_table(rows)
    assert english.splitlines()[0] == "model  right  chance"
    i18n.set_language("zh_CN")
    try:
        chinese = format_table(rows)
        markdown = format_table(rows, markdown=True)
    finally:
        i18n.set_language("en")
    assert chinese.splitlines()[0].split() == ["模型", "答对比例", "随机基线"]
    assert markdown.splitlines()[0] == "| 模型 | 答对比例 | 随机基线 |"
    # each column starts at the same screen column on every line (CJK counts 2)
    header, rule, *body = chinese.splitlines()
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    for line in [header, *body]:
        fields = [_width(line[: m.start()]) for m in re.finditer(r"\S+", line)]
        assert fields == starts[: len(fields)], (line, fields, starts)
    assert format_table(rows) == english


def test_published_and_reproduced_reads_in_chinese(zh):
    from lstm_gru_course.analysis.sweep import published_vs_reproduced
    from lstm_gru_course.data import load_data

    rows = published_vs_reproduced(load_data("memory_experiments.json"))
    assert rows and all(CJK.search(row["published"]) and CJK.search(row["ours"]) for row in rows)
    assert "5,040" in rows[0]["published"] and "随机猜测" in rows[0]["ours"]


def test_the_animation_player_speaks_the_language_of_the_page(en):
    english = F.times_three_animation(steps=2).to_jshtml()
    assert 'title="Play"' in english and ">Loop</label>" in english
    assert not CJK.search(english)
    i18n.set_language("zh_CN")
    try:
        chinese = F.times_three_animation(steps=2).to_jshtml()
    finally:
        i18n.set_language("en")
    assert 'title="播放"' in chinese and ">循环</label>" in chinese
    assert 'title="Play"' not in chinese and 'aria-label="Pause"' not in chinese
    assert "帧" in re.search(r'<img [^>]*alt="([^"]*)"', chinese).group(1)
