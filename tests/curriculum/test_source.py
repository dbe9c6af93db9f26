"""The lesson library serves the last good catalog and reloads without a restart."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.curriculum.source import LessonLibrary


def lesson(lesson_id: str, requires: str = "", title: str = "Lesson") -> str:
    return (
        f"id: {lesson_id}\nchapter: 1\ntitle: {{zh: 课, en: {title}}}\n"
        + (f"requires: [{requires}]\n" if requires else "")
        + "steps:\n  - text: {zh: 你好, en: Hello}\n"
    )


def test_startup_serves_valid_lessons_and_keeps_the_problems(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(lesson("good"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("id: bad\n", encoding="utf-8")

    library = LessonLibrary([tmp_path])

    assert library.current().ids() == ["good"]
    assert [p.path for p in library.startup_problems] == [str(tmp_path / "bad.yaml")] * 3


def test_reload_keeps_the_last_good_catalog_on_a_broken_edit(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(lesson("good"), encoding="utf-8")
    library = LessonLibrary([tmp_path])
    before = library.current()

    (tmp_path / "good.yaml").write_text(lesson("good").replace("chapter: 1", "chapter: x"), encoding="utf-8")
    problems = library.reload()

    assert [str(p) for p in problems] == [f"{tmp_path}/good.yaml:2:10: 'chapter' must be a whole number"]
    assert library.current() is before


def test_reload_keeps_the_catalog_when_a_new_file_is_broken(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(lesson("good"), encoding="utf-8")
    library = LessonLibrary([tmp_path])

    (tmp_path / "new.yaml").write_text(lesson("new", requires="missing"), encoding="utf-8")

    assert library.reload() != []
    assert library.current().ids() == ["good"]


def test_reload_picks_up_a_fixed_edit(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(lesson("good"), encoding="utf-8")
    library = LessonLibrary([tmp_path])

    (tmp_path / "good.yaml").write_text(lesson("good", title="Renamed"), encoding="utf-8")
    problems = library.reload()

    assert problems == []
    lesson_now = library.current().get("good")
    assert lesson_now is not None
    assert lesson_now.title["en"] == "Renamed"


def test_validate_does_not_change_the_catalog(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(lesson("good"), encoding="utf-8")
    library = LessonLibrary([tmp_path])
    before = library.current()

    (tmp_path / "good.yaml").write_text(lesson("good", title="Renamed"), encoding="utf-8")

    assert library.validate() == []
    assert library.current() is before


def test_validate_checks_extra_paths_against_the_configured_lessons(tmp_path: Path) -> None:
    shipped, drafts = tmp_path / "shipped", tmp_path / "drafts"
    shipped.mkdir()
    drafts.mkdir()
    (shipped / "base.yaml").write_text(lesson("base"), encoding="utf-8")
    (drafts / "next.yaml").write_text(lesson("next", requires="base"), encoding="utf-8")
    (drafts / "typo.yaml").write_text(lesson("typo", requires="bsae"), encoding="utf-8")
    library = LessonLibrary([shipped])

    problems = library.validate([drafts])

    assert [str(p) for p in problems] == [
        f"{drafts}/typo.yaml:4:12: 'requires' names unknown lesson 'bsae' (did you mean 'base'?)"
    ]


async def test_watch_reloads_when_a_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(lesson("good"), encoding="utf-8")
    library = LessonLibrary([tmp_path])
    watcher = asyncio.create_task(library.watch(interval=0.01))
    try:
        path.write_text(lesson("good", title="Renamed"), encoding="utf-8")
        stat = path.stat()
        os.utime(path, (stat.st_atime, stat.st_mtime + 5))  # mtime resolution can hide a quick edit
        for _ in range(200):
            await asyncio.sleep(0.01)
            found = library.current().get("good")
            if found is not None and found.title["en"] == "Renamed":
                break
        found = library.current().get("good")
        assert found is not None
        assert found.title["en"] == "Renamed"
    finally:
        watcher.cancel()
