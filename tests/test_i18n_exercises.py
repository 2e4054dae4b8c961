"""The exercises in Chinese (issue 20, item 4): every question, hint, solution, known-mistake
diagnosis, check result and the progress view go through the ``exercises`` catalogue, the
same diagnosis fires in both languages, English stays as it was, errors for bad input stay
English, and the shipped .mo is the compiled .po with nothing untranslated or fuzzy."""

from __future__ import annotations

import importlib
import io
import re
import string
import sys
from pathlib import Path

import numpy as np
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import lstm_gru_course.exercises as exercises
from lstm_gru_course import i18n
from lstm_gru_course.exercises import _core, _guard
from lstm_gru_course.exercises._core import Template, width, wrap
from lstm_gru_course.exercises._function import FunctionProblem
from lstm_gru_course.exercises._kinds import ChoiceProblem, ValueProblem

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "lstm_gru_course" / "locale" / "zh_CN" / "LC_MESSAGES"
MODULES = {c: importlib.import_module(f"lstm_gru_course.exercises.{c}") for c in exercises.CHAPTERS}
PROBLEMS = [p for chapter in exercises.CHAPTERS for p in _core._REGISTRY[chapter]]
CJK = re.compile(r"[\u4e00-\u9fff]")


def is_prose(text: str) -> bool:
    """False for a text that is only code or arithmetic, such as `np.log(59)`. or 20*10 + 20."""
    return re.search(r"[A-Za-z]{3,}", re.sub(r"`[^`]*`|\{\w*\}", "", text)) is not None


@pytest.fixture(autouse=True)
def english_afterwards(tmp_path, monkeypatch):
    """Each test runs with a throw-away progress file and leaves the language English."""
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    exercises.set_time_limit(None)
    i18n.set_language("en")
    yield
    i18n.set_language("en")
    exercises.set_time_limit(None)


def _read_po():
    with (CATALOGUE / "exercises.po").open("rb") as f:
        return read_po(f, locale="zh_CN")


def texts_of(problem) -> list:
    """Every learner-facing text an exercise defines (the ones marked with N_)."""
    texts = [problem.question, *problem.hints, problem.explanation]
    for mistake in getattr(problem, "mistakes", ()):
        texts.append(mistake.message)
    for hint in getattr(problem, "error_hints", ()):
        texts.append(hint.message)
    if isinstance(problem, FunctionProblem):
        texts += [case.description for case in problem.cases]
        texts += list(problem.shapes.values())
    if isinstance(problem, ChoiceProblem):
        texts += [*problem.options.values(), *problem.feedback.values()]
    return [t for t in texts if t and is_prose(t)]


def msgid(text) -> str:
    return text.msgid if isinstance(text, Template) else text


# ------------------------------------------------------------------ (1) everything renders


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.key)
def test_every_text_of_every_exercise_is_in_the_catalogue_and_translated(problem):
    po = _read_po()
    for text in texts_of(problem):
        message = po.get(msgid(text))
        assert message is not None, f"{problem.key}: not marked for translation: {text[:70]!r}"
        assert message.string and not message.fuzzy, f"{problem.key}: untranslated {text[:70]!r}"


@pytest.mark.parametrize("chapter", list(exercises.CHAPTERS))
def test_each_chapter_renders_in_chinese_after_being_imported_in_english(chapter):
    module = MODULES[chapter]
    english = {p.key: (repr(p), p.solution_text()) for p in module.EXERCISES}
    i18n.set_language("zh_CN")
    for problem in module.EXERCISES:
        shown = [repr(problem), problem.solution_text()]
        shown += [problem.hint_text(n) for n in range(1, len(problem.hints) + 1)]
        for text in shown:
            assert CJK.search(text), f"{problem.key}: no Chinese in {text[:80]!r}"
            for line in text.splitlines():  # a line ends at 76 columns (or with a code piece)
                fits = width(line) <= 76 or line.startswith(" ")  # (code is indented)
                assert fits or line.startswith("`"), (problem.key, line)
                assert not line.startswith(tuple("，。、；：！？）")), (problem.key, line)
        # the question, every option, hint and the prose of the solution: translated
        assert i18n.gettext(msgid(problem.question)) != msgid(problem.question)
        for hint in problem.hints:
            assert CJK.search(_core.tr(hint)) or not is_prose(hint), (problem.key, hint)
        # the code of a solution is shown as it is
        for line in problem.solution_code.strip("\n").splitlines():
            assert line.rstrip() in problem.solution_text(), (problem.key, line)
    i18n.set_language("en")
    assert {p.key: (repr(p), p.solution_text()) for p in module.EXERCISES} == english


