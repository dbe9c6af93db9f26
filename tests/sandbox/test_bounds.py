"""Every part of a run result has a size limit, held in the child and again in the pool."""

from __future__ import annotations

import base64
import json

from sandbox import bounds
from sandbox.result import (
    CheckResult,
    FigureImage,
    Graph,
    GraphNode,
    ModuleInfo,
    RunError,
    RunResult,
    Status,
    TensorInfo,
)
from tests.sandbox.helpers import assert_next_run_works

LONG = "x" * 100_000


def largest_result() -> RunResult:
    """A result with every list full and every string over its cap."""
    tensor = TensorInfo(LONG, (1,) * 500, LONG, LONG, True, True, LONG, LONG, LONG)
    module = ModuleInfo(LONG, LONG, 1, 1, {f"{index}{LONG}": LONG for index in range(500)})
    nodes = tuple(GraphNode(index, LONG, LONG, LONG, (1,) * 500) for index in range(5000))
    edges = tuple((index % 5000, (index * 7) % 5000) for index in range(50_000))
    return RunResult(
        status=Status.ERROR,
        value=LONG,
        error=RunError(LONG, LONG, 3),
        warnings=(LONG,) * 500,
        tensors=(tensor,) * 500,
        modules=(module,) * 500,
        graph=Graph(LONG, nodes, edges),
        graph_text=LONG * 10,
        check=CheckResult(False, LONG),
    )


def test_a_capped_result_stays_below_the_text_budget():
    capped = bounds.cap_result(largest_result())
    assert len(json.dumps(capped.to_json())) < bounds.RESULT_TEXT_BYTES


def test_graph_edges_are_capped_and_never_point_at_dropped_nodes():
    graph = bounds.cap_result(largest_result()).graph
    assert graph is not None
    assert len(graph.nodes) == bounds.MAX_GRAPH_NODES
    assert len(graph.edges) <= bounds.MAX_GRAPH_EDGES
    kept = {node.id for node in graph.nodes}
    assert all(a in kept and b in kept for a, b in graph.edges)


def test_lone_surrogates_become_replacement_characters():
    result = RunResult(status=Status.OK, value="'\ud800'")
    capped = bounds.cap_result(result)
    assert capped.value == "'\ufffd'"
    capped.value.encode("utf-8")


def test_an_exit_with_a_huge_message_gives_a_small_result(run):
    result = run("raise SystemExit('x' * 8_300_000)")
    assert result.status is Status.ERROR
    assert result.error is not None and result.error.message.startswith("the code called exit('xxxx")
    assert len(json.dumps(result.to_json())) < 10_000
    assert_next_run_works(run)


def test_long_variable_names_are_cut_in_the_tensor_table(run):
    name = "t" * 20_000
    result = run(f"import torch\n{name} = torch.ones(2)")
    assert result.status is Status.OK, result.error
    assert len(result.tensors[0].name) <= bounds.NAME_CHARS


def test_the_pool_caps_a_forged_result(run_unrestricted):
    code = (
        "import json, os, struct\n"
        "payload = json.dumps({'status': 'ok', 'value': 'v' * 1_000_000,"
        " 'warnings': ['w' * 10_000] * 100}).encode()\n"
        "frame = struct.pack('!cI', b'D', len(payload)) + payload\n"
        "for fd in range(3, 32):\n"
        "    try:\n"
        "        os.write(fd, frame)\n"
        "    except OSError:\n"
        "        pass\n"
    )
    result = run_unrestricted(code)
    assert result.status is Status.OK
    assert result.value is not None and len(result.value) <= bounds.VALUE_CHARS
    assert len(result.warnings) <= bounds.MAX_WARNINGS
    assert all(len(text) <= bounds.WARNING_CHARS for text in result.warnings)


def _png_head(width: int, height: int) -> str:
    """Return base64 of a PNG's signature and header chunk: what the pool reads of a figure."""
    header = b"IHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + header).decode()


def test_only_figures_the_sandbox_could_have_drawn_are_kept():
    png = FigureImage("png", 640, 480, _png_head(640, 480))
    forged = (
        FigureImage("svg", 640, 480, "PHN2Zz4="),
        FigureImage("png", 10**6, 480, _png_head(10**6, 480)),
        FigureImage("png", 640, 480, "x" * (2 * 2**20)),
        FigureImage("png", 640, 480, "not base64 <script>"),
        FigureImage("png", 640, 480, "PHN2ZyBvbmxvYWQ9MT4AAAAAAAAAAAAAAAAAAAAAAAAA"),  # <svg onload=1>
        FigureImage("png", 640, 480, _png_head(10, 10)),  # a real header that disagrees with the label
    )
    capped = bounds.cap_result(RunResult(status=Status.OK, figures=(png, *forged[:3], png, png, png)))
    assert capped.figures == (png,)  # only the first four are looked at, and the forgeries among them dropped
    assert bounds.cap_result(RunResult(status=Status.OK, figures=forged[3:])).figures == ()


def test_a_forged_check_keeps_only_a_valid_message_id_and_small_scalar_params():
    forged = CheckResult(
        passed=True,
        message="m",
        message_id="x" * 500,
        params={"a": "b" * 10_000},
    )
    capped = bounds.cap_result(RunResult(status=Status.OK, check=forged)).check
    assert capped is not None and capped.message_id is None and capped.params == {}
    honest = CheckResult(passed=False, message="m", message_id="w-far", params={"found": 1.5, "n": [1]})
    kept = bounds.cap_result(RunResult(status=Status.OK, check=honest)).check
    assert kept is not None and (kept.message_id, kept.params) == ("w-far", {"found": 1.5})
