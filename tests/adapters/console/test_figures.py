"""Figures in the console: saved as PNG files in a figures folder next to the database, paths printed."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from rich.console import Console

from bot.adapters.console.figures import FigureFolder, figure_lines, folder_beside
from bot.adapters.console.views import PlainView, RichView
from bot.core.replies import RunOutput, Text
from sandbox.result import RunResult, Status
from tests.fakes import png

NOON = datetime(2026, 1, 2, 12, 0, 0)


def output(*figures: bytes) -> RunOutput:
    return RunOutput(RunResult(status=Status.OK), "Ran in 3 ms.", figures=figures)


def test_each_figure_is_saved_as_a_png_and_its_path_printed(tmp_path: Path) -> None:
    first, second = png(marker=b"1"), png(marker=b"2")
    out = io.StringIO()

    PlainView(out, FigureFolder(tmp_path / "figures", lambda: NOON)).show([output(first, second)], "en")

    lines = out.getvalue().splitlines()
    saved = [
        tmp_path / "figures" / "run-20260102-120000-1.png",
        tmp_path / "figures" / "run-20260102-120000-2.png",
    ]
    assert lines[1:3] == [f"figure 1: {saved[0]}", f"figure 2: {saved[1]}"]
    assert [path.read_bytes() for path in saved] == [first, second]


def test_figures_of_two_runs_in_the_same_second_never_overwrite_each_other(tmp_path: Path) -> None:
    folder = FigureFolder(tmp_path, lambda: NOON)
    one = folder.save([png(marker=b"one")])
    two = folder.save([png(marker=b"two")])
    assert [path.name for path in (*one, *two) if isinstance(path, Path)] == [
        "run-20260102-120000-1.png",
        "run-20260102-120000-1-1.png",
    ]
    assert (tmp_path / "run-20260102-120000-1.png").read_bytes() == png(marker=b"one")


def test_a_figure_that_cannot_be_written_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "figures"
    blocker.write_text("a file where the folder should be")
    lines = figure_lines(output(png()), FigureFolder(blocker))
    assert len(lines) == 1 and lines[0].startswith("figure 1: not saved (")


def test_replies_without_figures_print_no_figure_lines(tmp_path: Path) -> None:
    folder = FigureFolder(tmp_path / "figures")
    assert figure_lines(output(), folder) == []
    assert figure_lines(Text("hello"), folder) == []
    assert not (tmp_path / "figures").exists()


def test_the_interactive_view_prints_the_paths_too(tmp_path: Path) -> None:
    stream = io.StringIO()
    view = RichView(Console(file=stream, width=200), FigureFolder(tmp_path, lambda: NOON))
    view.show([output(png())], "en")
    assert f"figure 1: {tmp_path / 'run-20260102-120000-1.png'}" in stream.getvalue()


def test_the_folder_is_next_to_a_sqlite_file_else_in_the_working_folder(tmp_path: Path) -> None:
    assert folder_beside("/data/tutor/tutor.db", tmp_path) == Path("/data/tutor/figures")
    assert folder_beside("tutor.db", tmp_path) == tmp_path / "figures"
    assert folder_beside("state/tutor.db", tmp_path) == tmp_path / "state" / "figures"
    assert folder_beside(None, tmp_path) == tmp_path / "figures"
    assert folder_beside(":memory:", tmp_path) == tmp_path / "figures"