def test_templates_keep_their_values_in_chinese():
    from lstm_gru_course.exercises import applications

    question = applications.chance_loss.question
    assert isinstance(question, Template) and "V = 59 " in question  # English: the str itself
    i18n.set_language("zh_CN")
    shown = repr(applications.chance_loss)
    assert "V = 59 " in shown and CJK.search(shown)
    assert f"{np.log(59):.3f}" in applications.chance_loss.solution_text()


def test_chinese_text_wraps_by_display_width_and_english_is_untouched():
    english = "word " * 40
    assert wrap(english) == __import__("textwrap").fill(english, 76)
    chinese = (
        "遗忘门决定保留多少旧的细胞状态，" * 12
        + "`np.concatenate([h_prev, x], axis=-1)` 与 (B, H + I)。"
    )
    lines = wrap(chinese).splitlines()
    assert len(lines) > 3
    assert all(width(line) <= 76 for line in lines)
    assert "`np.concatenate([h_prev, x], axis=-1)`" in wrap(chinese)  # code never broken
    assert "(B, H + I)" in wrap(chinese)  # nor a shape
    assert not any(line.startswith(("，", "。")) for line in lines)
    aligned = "    a = x W^T     (B, 4H)：四块"  # a formula's aligned spaces are kept
    assert wrap(aligned) == aligned


# ------------------------------------------------------------------ (2) the same diagnosis


def _learner_function(problem, mistake):
    def wrong(*args):
        return mistake.variant(*args)

    wrong.__name__ = problem.name
    return wrong


CASES = [
    ("sigmoid", "memory_after_steps", "times_not_power"),
    ("tanh", "times_three", None),
    ("lstm", "forget_gate", "gate_order"),
    ("lstm", "lstm_step", "h_c_swapped"),
    ("gru", "blend", "z_reversed"),
    ("rnn", "combine", None),
    ("applications", "chance_loss", "frequencies"),
    ("conventions", "keras_gru_to_torch", "gate_order"),
]


@pytest.mark.parametrize("chapter, name, mistake_id", CASES)
def test_a_known_wrong_answer_gets_the_same_diagnosis_in_chinese(chapter, name, mistake_id):
    problem = getattr(MODULES[chapter], name)
    mistakes = [m for m in problem.mistakes if mistake_id in (None, m.id)]
    assert mistakes, (chapter, name, mistake_id)
    mistake = mistakes[0]
    if isinstance(problem, ValueProblem):
        wrong = mistake.variant() if callable(mistake.variant) else mistake.variant
    else:
        wrong = _learner_function(problem, mistake)
    english = problem.evaluate(wrong)
    assert english.status == "incorrect" and english.mistake == mistake.id, english.message
    assert mistake.message in english.message
    i18n.set_language("zh_CN")
    chinese = problem.evaluate(wrong)
    assert (chinese.status, chinese.mistake) == (english.status, english.mistake)
    diagnosis = i18n.gettext(mistake.message)
    assert diagnosis != mistake.message and CJK.search(diagnosis)
    assert diagnosis in chinese.message
    shown = _core.render(problem, chinese)
    assert shown.startswith(f"✗ {problem.key}: 还不对。"), shown


MISTAKES = [
    (p, m) for p in PROBLEMS if not isinstance(p, ChoiceProblem) for m in getattr(p, "mistakes", ())
]


@pytest.mark.parametrize(
    "problem, mistake", MISTAKES, ids=[f"{p.key}-{m.id}-{k}" for k, (p, m) in enumerate(MISTAKES)]
)
def test_every_known_mistake_is_diagnosed_in_chinese(problem, mistake):
    wrong = mistake.variant
    if isinstance(problem, ValueProblem) and callable(wrong):
        wrong = wrong()
    i18n.set_language("zh_CN")
    outcome = problem.evaluate(wrong)
    assert (outcome.status, outcome.mistake) == ("incorrect", mistake.id), outcome.message
    assert i18n.gettext(mistake.message) in outcome.message and CJK.search(outcome.message)


def test_every_option_of_every_choice_replies_in_chinese():
    i18n.set_language("zh_CN")
    for problem in [p for p in PROBLEMS if isinstance(p, ChoiceProblem)]:
        for letter, feedback in problem.feedback.items():
            outcome = problem.evaluate(letter)
            assert outcome.correct == (letter == problem.answer)
            assert i18n.gettext(feedback) in outcome.message and CJK.search(outcome.message)
        # the text of the right option, typed out in Chinese, is accepted too
        assert problem.evaluate(i18n.gettext(problem.options[problem.answer])).correct


