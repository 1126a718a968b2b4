"""The project's modules import one another without cycles and respect the layers.

The graph is built statically from the source (no module is imported), from the
imports executed when a module loads: those at module level, including inside
``if``/``try`` blocks, but not those inside functions or classes' methods, which
run later and are listed separately for whoever wants to move them up.
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
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
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


def _graphs() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(imports at load time, imports inside functions) per module."""
    modules = _source_modules()
    known = set(modules)
    load_time: dict[str, set[str]] = {}
    deferred: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        top = {
            id(node): node for node in _walk_load_time(tree.body)
        }
        load_time[module] = {t for node in top.values() for t in _targets(node, module, path, known)}
        deferred[module] = {
            t
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top
            for t in _targets(node, module, path, known)
        }
        # Loading ``a.b.c`` loads the packages ``a.b`` and ``a`` first.
        parent = module.rpartition(".")[0]
        if parent in known:
            load_time[module].add(parent)
    return load_time, deferred


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


def _is_package_parent(module: str, target: str) -> bool:
    """Importing a submodule loads its package; that is not reaching upwards."""
    return module.startswith(target + ".")


def test_the_modules_import_one_another_without_cycles():
    load_time, _ = _graphs()
    # A package's __init__ is loaded by its submodules, so edges to a parent
    # package only form a cycle when the package imports back.
    cycles = _cycles(load_time)
    assert not cycles, "Import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_core_imports_no_other_app_when_it_loads():
    load_time, _ = _graphs()
    wrong = sorted(
        f"{module} → {target}"
        for module, targets in load_time.items()
        if _app(module) == f"{PACKAGE}.core"
        for target in targets
        if _app(target) not in (f"{PACKAGE}.core", PACKAGE) or target == f"{PACKAGE}.api"
    )
    assert not wrong, "core reaches into other apps:\n" + "\n".join(wrong)


def test_no_lower_layer_imports_from_an_api_or_views_module():
    load_time, deferred = _graphs()
    wrong = sorted(
        f"{module} → {target}"
        for graph in (load_time, deferred)
        for module, targets in graph.items()
        if module.rpartition(".")[2] not in TOP_LAYER_KINDS
        and module.split(".")[-1] not in ("urls", "public_urls")
        and module != PACKAGE + ".api"
        for target in targets
        if target.rpartition(".")[2] in TOP_LAYER_KINDS
        and not _is_package_parent(module, target)
    )
    assert not wrong, "A lower layer imports from the top:\n" + "\n".join(wrong)


def test_imports_inside_functions_are_listed(capsys):
    """Not a failure: the list of deferred imports, for whoever moves them up."""
    load_time, deferred = _graphs()
    for module in sorted(deferred):
        for target in sorted(deferred[module] - load_time[module]):
            print(f"{module} → {target}")
    assert capsys.readouterr().out is not None
