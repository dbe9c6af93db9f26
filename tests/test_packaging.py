"""The wheel that ``pip install .`` builds carries what the tutor reads at run time, catalogs included."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hatchling.builders.wheel import WheelBuilder

from bot.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    (built,) = WheelBuilder(str(ROOT)).build(directory=str(folder), versions=["standard"])
    return Path(built)


def test_the_wheel_carries_a_compiled_catalog_per_language(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())

    for language in LANGUAGES:
        assert f"bot/locale/{language}/LC_MESSAGES/tutor.mo" in names


def test_the_wheel_carries_the_lessons_and_the_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())

    assert "bot/_data/lessons/tensor-basics.yaml" in names
    assert "bot/_data/alembic.ini" in names
    assert any(name.startswith("bot/_data/migrations/versions/") for name in names)


def test_messages_translate_from_the_installed_wheel_alone(wheel: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    probe = (
        f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); "
        "import bot.core.i18n as i18n; "
        "assert i18n.LOCALE_DIR.is_relative_to(sys.path[0]), i18n.LOCALE_DIR; "
        "print(i18n.translate('zh', 'answer.right'))"
    )

    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )

    assert out.stdout.strip() == "答对了！"
