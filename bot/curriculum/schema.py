"""The JSON Schema of a lesson file, generated from the model, for editors (``lessons/lesson.schema.json``).

Point an editor at it with a first line ``# yaml-language-server: $schema=lesson.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.curriculum.model import Lesson
from bot.resources import shipped_lessons_dir

SCHEMA_FILE = "lesson.schema.json"
REGENERATE = "tutor lessons schema"


def lesson_schema() -> dict[str, Any]:
    """Return the JSON Schema of a lesson file."""
    schema = Lesson.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Generated from bot/curriculum/model.py by `{REGENERATE}`; do not edit by hand.",
        **schema,
    }


def render_schema() -> str:
    """Return the schema as the text committed to the repository."""
    return json.dumps(lesson_schema(), indent=2, ensure_ascii=False) + "\n"


def default_schema_path() -> Path:
    """Return where the shipped schema lives."""
    return shipped_lessons_dir() / SCHEMA_FILE


def write_schema(path: Path) -> bool:
    """Write the schema to ``path``; return whether the file changed."""
    text = render_schema()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
