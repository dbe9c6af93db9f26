"""Render an autograd ``Graph`` as a text tree, for front ends without Graphviz."""

from __future__ import annotations

from sandbox.result import Graph, GraphNode

SHARED_MARK = "(shared, shown above)"


def node_text(node: GraphNode, *, is_root: bool = False, root_name: str | None = None) -> str:
    """Describe one node on one line: ``out  MeanBackward0``, ``x  [2, 2] (leaf)``, ``MulBackward0``."""
    if is_root:
        return f"{root_name or node.name or '_'}  {node.label}"
    if node.kind == "leaf":
        shape = f"  {list(node.shape)}" if node.shape is not None else ""
        return f"{node.name or node.label}{shape} (leaf)"
    return node.label


def render_graph(graph: Graph) -> str:
    """Draw ``graph`` as a tree from its root; a node reached twice is drawn once and then marked."""
    if not graph.nodes:
        return ""
    nodes = {node.id: node for node in graph.nodes}
    children: dict[int, list[int]] = {node.id: [] for node in graph.nodes}
    for parent, child in graph.edges:
        if parent in children and child in nodes:
            children[parent].append(child)
    root = graph.nodes[0]
    lines = [node_text(root, is_root=True, root_name=graph.root)]
    drawn = {root.id}
    # An explicit stack: a deep graph must not hit Python's recursion limit.
    stack: list[tuple[int, str, bool]] = [
        (child, "", index == len(children[root.id]) - 1) for index, child in enumerate(children[root.id])
    ][::-1]
    while stack:
        node_id, prefix, last = stack.pop()
        branch = "└─ " if last else "├─ "
        node = nodes[node_id]
        if node_id in drawn:
            lines.append(f"{prefix}{branch}{node_text(node)} {SHARED_MARK}")
            continue
        drawn.add(node_id)
        lines.append(f"{prefix}{branch}{node_text(node)}")
        inner = prefix + ("   " if last else "│  ")
        kids = children[node_id]
        stack.extend((kid, inner, index == len(kids) - 1) for index, kid in reversed(list(enumerate(kids))))
    return "\n".join(lines)
