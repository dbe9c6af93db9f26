"""Matplotlib in the sandbox: Agg prepared in the warm parent, figures returned as PNG data.

``prepare()`` runs once before fork: the Agg backend, the font list (with a CJK font where one is
installed, also under the names Chinese tutorials ask for, such as SimHei), a rendered warm-up figure,
then the font file cache emptied so no child inherits a font file descriptor it is about to lose.
``show()`` (learner's ``plt.show()``) and ``collect()`` (end of a run) render the open figures, at most
``MAX_FIGURES`` per run, each scaled down to fit ``MAX_SIDE_PX`` and ``MAX_BYTES``, and close them.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import io
import os
import warnings
from collections.abc import Iterator
from typing import Any, cast

from sandbox.bounds import MAX_FIGURE_BYTES as MAX_BYTES
from sandbox.bounds import MAX_FIGURE_SIDE_PX as MAX_SIDE_PX
from sandbox.bounds import MAX_FIGURES
from sandbox.result import FigureImage

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
CJK_ALIASES = ("SimHei", "Microsoft YaHei", "Arial Unicode MS", "PingFang SC", "Heiti TC", "STHeiti")
SAFE_RC = {
    "text.usetex": False,
    "savefig.transparent": False,
    "savefig.bbox": None,
    "savefig.pad_inches": 0.1,
}


class _Capture:
    """The figures of the current run."""

    def __init__(self) -> None:
        self.images: list[FigureImage] = []
        self.dropped = 0
        self.failures: list[str] = []

    def reset(self) -> None:
        """Forget the previous run's figures."""
        self.images, self.dropped, self.failures = [], 0, []


CAPTURE = _Capture()
_ready = False


def prepare() -> str | None:
    """Set up matplotlib in the warm parent; return the CJK font's family name, if one is installed."""
    global _ready  # noqa: PLW0603 - once per process, before fork
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    _lock_dangerous_settings(matplotlib)
    cjk = _add_cjk_font(font_manager)
    matplotlib.rcParams["font.family"] = ["sans-serif", *([cjk] if cjk else [])]
    matplotlib.rcParams["figure.max_open_warning"] = 0
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0], label="warm-up 预热")
    ax.set_title("warm-up 预热")
    ax.legend()
    ax.imshow([[0.0, 1.0], [1.0, 0.0]], cmap="gray")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(io.BytesIO(), format="png")
    plt.close("all")
    forget_open_fonts()
    _ready = True
    return cjk


def _lock_dangerous_settings(matplotlib: Any) -> None:
    """Make rcParams itself refuse figure hooks (they import and call any named function) and LaTeX.

    The learner's view of rcParams refuses these keys already; this holds for every other path into
    rcParams too (styles, ``rc_context``, matplotlib's own helpers).
    """
    validators = matplotlib.rcParams.validate
    check_hooks, check_bool = validators["figure.hooks"], validators["text.usetex"]

    def no_hooks(value: Any) -> tuple[str, ...]:
        if check_hooks(value):
            raise ValueError("figure.hooks cannot be set in the sandbox: they import and call code")
        return ()  # immutable: nothing can append a hook to the stored value either

    def no_usetex(value: Any) -> bool:
        if check_bool(value):
            raise ValueError("text.usetex cannot be set in the sandbox: LaTeX would start a program")
        return False

    validators["figure.hooks"] = no_hooks
    validators["text.usetex"] = no_usetex
    _lock_font_files()
    matplotlib.rcParams["figure.hooks"] = []
    matplotlib.rcParamsDefault["figure.hooks"] = []


def _lock_font_files() -> None:
    """Refuse font files named by path (``fontproperties={"fname": ...}``): they would open any file."""
    from matplotlib.font_manager import FontProperties

    set_file = FontProperties.set_file

    def no_font_files(self: Any, file: Any) -> None:
        if file is not None:
            raise ValueError(
                "font files cannot be named here; use family= (the sandbox has sans-serif and CJK)"
            )
        set_file(self, None)

    FontProperties.set_file = no_font_files  # type: ignore[method-assign]


