"""The project's modules import one another without cycles and respect the layers.

The graph is built statically from the source (no module is imported) from the imports a
module runs when it loads: those at module level, in ``if``/``try`` blocks and class bodies
included, ``if TYPE_CHECKING`` excluded. Imports inside functions run later; each one has a
comment saying why it is not at the top (on its line, or above its run of imports), they may
close a cycle only so, and ``python tests/core/test_import_graph.py`` lists them all.
"""

import ast
from pathlib import Path

PACKAGE = "civility"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE

# Modules a lower layer must not import from: they sit at the top, next to HTTP.
TOP_LAYER_KINDS = {"api", "views"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _source_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    }


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _resolve(node: ast.ImportFrom, module: str, path: Path) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if _is_package(path) else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(node: ast.AST, module: str, path: Path, known: set[str]) -> list[str]:
    """The project modules an import statement loads (the deepest known ones)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = _resolve(node, module, path)
        # ``from package import submodule`` loads the submodule; a name that
        # is not a module is an attribute of ``base``.
        names = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
            for alias in node.names
        ]
    found = []
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name.split(".")[0] == PACKAGE and name != module:
            found.append(name)
    return found


def _walk_load_time(body: list[ast.stmt]):
    """The import statements executed when the module is loaded."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            # Seen by the type checker only, never executed.
            yield from _walk_load_time(node.orelse)
        elif isinstance(node, ast.ClassDef):
            yield from _walk_load_time(node.body)
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                yield from _walk_load_time(getattr(node, field, []) or [])


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _graphs() -> tuple[dict[str, set[str]], dict[str, dict[str, list[str]]]]:
    """The imports run when each module loads; and those inside its functions, each target
    with the source lines that import it (to tell whether they say why)."""
    modules = _source_modules()
    known = set(modules)
    load_time: dict[str, set[str]] = {}
    deferred: dict[str, dict[str, list[str]]] = {}
    for module, path in modules.items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source, filename=str(path))
        top = {id(node) for node in _walk_load_time(tree.body)}
        runs = _run_starts(tree)
        load_time[module] = set()
        deferred[module] = {}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(node, module, path, known):
                if id(node) in top:
                    load_time[module].add(target)
                else:
                    deferred[module].setdefault(target, []).append(_with_comment(node, lines, runs))
    return load_time, deferred


def _run_starts(tree: ast.Module) -> dict[int, int]:
    """For each import statement, the first line of the run of imports it belongs to (the
    statements one after another in the same block): a comment above a run covers it all."""
    starts: dict[int, int] = {}
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            start = None
            block = getattr(node, field, None)
            for statement in block if isinstance(block, list) else []:
                if isinstance(statement, ast.Import | ast.ImportFrom):
                    start = start or statement.lineno
                    starts[id(statement)] = start
                else:
                    start = None
    return starts


def _with_comment(node: ast.Import | ast.ImportFrom, lines: list[str], runs: dict[int, int]):
    """The import's source lines, and the comment line above its run of imports if any."""
    above = lines[runs.get(id(node), node.lineno) - 2].strip()
    statement = lines[node.lineno - 1 : node.end_lineno]
    return "\n".join(statement + ([above] if above.startswith("#") else []))


def _imports_inside_functions() -> list[tuple[str, str]]:
    """Every import statement in a function body (of the project or not): where, and its
    source with the comment above its run of imports."""
    found = []
    for path in _source_modules().values():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source, filename=str(path))
        runs = _run_starts(tree)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
                    found.append((where, _with_comment(node, lines, runs)))
    # A nested function's imports are walked from each enclosing function: once each.
    return sorted(set(found))


def _says_why(statements: list[str]) -> bool:
    """Every import of the target has a comment on its lines or a comment line above."""
    return all("#" in statement for statement in statements)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_one_cycle(graph, set(component)) for component in components]


def _one_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest path back to the start inside a strongly connected component."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & component):
            if nxt == start:
                return paths[node] + [start]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return sorted(component)


def _app(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _is_top_layer(module: str) -> bool:
    """Modules next to HTTP: API endpoints, views, URL configurations, and every part of a
    package of them (`awards.views.nominations`)."""
    return any(
        name in TOP_LAYER_KINDS | {"urls", "public_urls"} or name.endswith(("_views", "_urls"))
        for name in module.split(".")[1:]
    )


def _message(title: str, cycles: list[list[str]]) -> str:
    return title + "\n" + "\n".join(" → ".join(cycle) for cycle in cycles)


def test_the_modules_import_one_another_without_cycles_when_they_load():
    load_time, _ = _graphs()
    cycles = _cycles(load_time)
    assert not cycles, _message("Import cycles:", cycles)


def test_an_import_inside_a_function_closes_a_cycle_only_where_a_comment_says_why():
    load_time, deferred = _graphs()
    graph = {
        module: load_time[module]
        | {target for target, lines in deferred[module].items() if not _says_why(lines)}
        for module in load_time
    }
    cycles = _cycles(graph)
    assert not cycles, _message(
        "Import cycles through imports inside functions (break them, or say why not):", cycles
    )


def test_every_import_inside_a_function_has_a_comment_that_says_why_it_is_not_at_the_top():
    silent = [
        f"{where}: {statement.strip()}"
        for where, statement in _imports_inside_functions()
        if not _says_why([statement])
    ]
    assert not silent, (
        "Imports inside functions with no comment on their line or above (move them to the"
        " top, or say why not):\n" + "\n".join(silent)
    )


def test_core_imports_no_other_app_when_it_loads():
    load_time, _ = _graphs()
    wrong = sorted(
        f"{module} → {target}"
        for module, targets in load_time.items()
        if _app(module) == f"{PACKAGE}.core"
        for target in targets
        if _app(target) != f"{PACKAGE}.core"
    )
    assert not wrong, "core reaches into other apps:\n" + "\n".join(wrong)


def test_no_lower_layer_imports_from_an_api_or_views_module():
    load_time, deferred = _graphs()
    wrong = sorted(
        f"{module} → {target}"
        for module in load_time
        if not _is_top_layer(module) and module != f"{PACKAGE}.api"
        for target in load_time[module] | set(deferred[module])
        if _is_top_layer(target)
    )
    assert not wrong, "A lower layer imports from the top:\n" + "\n".join(wrong)


if __name__ == "__main__":
    # The imports inside functions, for whoever moves them to the top.
    loaded, inside = _graphs()
    for module, targets in sorted(inside.items()):
        for target in sorted(set(targets) - loaded[module]):
            print(f"{module} → {target}")
