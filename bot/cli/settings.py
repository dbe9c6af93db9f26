"""Build the settings from the environment, saying clearly which variable is wrong when one is."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from bot.config import Settings
from bot.languages import language_problems


def load_settings() -> Settings | None:
    """Return the settings, or None after printing every invalid ``TUTOR_*`` variable to stderr."""
    try:
        settings = Settings()
    except ValidationError as exc:
        for error in exc.errors():
            where = "TUTOR_" + "__".join(str(part) for part in error["loc"]).upper()
            print(f"tutor: invalid setting {where}: {error['msg']}", file=sys.stderr)
        return None
    problems = language_problems(settings.languages, settings.default_locale)
    for problem in problems:
        print(f"tutor: invalid setting {problem}", file=sys.stderr)
    return None if problems else settings
