"""The shape of the code: imports flow one way, so that each layer can be read (and tested) alone.

The graph is built from the source (every `import` and `from ... import` of `bot`, those for type
checking included), not from what happens to be imported at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.config import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "bot"


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each module of bot/ and the modules of bot/ it imports."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    if target in modules:  # `from bot.engine import commands`
                        graph[name].add(target)
                    elif node.module in modules:  # `from bot.engine.turn import Turn`
                        graph[name].add(node.module)
            elif isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in modules}
    return graph


def package_of(module: str) -> str:
    """`bot.engine.turn` -> `bot.engine`; a top-level module (`bot.render`) is its own."""
    parts = module.split(".")
    return ".".join(parts[:2])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_round_a_cycle() -> None:
    assert cycles(import_graph()) == []


def test_no_sub_package_imports_itself_round_a_cycle() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        source = package_of(module)
        packages.setdefault(source, set())
        packages[source] |= {package_of(t) for t in targets if package_of(t) != source}
    assert cycles(packages) == []


def test_the_shared_types_are_a_leaf() -> None:
    """The events and replies every layer speaks import nothing of the package but `bot`."""
    assert import_graph()["bot.events"] <= {"bot"}


def test_the_engine_knows_nothing_of_its_adapters() -> None:
    graph = import_graph()
    for module, targets in graph.items():
        if module.startswith(("bot.engine", "bot.answering", "bot.assessment", "bot.content")):
            adapters = {t for t in targets if t.startswith(("bot.telegram", "bot.terminal"))}
            assert not adapters, f"{module} imports {adapters}"


def test_the_cycle_finder_finds_a_cycle() -> None:
    """So that the tests above can fail: a made-up graph with a cycle through three modules."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
