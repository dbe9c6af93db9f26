from pathlib import Path

from bot.adapters.console.long_output import LINE_CHARS, MAX_LINES, OutputFolder, fit, shorten
from bot.core.replies import Notice, RunOutput
from sandbox.result import RunResult, Status


def test_output_that_fits_is_left_alone() -> None:
    assert shorten("".join(f"{n}\n" for n in range(MAX_LINES))) is None


def test_many_lines_keep_their_first_and_last() -> None:
    short = shorten("".join(f"{n}\n" for n in range(100)))
    assert short is not None
    lines = short.text.splitlines()
    assert lines[:2] == ["0", "1"] and lines[-1] == "99" and "50" not in lines
    assert short.lines_cut == 100 - (len(lines) - 1)


def test_a_very_long_line_is_shortened() -> None:
    short = shorten("x" * 100_000 + "\n")
    assert short is not None and short.lines_cut == 0
    assert len(short.text.rstrip("\n")) == LINE_CHARS


def test_fit_saves_the_whole_output_and_says_where(tmp_path: Path) -> None:
    flood = "".join(f"row {n}\n" for n in range(200))
    replies = fit(
        [RunOutput(RunResult(Status.OK, stdout=flood), "Ran.")], "en", OutputFolder(tmp_path / "out")
    )
    output, note = replies
    assert isinstance(output, RunOutput) and "row 100\n" not in output.result.stdout
    assert isinstance(note, Notice) and "175 lines of output are not shown" in note.text
    [saved] = (tmp_path / "out").iterdir()
    assert str(saved) in note.text and flood in saved.read_text(encoding="utf-8")


def test_fit_shows_everything_when_the_output_cannot_be_saved(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    flood = "".join(f"row {n}\n" for n in range(200))
    replies = fit(
        [RunOutput(RunResult(Status.OK, stdout=flood), "Ran.")], "en", OutputFolder(blocked / "out")
    )
    assert [type(r) for r in replies] == [RunOutput]
    assert isinstance(replies[0], RunOutput) and replies[0].result.stdout == flood
