"""Figures: matplotlib draws with Agg in the child and the run returns PNGs; files and backends stay shut."""

from __future__ import annotations

import base64
import os

import pytest

from sandbox.figures import CJK_FONTS, MAX_FIGURES
from sandbox.result import RunLimits, RunResult, Status
from tests.sandbox.helpers import assert_denied, assert_next_run_works

PNG = b"\x89PNG\r\n\x1a\n"


def _png(result: RunResult, index: int = 0) -> bytes:
    figure = result.figures[index]
    assert figure.format == "png"
    data = base64.b64decode(figure.data)
    assert data.startswith(PNG)
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (
        figure.width,
        figure.height,
    )
    return data


def test_a_figure_left_open_comes_back_as_a_png(run) -> None:
    result = run("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.title('loss')")
    assert result.status is Status.OK, result.error
    assert len(result.figures) == 1
    _png(result)
    assert (result.figures[0].width, result.figures[0].height) == (640, 480)


def test_a_tensor_image_shows_with_imshow(run) -> None:
    code = (
        "import matplotlib.pyplot as plt\nimg = torch.rand(1, 28, 28)\n"
        "plt.imshow(img.squeeze(), cmap='gray')\nplt.show()"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert len(result.figures) == 1
    _png(result)


def test_show_hands_over_figures_and_later_ones_follow(run) -> None:
    code = "import matplotlib.pyplot as plt\nplt.plot([1])\nplt.show()\nplt.figure()\nplt.bar(['a'], [1])"
    result = run(code)
    assert len(result.figures) == 2


def test_more_than_the_maximum_are_counted_in_a_warning(run) -> None:
    result = run("import matplotlib.pyplot as plt\nfor i in range(7):\n    plt.figure()\n    plt.plot([i])")
    assert result.status is Status.OK, result.error
    assert len(result.figures) == MAX_FIGURES
    assert any("3 more figure(s)" in warning for warning in result.warnings)


def test_huge_figures_are_scaled_down(run) -> None:
    result = run("import matplotlib.pyplot as plt\nplt.figure(figsize=(80, 40), dpi=300)\nplt.plot([1, 2])")
    assert result.status is Status.OK, result.error
    figure = result.figures[0]
    assert max(figure.width, figure.height) <= 1600
    assert len(base64.b64decode(figure.data)) <= 1 << 20


def test_savefig_to_bytesio_works(run) -> None:
    code = (
        "import io\nimport matplotlib.pyplot as plt\nbuf = io.BytesIO()\nplt.plot([1])\n"
        "plt.savefig(buf)\nbuf.getvalue()[:4]"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "b'\\x89PNG'"


def test_figures_survive_the_json_round_trip(run) -> None:
    result = run("import matplotlib.pyplot as plt\nplt.plot([1, 2])")
    assert RunResult.from_json(result.to_json()) == result
    assert result.to_json()["figures"][0]["format"] == "png"


def test_runs_without_figures_return_none(run) -> None:
    assert run("x = 1").figures == ()


def test_figures_come_back_even_when_the_cell_fails_later(run) -> None:
    result = run("import matplotlib.pyplot as plt\nplt.plot([1])\n1 / 0")
    assert result.status is Status.ERROR
    assert len(result.figures) == 1


@pytest.mark.skipif(
    not any(os.path.exists(p) for p in CJK_FONTS), reason="no CJK font installed (fonts-wqy-microhei)"
)
def test_chinese_titles_render_with_the_cjk_font(run) -> None:
    code = (
        "import matplotlib.pyplot as plt\nplt.rcParams['font.sans-serif'] = ['SimHei']\n"
        "plt.rcParams['axes.unicode_minus'] = False\nplt.plot([-1, 1])\nplt.title('损失曲线')"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert not any("Glyph" in warning or "findfont" in warning for warning in result.warnings)
    boxes = run("import matplotlib.pyplot as plt\nplt.plot([-1, 1])\nplt.title('□□□□')")
    assert _png(result) != _png(boxes)


def test_the_matplotlib_version_is_readable(run) -> None:
    result = run("import matplotlib\ntype(matplotlib.__version__).__name__")
    assert result.value == "'str'"


FILE_OUTPUT = [
    pytest.param("plt.savefig('out.png')", "savefig to str", id="savefig-path"),
    pytest.param("plt.figure().savefig('/tmp/out.png')", "savefig to str", id="figure-savefig-path"),
    pytest.param("plt.imsave('out.png', torch.rand(4, 4).numpy())", "pyplot.imsave", id="imsave"),
    pytest.param("plt.imread('/etc/passwd')", "pyplot.imread", id="imread"),
    pytest.param("import matplotlib.image", "matplotlib.image", id="image-module"),
    pytest.param("import matplotlib.animation", "ffmpeg", id="animation"),
    pytest.param("import matplotlib.font_manager", "files", id="font-manager"),
    pytest.param("plt.figure().canvas.print_png('out.png')", "print_png", id="canvas-print"),
    pytest.param("plt.figure().canvas.buffer_rgba()", "buffer_rgba", id="canvas-buffer"),
    pytest.param("plt.style.use('/etc/passwd')", "style", id="style-file"),
    pytest.param("import matplotlib\nmatplotlib.rc_file('x')", "matplotlib.rc_file", id="rc-file"),
    pytest.param("plt.switch_backend('TkAgg')", "Agg", id="switch-backend"),
    pytest.param("plt.rcParams['text.usetex'] = True", "text.usetex", id="usetex"),
    pytest.param("plt.rcParams['savefig.directory'] = '/tmp'", "savefig.directory", id="savefig-directory"),
    pytest.param("plt.rcParams.update({'backend': 'TkAgg'})", "backend", id="rc-update-backend"),
    pytest.param("plt.rc_context({'text.usetex': True})", "text.usetex", id="rc-context"),
    pytest.param("plt.title('x').set_usetex(True)", "set_usetex", id="text-usetex"),
]


@pytest.mark.parametrize(("code", "name"), FILE_OUTPUT)
def test_file_output_backends_and_programs_are_refused(run, code: str, name: str, tmp_path) -> None:
    result = run(f"import matplotlib.pyplot as plt\n{code}")
    assert_denied(result, name)
    assert not os.path.exists("out.png")
    assert_next_run_works(run)


def test_rcparams_changes_do_not_outlive_a_run(run) -> None:
    changed = run(
        "import matplotlib.pyplot as plt\nplt.rcParams['figure.figsize'] = (12, 12)\n"
        "plt.rcParams['figure.dpi'] = 50\nplt.style.use('dark_background')\nplt.plot([1])"
    )
    assert (changed.figures[0].width, changed.figures[0].height) == (600, 600)
    fresh = run("import matplotlib.pyplot as plt\nplt.plot([1])")
    assert (fresh.figures[0].width, fresh.figures[0].height) == (640, 480)


def test_matplotlib_use_is_accepted_and_changes_nothing(run) -> None:
    result = run("import matplotlib\nmatplotlib.use('TkAgg')\nimport matplotlib.pyplot as plt\nplt.plot([1])")
    assert result.status is Status.OK, result.error
    assert len(result.figures) == 1


def test_a_figure_flood_is_contained(run) -> None:
    result = run("import matplotlib.pyplot as plt\nwhile True:\n    plt.figure()", limits=RunLimits(time_s=2))
    assert result.status in (Status.TIMEOUT, Status.MEMORY)
    assert_next_run_works(run)


def test_figure_hooks_cannot_import_and_call_modules(run) -> None:
    assert_denied(
        run("import matplotlib.pyplot as plt\nplt.rcParams['figure.hooks'] = ['os:system']"), "figure.hooks"
    )


def test_latex_asked_for_by_a_text_is_turned_off_not_run(run) -> None:
    result = run("import matplotlib.pyplot as plt\nplt.plot([1])\nplt.title('$x^2$', usetex=True)")
    assert result.status is Status.OK, result.error
    assert len(result.figures) == 1
    assert result.warnings == ()
