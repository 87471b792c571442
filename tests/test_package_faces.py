"""The package faces that import their names on first use (newsletter.on_first_use): every name
resolves, in a fresh process, to what its module defines, and none is shadowed by a module."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

LAZY_PACKAGES = ("newsletter.providers", "newsletter.sending", "newsletter.state",
                 "newsletter.subscribers")


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_no_name_of_a_package_face_is_also_one_of_its_modules(package):
    # Importing such a module (from anywhere) binds it on the package under the same name, and
    # the package's __getattr__, never asked again, would hand out the module.
    face = importlib.import_module(package)
    modules = {found.name for found in pkgutil.iter_modules(face.__path__)}
    assert not modules & set(face._ON_FIRST_USE)


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_name_of_a_package_face_is_its_modules_own(package):
    code = (f"import importlib\nface = importlib.import_module({package!r})\n"
            "for name, module in face._ON_FIRST_USE.items():\n"
            "    own = getattr(importlib.import_module(f'{face.__name__}.{module}'), name)\n"
            "    assert getattr(face, name) is own, name\n"
            "assert set(face.__all__) <= set(face._ON_FIRST_USE) | set(dir(face))\n")
    subprocess.run([sys.executable, "-c", code], check=True)
