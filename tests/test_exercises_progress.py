"""The progress file: where it lives, the table, and that no result is ever lost
(a writer killed before its rename, a corrupt file, two processes writing at once)."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

import lstm_gru_course.exercises as exercises
from lstm_gru_course.exercises import _progress, gru, lstm


@pytest.fixture(autouse=True)
def progress_dir(tmp_path, monkeypatch):
    """Never touch a real learner's progress file."""
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(tmp_path))
    return tmp_path


def stored(folder: Path) -> dict:
    return json.loads((folder / "progress.json").read_text())["exercises"]


# ------------------------------------------------------------------ where it lives


def test_the_file_lives_under_home_unless_the_variable_moves_it(tmp_path, monkeypatch):
    assert exercises.progress_file() == tmp_path / "progress.json"
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(tmp_path / "mine.json"))
    assert exercises.progress_file() == tmp_path / "mine.json"
    monkeypatch.delenv("LSTM_GRU_COURSE_PROGRESS")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert exercises.progress_file() == tmp_path / "home" / ".lstm_gru_course" / "progress.json"


def test_checks_record_attempts_and_done_and_not_attempted_records_nothing(progress_dir, capsys):
    assert not (progress_dir / "progress.json").exists()
    gru.blend.check(lambda z, n, h_prev: None)             # not attempted: nothing saved
    assert not (progress_dir / "progress.json").exists()
    gru.blend.check(lambda z, n, h_prev: z * n + (1 - z) * h_prev)
    gru.blend.check(lambda z, n, h_prev: (1 - z) * n + z * h_prev)
    gru.blend.check(lambda z, n, h_prev: n)                 # wrong after right: still done
    gru.weight_shape.check((20, 20))
    lstm.forget_bias.solution()
    entries = stored(progress_dir)
    assert entries["gru.blend"]["attempts"] == 3 and entries["gru.blend"]["done"] is True
    assert entries["gru.weight_shape"] == {**entries["gru.weight_shape"], "attempts": 1,
                                           "done": False}
    assert entries["lstm.forget_bias"]["solution_viewed"] is True
    capsys.readouterr()
    gru.progress()
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["chapter", "exercise", "done", "attempts"]
    assert table[2].split() == ["gru", "blend", "yes", "3"]
    assert ["gru", "weight_shape", "no", "1"] in [row.split() for row in table]
    assert ["gru", "which_cell", "no", "-"] in [row.split() for row in table]
    assert table[-1] == "Done: 1 of 5 checked exercises; model answers read: 0 of 1."
    exercises.progress()
    everything = capsys.readouterr().out
    assert ["lstm", "forget_bias", "read", "-"] in [row.split() for row in everything.splitlines()]
    assert everything.splitlines()[2].split()[0] == "short_term_memory"
    assert str(progress_dir) not in everything


def test_reset_forgets_one_chapter_or_everything(progress_dir, capsys):
    gru.weight_shape.check((60, 20))
    lstm.cell_state_gradient.check("a")
    exercises.reset_progress("gru")
    assert list(stored(progress_dir)) == ["lstm.cell_state_gradient"]
    exercises.reset_progress()
    assert stored(progress_dir) == {}
    assert "1 exercise record removed" in capsys.readouterr().out
    with pytest.raises(ValueError, match="chapter must be one of"):
        exercises.reset_progress("lstms")


def test_a_place_that_cannot_be_written_does_not_break_the_check(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(blocker / "progress.json"))
    gru.weight_shape.check((60, 20))
    gru.progress()
    out = capsys.readouterr().out
    assert out.startswith("✓ gru.weight_shape: Correct!")
    assert "(Your progress could not be saved: " in out
    assert "(Your progress file could not be read: " in out


# ------------------------------------------------------------------ corrupt files


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]",
                                     b'{"version": 1, "exercises": 7}', b""])
def test_a_corrupt_file_is_kept_aside_and_a_fresh_one_started(progress_dir, capsys, content):
    path = progress_dir / "progress.json"
    path.write_bytes(content)
    gru.weight_shape.check((60, 20))
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Warning: your progress file ")
    assert "a fresh one was started" in err
    backups = list(progress_dir.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == content
    assert stored(progress_dir)["gru.weight_shape"]["done"] is True
    path.write_bytes(content)
    exercises.progress()                                     # reading also recovers
    assert len(list(progress_dir.glob("progress.json.corrupt-*"))) == 2


def test_bad_entries_are_dropped_but_good_ones_kept(progress_dir):
    (progress_dir / "progress.json").write_text(json.dumps({"version": 1, "exercises": {
        "gru.blend": {"attempts": 2, "done": True},
        "gru.weight_shape": {"attempts": "many"},
        "gru.gru_facts": [1, 2]}}))
    assert _progress.load() == {"gru.blend": {"attempts": 2, "done": True,
                                              "solution_viewed": False}}


# ------------------------------------------------------------------ crashes and concurrency


def _die_between_write_and_rename():
    def crash(src, dst):
        os._exit(7)           # the temporary file is written and fsync-ed; no rename

    os.replace = crash
    _progress.record_attempt("gru.blend", True)


def _die_while_writing():
    def crash(obj, handle, **kwargs):
        handle.write('{"version": 1, "exerc')
        handle.flush()
        os._exit(7)

    _progress.json.dump = crash
    _progress.record_attempt("gru.blend", True)


@pytest.mark.parametrize("dying_writer", [_die_between_write_and_rename, _die_while_writing])
def test_a_killed_writer_loses_nothing_already_saved(progress_dir, dying_writer):
    _progress.record_attempt("gru.blend", False)
    before = (progress_dir / "progress.json").read_bytes()
    process = multiprocessing.get_context("fork").Process(target=dying_writer)
    process.start()
    process.join(30)
    assert process.exitcode == 7
    assert (progress_dir / "progress.json").read_bytes() == before
    assert list(progress_dir.glob(".progress.json.*.tmp")), "the crash left no temporary file"
    _progress.record_attempt("gru.blend", True)
    assert stored(progress_dir)["gru.blend"]["attempts"] == 2
    assert not list(progress_dir.glob(".progress.json.*.tmp")), "stale temporary file kept"
    assert not list(progress_dir.glob("progress.json.corrupt-*"))


def _record_many(worker: int, count: int):
    for k in range(count):
        _progress.record_attempt("lstm.lstm_step", k == count - 1)
        _progress.record_attempt(f"gru.worker_{worker}", False)


def test_processes_writing_at_once_lose_no_result(progress_dir):
    workers, count = 4, 15
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_record_many, args=(w, count)) for w in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0] * workers
    entries = stored(progress_dir)
    assert entries["lstm.lstm_step"]["attempts"] == workers * count
    assert entries["lstm.lstm_step"]["done"] is True
    assert all(entries[f"gru.worker_{w}"]["attempts"] == count for w in range(workers))
    assert not list(progress_dir.glob(".progress.json.*.tmp"))
