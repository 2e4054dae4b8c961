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
    gru.blend.check(lambda z, n, h_prev: None)  # not attempted: nothing saved
    assert not (progress_dir / "progress.json").exists()
    gru.blend.check(lambda z, n, h_prev: z * n + (1 - z) * h_prev)
    gru.blend.check(lambda z, n, h_prev: (1 - z) * n + z * h_prev)
    gru.blend.check(lambda z, n, h_prev: n)  # wrong after right: still done
    gru.weight_shape.check((20, 20))
    lstm.forget_bias.solution()
    entries = stored(progress_dir)
    assert entries["gru.blend"]["attempts"] == 3 and entries["gru.blend"]["done"] is True
    assert entries["gru.weight_shape"] == {
        **entries["gru.weight_shape"],
        "attempts": 1,
        "done": False,
    }
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


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"version": 1, "exercises": 7}', b""],
)
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
    exercises.progress()  # reading also recovers
    assert len(list(progress_dir.glob("progress.json.corrupt-*"))) == 2


def test_bad_entries_are_dropped_but_good_ones_kept(progress_dir):
    (progress_dir / "progress.json").write_text(
        json.dumps(
            {
                "version": 1,
                "exercises": {
                    "gru.blend": {"attempts": 2, "done": True},
                    "gru.weight_shape": {"attempts": "many"},
                    "gru.gru_facts": [1, 2],
                },
            }
        )
    )
    assert _progress.load() == {
        "gru.blend": {"attempts": 2, "done": True, "solution_viewed": False}
    }


# ------------------------------------------------------------------ crashes and concurrency


def _die_between_write_and_rename():
    def crash(src, dst):
        os._exit(7)  # the temporary file is written and fsync-ed; no rename

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


# ------------------------------------------------------------------ nothing lost (issue 13)


def test_reset_keeps_the_old_file_as_a_backup_and_says_where(progress_dir, capsys):
    gru.weight_shape.check((60, 20))
    lstm.cell_state_gradient.check("a")
    before = (progress_dir / "progress.json").read_bytes()
    capsys.readouterr()
    exercises.reset_progress()
    out = capsys.readouterr().out
    backups = list(progress_dir.glob("progress.json.backup-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert str(backups[0]) in out and "to undo" in out
    assert stored(progress_dir) == {}
    exercises.reset_progress()  # nothing left: no new backup
    assert len(list(progress_dir.glob("progress.json.backup-*"))) == 1
    assert "0 exercise records removed" in capsys.readouterr().out


UNREADABLE = {
    "attempts_text": {"attempts": "3"},
    "attempts_float": {"attempts": 3.0},
    "attempts_negative": {"attempts": -1},
    "attempts_nan": {"attempts": float("nan")},
    "a_list": [1, 2],
    "done_text": {"attempts": 1, "done": "yes"},
}


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_entries_the_reader_does_not_know_are_carried_through_a_write(progress_dir, name, capsys):
    path = progress_dir / "progress.json"
    raw = UNREADABLE[name]
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "course": "kept",
                "exercises": {
                    f"gru.{name}": raw,
                    "gru.blend": {"attempts": 2, "done": True, "note": "mine"},
                },
            }
        )
    )
    gru.weight_shape.check((60, 20))  # a write of another entry
    data = json.loads(path.read_text())
    assert json.dumps(data["exercises"][f"gru.{name}"]) == json.dumps(raw)  # NaN included
    assert data["exercises"]["gru.blend"]["note"] == "mine"  # unknown fields kept
    assert data["course"] == "kept" and data["exercises"]["gru.weight_shape"]["done"] is True
    assert capsys.readouterr().err == ""  # nothing lost: nothing to say


