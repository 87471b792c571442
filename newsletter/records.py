"""``record``: a dataclass whose ``__repr__``, ``__eq__`` and ``__hash__`` are shared functions.

Python 3.11's ``dataclass`` writes each generated method as source and compiles it with
``exec`` (~0.4-0.7 million instructions a method). A send loads 83 of newsletter's before its
first request, 63 of them frozen (six methods each): code compiled from strings was a fifth of
the instructions to that request (docs/performance.md, "An eleventh round"). A record still gets
its ``__init__`` (and a frozen one its ``__setattr__``/``__delattr__``) written by
``dataclass``; the other three behave exactly as the generated ones: the same repr (``...`` for
a record inside itself), equal only to an instance of the very same class with equal compared
fields, and a frozen record's hash over the same fields (a mutable one is unhashable).
"""

from __future__ import annotations

import dataclasses
import reprlib
from operator import attrgetter


def record(cls=None, /, *, frozen: bool = False, **options):
    """``@dataclass`` (same options; not ``repr``, ``eq`` or ``order``) for a class that does
    not define ``__eq__`` or ``__hash__`` itself (its own ``__repr__`` is kept, as there)."""
    if {"repr", "eq", "order", "unsafe_hash"} & options.keys():
        raise TypeError("record() writes __repr__, __eq__ and __hash__ itself: use dataclass()")

    def make(cls):
        if {"__eq__", "__hash__"} & cls.__dict__.keys():
            raise TypeError(f"{cls.__qualname__} defines its own __eq__ or __hash__: "
                            "use dataclass()")
        own_repr = "__repr__" in cls.__dict__
        made = dataclasses.dataclass(cls, frozen=frozen, repr=False, eq=False, **options)
        fields = dataclasses.fields(made)
        made._record_shown = tuple(field.name for field in fields if field.repr)
        made._record_compared = staticmethod(_values([field.name for field in fields
                                                      if field.compare]))
        made._record_hashed = staticmethod(_values(
            [field.name for field in fields
             if (field.compare if field.hash is None else field.hash)]))
        if not own_repr:
            made.__repr__ = _repr
        made.__eq__ = _eq
        made.__hash__ = _hash if frozen else None
        return made

    return make if cls is None else make(cls)


def _values(names: list[str]):
    """A function giving a record's values of ``names`` as a tuple, like the generated
    methods' ``(self.a,self.b,)``."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        get = attrgetter(names[0])
        return lambda record: (get(record),)
    return lambda record: ()


@reprlib.recursive_repr()
def _repr(self) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_shown)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self, other):
    if other.__class__ is self.__class__:
        values = self._record_compared
        return values(self) == values(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(self._record_hashed(self))
