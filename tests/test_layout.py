"""The package layout: imports point one way, and packages are used through their public face.

Order, lowest first: errors < addresses, locks, urls < config < generators < scaffold < posts < render <
message < check < subscribers < providers < sending < web, preview < cli. A module may import its
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
    {"errors", "__init__"},
    {"addresses", "locks", "urls"},
    {"config"},
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