@contextlib.contextmanager
def style_kept() -> Iterator[None]:
    """Undo whatever rcParams changes trusted warm-up code makes (children must start from the defaults)."""
    import matplotlib

    with matplotlib.rc_context():
        yield


def forget_open_fonts() -> None:
    """Drop cached font objects: their open files would not survive the child's descriptor cleanup."""
    from matplotlib import font_manager

    font_manager._get_font.cache_clear()  # type: ignore[attr-defined]  # matplotlib's private font cache


def _add_cjk_font(font_manager: Any) -> str | None:
    for path in CJK_FONTS:
        if not os.path.exists(path):
            continue
        known = [entry for entry in font_manager.fontManager.ttflist if entry.fname == path]
        if not known:
            font_manager.fontManager.addfont(path)
            known = [entry for entry in font_manager.fontManager.ttflist if entry.fname == path]
        if not known:
            continue
        first = known[0]
        for alias in CJK_ALIASES:
            font_manager.fontManager.ttflist.append(dataclasses.replace(first, name=alias))
        return str(first.name)
    return None


def is_ready() -> bool:
    """Tell whether matplotlib was prepared in this process."""
    return _ready


def show(*args: Any, **kwargs: Any) -> None:
    """``plt.show()`` for learner code: keep the open figures as the run's pictures and close them."""
    _take_open_figures()


def collect() -> tuple[tuple[FigureImage, ...], list[str]]:
    """Take the figures left open, and return the run's pictures and warnings about them."""
    if _ready:
        _take_open_figures()
    notes = list(CAPTURE.failures)
    if CAPTURE.dropped:
        notes.append(
            f"FigureWarning: {CAPTURE.dropped} more figure(s) were drawn; "
            f"only the first {MAX_FIGURES} are shown"
        )
    images = tuple(CAPTURE.images)
    CAPTURE.reset()
    return images, notes


def discard() -> None:
    """Forget every picture and close every figure so far (a replayed notebook's are not shown again)."""
    if _ready:
        import matplotlib.pyplot as plt

        plt.close("all")
    CAPTURE.reset()


def _take_open_figures() -> None:
    import matplotlib.pyplot as plt

    for number in plt.get_fignums():
        figure = plt.figure(number)
        if len(CAPTURE.images) >= MAX_FIGURES:
            CAPTURE.dropped += 1
        else:
            try:
                CAPTURE.images.append(render(figure))
            except Exception as exc:  # a broken figure is the learner's, reported, never the run's end
                CAPTURE.failures.append(f"FigureWarning: figure {number} could not be drawn: {exc}")
        plt.close(figure)


def disarm(figure: Any) -> None:
    """Turn LaTeX off on every text of ``figure`` (``usetex=True`` would start a program to draw it)."""
    from matplotlib.artist import Artist
    from matplotlib.text import Text

    for text in Artist.findobj(figure, Text):
        Text.set_usetex(text, False)


def render(figure: Any) -> FigureImage:
    """Render ``figure`` as PNG within the size limits (scaled down when it is bigger)."""
    import matplotlib
    from matplotlib.figure import Figure

    disarm(figure)
    width_in, height_in = figure.get_size_inches()
    dpi = min(float(figure.dpi), MAX_SIDE_PX / max(width_in, height_in, 1e-3))
    with matplotlib.rc_context(cast(Any, SAFE_RC)), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(4):
            buffer = io.BytesIO()
            Figure.savefig(figure, buffer, format="png", dpi=dpi)  # not an override the learner set
            data = buffer.getvalue()
            if len(data) <= MAX_BYTES:
                break
            dpi *= 0.9 * (MAX_BYTES / len(data)) ** 0.5
        else:
            raise ValueError(f"the picture stays over {MAX_BYTES // 1024} KiB even scaled down")
    width, height = _png_size(data)
    return FigureImage(format="png", width=width, height=height, data=base64.b64encode(data).decode("ascii"))


def _png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
