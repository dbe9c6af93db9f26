"""The curriculum stays light: importing it pulls in no torch, chat, database or HTTP library."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("torch", "discord", "telegram", "sqlalchemy", "aiohttp")
MODULES = ("loader", "source", "verify", "schema", "crosscheck", "messages", "typewalk")


def test_curriculum_imports_no_heavy_library() -> None:
    imports = "; ".join(f"import bot.curriculum.{name}" for name in MODULES)
    probe = f"import sys; {imports}; print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"

    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout

    assert loaded.strip() == ""
