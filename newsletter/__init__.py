"""newsletter: publish a static blog's Markdown posts as email newsletters."""

import sys
from importlib import import_module

__version__ = "0.1.0"


def on_first_use(package: str, modules: dict[str, str]):
    """A package's module ``__getattr__`` (PEP 562): each name of ``modules`` is imported from
    the package's module named beside it when it is first asked for, so that a command imports
    only what it uses. Every name of that module is then kept on the package, which also puts
    a name back over its module's own (``sending.list_history``, the function)."""

    def __getattr__(name: str):
        if name not in modules:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = import_module(f"{package}.{modules[name]}")
        for each in (key for key, value in modules.items() if value == modules[name]):
            setattr(sys.modules[package], each, getattr(module, each))
        return getattr(module, name)

    return __getattr__
