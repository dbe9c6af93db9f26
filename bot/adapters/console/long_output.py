"""Long run output in the console: the first and last lines on screen, the whole of it saved to a file.

A terminal scrolls a flood of output past the learner; what they need is its start and its end, how much
was left out, and where to read all of it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from bot.adapters.console import plain
from bot.core.i18n import translate
from bot.core.replies import Notice, Reply, RunOutput

HEAD_LINES = 15
TAIL_LINES = 10
MAX_LINES = HEAD_LINES + TAIL_LINES + 5  # up to this many lines are shown whole
LINE_CHARS = 300
CUT_MARK = "…"


@dataclass(frozen=True, slots=True)
class Shortened:
    """Output cut down for the screen: the text shown and how many whole lines were left out."""

    text: str
    lines_cut: int


def shorten(text: str) -> Shortened | None:
    """Return ``text`` cut to its first and last lines (long lines shortened), or None if it fits."""
    lines = text.rstrip("\n").split("\n")
    too_many = len(lines) > MAX_LINES
    too_wide = any(len(line) > LINE_CHARS for line in lines)
    if not (too_many or too_wide):
        return None
    kept = [*lines[:HEAD_LINES], CUT_MARK, *lines[-TAIL_LINES:]] if too_many else lines
    cut = len(lines) - HEAD_LINES - TAIL_LINES if too_many else 0
    shown = [line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + CUT_MARK for line in kept]
    return Shortened("\n".join(shown) + "\n", cut)


class OutputFolder:
    """Where the console saves whole outputs: a folder created on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._numbers = itertools.count(1)

    def save(self, text: str) -> Path:
        """Write ``text`` to a new file in the folder and return its path; raise OSError on failure."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        while True:
            path = self.folder / f"run-{stamp}-{next(self._numbers)}.txt"
            try:
                with path.open("x", encoding="utf-8") as handle:
                    handle.write(text)
            except FileExistsError:  # another console in the same folder took the name
                continue
            return path.resolve()


def fit(replies: list[Reply], locale: str, folder: OutputFolder | None) -> list[Reply]:
    """Return the replies with long run output shortened, each saved whole with a note of where."""
    if folder is None:
        return replies
    fitted: list[Reply] = []
    for reply in replies:
        short = shorten(reply.result.stdout) if isinstance(reply, RunOutput) and reply.result.stdout else None
        if not isinstance(reply, RunOutput) or short is None:
            fitted.append(reply)
            continue
        try:
            path = folder.save(plain.run_output(reply, locale) + "\n")
        except OSError:
            fitted.append(reply)  # shown whole rather than lost
            continue
        fitted.append(replace(reply, result=reply.result.with_changes(stdout=short.text)))
        if short.lines_cut:
            note = translate(locale, "console.output_cut", count=short.lines_cut, path=str(path))
        else:
            note = translate(locale, "console.output_lines_cut", path=str(path))
        fitted.append(Notice(note))
    return fitted
