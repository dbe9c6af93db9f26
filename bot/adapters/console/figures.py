"""Figures in the console: a terminal cannot show a PNG, so each is saved to a file whose path is printed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from bot.core.replies import Reply, RunOutput

log = logging.getLogger(__name__)

FOLDER_NAME = "figures"


class FigureFolder:
    """Saves runs' figures as PNG files in one folder (made on first use); never overwrites a file."""

    def __init__(self, folder: Path, clock: Callable[[], datetime] = datetime.now) -> None:
        self.folder = folder
        self._clock = clock

    def save(self, pngs: Sequence[bytes]) -> list[Path | OSError]:
        """Save the figures of one run; return each one's path, or the error that kept it from disk."""
        stamp = self._clock().strftime("%Y%m%d-%H%M%S")
        saved: list[Path | OSError] = []
        for number, png in enumerate(pngs, start=1):
            try:
                saved.append(self._write(f"run-{stamp}-{number}", png))
            except OSError as error:
                log.warning("could not save figure %d in %s: %s", number, self.folder, error)
                saved.append(error)
        return saved

    def _write(self, stem: str, png: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        for attempt in range(1000):
            path = self.folder / (f"{stem}.png" if attempt == 0 else f"{stem}-{attempt}.png")
            try:
                with path.open("xb") as file:  # "x": two runs in the same second never overwrite each other
                    file.write(png)
            except FileExistsError:
                continue
            return path.resolve()
        raise FileExistsError(f"too many figures named {stem}*.png in {self.folder}")


def figure_lines(reply: Reply, folder: FigureFolder | None) -> list[str]:
    """Save a run's figures and return one line per figure saying where it is (or why it is not)."""
    if not isinstance(reply, RunOutput) or not reply.figures:
        return []
    if folder is None:
        return [
            f"figure {number}: not saved (no figures folder)" for number in range(1, len(reply.figures) + 1)
        ]
    lines = []
    for number, saved in enumerate(folder.save(reply.figures), start=1):
        where = str(saved) if isinstance(saved, Path) else f"not saved ({saved})"
        lines.append(f"figure {number}: {where}")
    return lines


def folder_beside(database: str | None, cwd: Path) -> Path:
    """Return the figures folder next to a SQLite database file (as its URL names it), else in ``cwd``."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return cwd / FOLDER_NAME
    path = Path(database)
    return (path if path.is_absolute() else cwd / path).parent / FOLDER_NAME