def test_check_results_speak_chinese(capsys):
    from lstm_gru_course.exercises import sigmoid

    i18n.set_language("zh_CN")
    sigmoid.memory_after_steps.check(0.9**10)
    sigmoid.memory_after_steps.check(exercises.____)
    sigmoid.sigmoid.check(lambda a: 1 / (1 + np.exp(-a)))
    sigmoid.sigmoid.check(lambda a: None)
    sigmoid.sigmoid.check(lambda a: a[:1])
    sigmoid.soft_switch.check("whatever")
    sigmoid.sigmoid.hint(7)
    out = capsys.readouterr().out
    for expected in (
        "✓ sigmoid.memory_after_steps: 正确！",
        "○ sigmoid.memory_after_steps: 还没有作答。",
        "✓ sigmoid.sigmoid: 4 个样例全部通过检查：从 -3 到 3 的七个数；",
        "你的函数返回了 None。",
        "s 的形状应当是 (7,)（即 a 的形状），但你的是 (1,)。",
        "这里没有什么要检查的",
        "一共只有 2 条提示，下面是最后一条。",
    ):
        assert re.sub(r"\s", "", expected) in re.sub(r"\s", "", out), (expected, out)


def test_the_time_limit_message_is_chinese():
    from lstm_gru_course.exercises import tanh

    def tanh_derivative(t):
        while True:
            pass

    exercises.set_time_limit(0.3)
    i18n.set_language("zh_CN")
    outcome = tanh.tanh_derivative.evaluate(tanh_derivative)
    assert outcome.status == "incorrect"
    assert "你的函数运行了 0.3 秒还没有结束" in outcome.message, outcome.message
    assert "set_time_limit(seconds)" in outcome.message


def test_an_error_in_the_learners_code_is_described_in_chinese():
    from lstm_gru_course.exercises import tanh

    def tanh_derivative(t):
        return 1 / 0

    i18n.set_language("zh_CN")
    outcome = tanh.tanh_derivative.evaluate(tanh_derivative)
    assert "你的函数抛出了 ZeroDivisionError" in outcome.message
    assert "ZeroDivisionError: division by zero" in outcome.message  # Python's own words
    assert "在 tanh_derivative 中" in outcome.message


def test_the_progress_views_speak_chinese():
    entries = {"lstm.forget_gate": {"attempts": 2, "done": True}, "gru.blend": {"attempts": 1}}
    i18n.set_language("zh_CN")
    text = str(exercises.overview(entries))
    assert "5. LSTM" in text and "1. 短时记忆" in text and "A. 随时间反向传播" in text
    assert "已完成：43 道可检查的练习中完成了 1 道；尝试过 1 道" in text
    assert "✓ 完成   ✗ 尝试过，尚未通过   ○ 未开始" in text
    header = text.splitlines()[0]
    assert header.split() == ["章", "完成", "尝试过", "未开始", "练习"]
    html = exercises.overview(entries)._repr_html_()
    assert "尝试过，尚未通过" in html and "lstm.forget_gate: 完成" in html
    rows = [line for line in text.splitlines() if line[:2] in ("1.", "5.", "B.")]
    # the count columns line up although Chinese characters are twice as wide
    assert len({width(row[: row.rindex(" ") + 1].rstrip()) for row in rows}) == 1, rows
    table = _core.progress_text(["lstm"])
    assert table.splitlines()[0].split() == ["章", "练习", "完成", "尝试次数"]
    assert "参考答案已读" in table


def test_reset_progress_speaks_chinese(capsys, tmp_path):
    from lstm_gru_course.exercises import rnn

    rnn.parameter_count.check(1)
    i18n.set_language("zh_CN")
    exercises.reset_progress("rnn")
    out = capsys.readouterr().out
    assert "2. 循环神经网络 的进度已重置：删除了 1 条练习记录。" in out
    assert "原来的文件保存在" in out


def test_the_learners_answer_is_described_in_chinese():
    from lstm_gru_course.exercises import sigmoid, tanh

    i18n.set_language("zh_CN")
    assert sigmoid.memory_after_steps.evaluate("0.35").message == (
        "你给的是字符串 '0.35'；请直接给出这个数，不要加引号。"
    )
    assert "你给的是一个长度为 2 的 list" in tanh.tanh_facts.evaluate([1, 2]).message
    assert "一个形状为 (3,)、dtype 为 float64 的数组" in (
        tanh.tanh_derivative.evaluate(np.zeros(3)).message
    )


