"""The committed JSON Schema matches the model, and shipped lessons satisfy it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.curriculum.schema import default_schema_path, lesson_schema, render_schema
from bot.resources import shipped_lessons_dir


def test_committed_schema_is_up_to_date() -> None:
    committed = default_schema_path().read_text(encoding="utf-8")

    assert committed == render_schema(), (
        "lessons/lesson.schema.json is out of date: run `tutor lessons schema` "
        "(or `python -c 'from bot.curriculum.schema import *; write_schema(default_schema_path())'`)"
    )


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(lesson_schema())


@pytest.mark.parametrize("path", sorted(shipped_lessons_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_lesson_satisfies_the_schema(path: Path) -> None:
    schema = json.loads(default_schema_path().read_text(encoding="utf-8"))

    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
