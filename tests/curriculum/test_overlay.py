"""Uploaded lessons laid over the folders' lessons: checked alone and against the catalog they join."""

from __future__ import annotations

from bot.curriculum.catalog import Catalog
from bot.curriculum.overlay import UploadSource, check_upload, overlay
from tests.core.conftest import autograd_lesson, tensor_lesson

BASE = Catalog((tensor_lesson(), autograd_lesson()))


def lesson_yaml(lesson_id: str, requires: str = "[]", title: str = "Extra") -> str:
    return (
        f"id: {lesson_id}\nchapter: 3\ntitle: {{zh: 额外, en: {title}}}\nrequires: {requires}\n"
        'steps:\n  - text: {zh: "文本", en: "Text"}\n'
    )


def test_valid_upload_joins_the_catalog() -> None:
    catalog, problems = overlay(BASE, [UploadSource("extra.yaml", lesson_yaml("extra", "[tensor-basics]"))])
    assert problems == [] and catalog.ids() == ["tensor-basics", "autograd-basics", "extra"]


def test_upload_replaces_the_folder_lesson_with_its_id() -> None:
    catalog, _ = overlay(BASE, [UploadSource("t.yaml", lesson_yaml("tensor-basics", title="New tensors"))])
    found = catalog.get("tensor-basics")
    assert found is not None and found.title["en"] == "New tensors"


def test_unknown_prerequisite_is_reported_with_its_line() -> None:
    checked = check_upload(lesson_yaml("extra", "[nope]"), "extra.yaml", BASE)
    assert checked.lesson is None
    assert [str(p) for p in checked.problems] == ["extra.yaml:4:12: 'requires' names unknown lesson 'nope'"]


def test_upload_that_closes_a_prerequisite_cycle_is_refused() -> None:
    checked = check_upload(lesson_yaml("tensor-basics", "[autograd-basics]"), "t.yaml", BASE)
    assert checked.lesson is None
    assert "tensor-basics -> autograd-basics -> tensor-basics" in checked.problems[0].message


def test_upload_needing_a_failed_upload_is_left_out_too() -> None:
    uploads = [
        UploadSource("a.yaml", lesson_yaml("upload-a", "[nope]")),
        UploadSource("b.yaml", lesson_yaml("upload-b", "[upload-a]")),
    ]
    catalog, problems = overlay(BASE, uploads)
    assert catalog.ids() == ["tensor-basics", "autograd-basics"]
    assert {p.path for p in problems} == {"a.yaml", "b.yaml"}
