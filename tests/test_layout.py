"""The package layout: imports point one way, and packages are used through their public face.

Order, lowest first: errors, records < addresses, locks, urls < config < state < generators < scaffold < posts <
render < message < check < subscribers < providers < sending < web, preview < cli. A module may import its
own layer and the ones below it, never one above; outside a package only the package itself is imported
(``newsletter.subscribers``, not ``newsletter.subscribers.rows``). docs/architecture.md explains
the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "newsletter"
LAYERS = [
    {"errors", "records", "__init__"},
    {"addresses", "locks", "urls"},
    {"config"},
    {"state"},
    {"generators"},
    {"scaffold"},
    {"posts"},
    {"render"},
    {"message"},
    {"check"},
    {"subscribers"},
    {"providers"},
    {"sending"},
    {"web", "preview"},
    {"cli"},
    {"__main__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def unit_of(module: str) -> str:
    """The top-level part of a ``newsletter.`` module name: its package or module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def newsletter_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a newsletter module in ``path``, nested ones too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "newsletter":  # a module, or a name of newsletter/__init__.py
                found += [(node.lineno, f"newsletter.{alias.name}" if alias.name in RANK
                           else "newsletter") for alias in node.names]
            elif node.module.startswith("newsletter."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names
                      if alias.name.startswith("newsletter.")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_layer():
    units = {unit_of("newsletter." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts))
             for p in MODULES}
    assert units - RANK.keys() == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_and_through_public_faces(path):
    own = ".".join(("newsletter", *path.relative_to(PACKAGE).with_suffix("").parts))
    own_unit = unit_of(own)
    for line, module in newsletter_imports(path):
        unit = unit_of(module)
        where = f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        if unit == own_unit:
            continue
        assert RANK[unit] < RANK[own_unit] or RANK[unit] == 0, f"{where}: a layer above or beside"
        assert module.count(".") <= 1, f"{where}: import its public face, newsletter.{unit}"


def test_a_module_stays_short():
    long = {str(p.relative_to(PACKAGE)): n for p in MODULES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 330}
    assert long == {}


def test_value_classes_are_records_not_dataclasses():
    # dataclass() compiles each class's methods with exec at import: a send loaded 83 of them
    # before its first request (docs/performance.md); record() shares them
    found = [f"{p.relative_to(PACKAGE)}:{node.lineno}" for p in MODULES
             for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(node, ast.ClassDef)
             for decorator in node.decorator_list
             if "dataclass" in ast.unparse(decorator).split("(")[0]]
    assert found == [], "use newsletter.records.record for these classes"


def runtime_imports(path: Path) -> set[str]:
    """The newsletter modules ``path`` imports when it runs, at any depth; the names of a
    ``from package import name`` count as modules where they are; ``if TYPE_CHECKING:``
    blocks do not count (they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(inner) for node in ast.walk(tree)
                   if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
                   for inner in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("newsletter"):
                found |= {f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in NAMES
                          else node.module for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("newsletter")}
    return found


NAMES = {".".join(("newsletter", *p.relative_to(PACKAGE).with_suffix("").parts))
         .removesuffix(".__init__"): p for p in MODULES}


def test_no_module_imports_itself_in_a_circle():
    """A cycle means two modules that cannot be understood (or changed) apart: a function that
    takes the caller and calls back into it. A module importing the package it belongs to is
    the public face above it, not a cycle."""
    graph = {name: {dep for dep in runtime_imports(path)
                    if dep in NAMES and dep != name and not name.startswith(dep + ".")}
             for name, path in NAMES.items()}
    cycles, state = [], {}

    def visit(trail: list[str]) -> None:
        state[trail[-1]] = "open"
        for dep in sorted(graph[trail[-1]]):
            if state.get(dep) == "open":
                cycles.append(" -> ".join(trail[trail.index(dep):] + [dep]))
            elif dep not in state:
                visit(trail + [dep])
        state[trail[-1]] = "done"

    for name in sorted(graph):
        if name not in state:
            visit([name])
    assert cycles == []
