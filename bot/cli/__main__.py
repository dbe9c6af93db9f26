"""``python -m bot.cli``: the same as ``tutor``."""

import sys

from bot.cli import main

sys.exit(main())