def test_replacing_an_unreadable_entry_keeps_a_copy_of_the_file_with_a_warning(
    progress_dir, capsys
):
    path = progress_dir / "progress.json"
    path.write_text(
        json.dumps(
            {"version": 1, "exercises": {"gru.weight_shape": {"attempts": "3", "done": "yes"}}}
        )
    )
    before = path.read_bytes()
    gru.weight_shape.check((60, 20))
    err = capsys.readouterr().err
    copies = list(progress_dir.glob("progress.json.corrupt-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == before
    assert "gru.weight_shape" in err and copies[0].name in err
    assert stored(progress_dir)["gru.weight_shape"]["attempts"] == 1


def test_a_file_of_another_version_is_kept_aside_with_a_warning(progress_dir, capsys):
    path = progress_dir / "progress.json"
    content = json.dumps({"version": 2, "exercises": {"gru.blend": {"tries": 4}}})
    path.write_text(content)
    gru.weight_shape.check((60, 20))
    err = capsys.readouterr().err
    copies = list(progress_dir.glob("progress.json.corrupt-*"))
    assert len(copies) == 1 and copies[0].read_text() == content
    assert "version 2" in err and "a fresh one was started" in err


# ------------------------------------------------------------------ awkward places


@pytest.fixture
def read_only(progress_dir):
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions, so a read-only folder cannot be made")
    yield progress_dir
    os.chmod(progress_dir, 0o755)


def _unwritable_folder(folder: Path) -> Path:
    """A folder holding a readable progress file and no lock file, where root too fails
    to write: a regular file stands where the lock and the temporary files would go."""
    path = folder / "progress.json"
    path.write_text(
        json.dumps({"version": 1, "exercises": {"gru.blend": {"attempts": 2, "done": True}}})
    )
    return path


def test_progress_is_shown_from_a_file_whose_lock_cannot_be_made(progress_dir, monkeypatch, capsys):
    _unwritable_folder(progress_dir)
    real_open = os.open

    def refuse_lock(file, flags, *args, **kwargs):
        if str(file).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(_progress.os, "open", refuse_lock)
    gru.progress()
    out = capsys.readouterr().out
    assert ["gru", "blend", "yes", "2"] in [row.split() for row in out.splitlines()]
    exercises.reset_progress()
    out = capsys.readouterr().out
    assert out.startswith("Progress not reset: ") and "Permission denied" in out
    gru.blend.check(lambda z, n, h_prev: (1 - z) * n + z * h_prev)
    assert "(Your progress could not be saved: " in capsys.readouterr().out
    assert stored(progress_dir)["gru.blend"]["attempts"] == 2


def test_a_really_read_only_folder(read_only, capsys):
    _unwritable_folder(read_only)
    os.chmod(read_only, 0o555)
    gru.progress()
    assert ["gru", "blend", "yes", "2"] in [r.split() for r in capsys.readouterr().out.splitlines()]
    exercises.reset_progress()
    assert capsys.readouterr().out.startswith("Progress not reset: ")


def test_a_variable_naming_a_folder_never_gets_the_folder_renamed(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "mine.json"
    folder.mkdir()
    monkeypatch.setenv("LSTM_GRU_COURSE_PROGRESS", str(folder))
    assert exercises.progress_file() == folder / "progress.json"  # a folder holds the file
    (folder / "progress.json").mkdir()  # ... unless it cannot
    assert exercises.progress_file() is None
    assert "is a folder" in capsys.readouterr().out
    gru.weight_shape.check((60, 20))
    exercises.reset_progress()
    gru.progress()
    out = capsys.readouterr().out
    assert "Traceback" not in out and "Progress not reset: " in out
    assert (folder / "progress.json").is_dir() and sorted(p.name for p in tmp_path.iterdir()) == [
        "mine.json"
    ]


@pytest.mark.parametrize("home", ["", "/", "relative/path"])
def test_an_empty_home_never_means_the_root_folder(monkeypatch, home):
    monkeypatch.delenv("LSTM_GRU_COURSE_PROGRESS")
    monkeypatch.setenv("HOME", home)
    path = _progress.progress_path()
    assert path.parent.parent != Path("/") and path.is_absolute()
    import pwd

    assert path == Path(pwd.getpwuid(os.getuid()).pw_dir) / ".lstm_gru_course" / "progress.json"


def test_no_home_at_all_gives_a_sentence_not_a_traceback(monkeypatch, capsys):
    monkeypatch.delenv("LSTM_GRU_COURSE_PROGRESS")
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr("pwd.getpwuid", lambda uid: (_ for _ in ()).throw(KeyError(uid)))
    assert exercises.progress_file() is None
    exercises.reset_progress()
    gru.weight_shape.check((60, 20))
    out = capsys.readouterr().out
    assert out.count(f"set the environment variable {_progress.ENV_VAR}") == 3
    assert "..)" not in out
    assert "(Your progress could not be saved: " in out and "Traceback" not in out