def test_a_progress_file_that_cannot_be_used_is_explained_in_chinese(tmp_path, monkeypatch, capsys):
    from lstm_gru_course.exercises import rnn

    (tmp_path / "progress.json").mkdir()  # a folder where the file should be
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(tmp_path))
    i18n.set_language("zh_CN")
    rnn.parameter_count.check(640)
    out = capsys.readouterr().out
    assert "✓ rnn.parameter_count: 正确！" in out
    assert "（你的进度没能保存：ProgressError: LSTM_GRU_COURSE_PROGRESS 指向" in out
    assert "这是一个文件夹而不是文件" in out


# ------------------------------------------------------------------ (3) English unchanged


@pytest.mark.parametrize(
    "value", [None, np.zeros((2, 3)), [1, 2], (1,), "x" * 40, True, np.bool_(False), 2.5, 3j, {}]
)
def test_answers_are_described_in_english_exactly_as_before(value):
    from lstm_gru_course._validate import describe
    from lstm_gru_course.exercises._guard import describe_answer

    assert describe_answer(value) == describe(value)


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.key)
def test_english_output_has_no_chinese(problem):
    assert i18n.get_language() == "en"
    shown = [repr(problem), problem.solution_text(), problem.hint_text(1)]
    shown.append(problem.evaluate(None).message)
    assert not any(CJK.search(text) for text in shown), problem.key
    assert not CJK.search(str(exercises.overview({})))


# ------------------------------------------------------------------ (4) bad input stays English


def test_errors_for_bad_input_stay_english_in_chinese():
    i18n.set_language("zh_CN")
    calls = [
        (lambda: exercises.reset_progress("nope"), ValueError, "chapter must be one of"),
        (lambda: exercises.set_time_limit(-1), ValueError, "seconds must be a positive"),
        (lambda: exercises.set_time_limit("5"), TypeError, "seconds must be a positive number"),
        (lambda: exercises.overview([1]), TypeError, "entries must be a dict"),
        (
            lambda: ValueProblem("d", "x", "?", expected=1, answer_type="text", hints=["h"]),
            ValueError,
            "answer_type must be",
        ),
        (lambda: i18n.set_language("fr"), ValueError, "language must be one of"),
    ]
    for call, error, words in calls:
        with pytest.raises(error) as raised:
            call()
        message = str(raised.value)
        assert words in message and not CJK.search(message), message


# ------------------------------------------------------------------ (5) the catalogue


def test_the_mo_file_is_the_compiled_po():
    buffer = io.BytesIO()
    write_mo(buffer, _read_po(), use_fuzzy=False)
    assert (CATALOGUE / "exercises.mo").read_bytes() == buffer.getvalue(), (
        "run: python tools/i18n_package.py compile"
    )


def test_no_message_of_the_exercises_is_untranslated_or_fuzzy():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        i18n_package = importlib.import_module("i18n_package")
    finally:
        sys.path.remove(str(ROOT / "tools"))
    total, missing, fuzzy = i18n_package.status()["exercises"]
    assert total > 500
    assert (missing, fuzzy) == (0, 0), "run tools/i18n_package.py update, then translate"


def test_translations_keep_placeholders_code_and_ascii_maths():
    fields = string.Formatter()
    for message in _read_po():
        if not message.id:
            continue
        english, chinese = message.id, message.string
        assert chinese, english

        def names(text):
            return sorted(f for _, f, _, _ in fields.parse(text) if f is not None)

        assert names(english) == names(chinese), english
        assert sorted(re.findall(r"`[^`]*`", english)) == sorted(re.findall(r"`[^`]*`", chinese))
        latin = english in ("5. The LSTM", "6. The GRU")  # "5. LSTM": nothing to translate
        shape_words = re.fullmatch(r"\([\w*+, ]*\)", english)  # "(batch, hidden)" stays
        if is_prose(english) and not shape_words and not latin:
            assert CJK.search(chinese), english


def test_the_environment_variable_makes_a_session_chinese(tmp_path):
    import subprocess

    code = (
        "from lstm_gru_course.exercises import sigmoid\n"
        "sigmoid.memory_after_steps.check(0.9 * 10)\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LSTM_GRU_COURSE_LANG": "zh_CN",
        "LSTM_GRU_COURSE_PROGRESS": str(tmp_path / "progress.json"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("✗ sigmoid.memory_after_steps: 还不对。乘以 0.9 十次是"), (
        done.stdout + done.stderr
    )


def test_the_language_can_change_at_any_time():
    from lstm_gru_course.exercises import gru

    before = gru.parameter_count.evaluate(640).message
    i18n.set_language("zh_CN")
    assert gru.parameter_count.evaluate(640).message != before
    i18n.set_language("en")
    assert gru.parameter_count.evaluate(640).message == before
    assert _guard is not None
