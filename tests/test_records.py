"""newsletter.records.record: the same class as dataclass() writes, without its exec'd methods.

Every settings section, message and report is a record, so a difference would show anywhere:
in an error that quotes a setting's repr, in a set of readers, in a cache keyed by a record.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import pytest

from newsletter.records import record

SHAPES = [{}, {"frozen": True}, {"slots": True}, {"frozen": True, "slots": True}]
VALUES = [(1,), (1, "q", [1]), (math.nan, math.nan), (1, None, [], "y", 2.0), ("é", ("a",))]


def both(**options):
    """The same class body made by dataclass() and by record()."""

    def made(decorator):
        @decorator(**options)
        class Thing:
            a: object
            b: object = None
            c: list = field(default_factory=list, compare=False)
            d: str = field(default="x", repr=False)
            e: float = field(default=0.0, hash=False)

        return Thing

    return made(dataclass), made(record)


@pytest.mark.parametrize("options", SHAPES, ids=str)
@pytest.mark.parametrize("values", VALUES, ids=str)
def test_repr_equality_and_hash_as_dataclass_writes_them(options, values):
    Dataclass, Record = both(**options)
    plain, same, mine, other = Dataclass(*values), Dataclass(*values), Record(*values), Record(*values)
    assert repr(mine) == repr(plain)
    assert (mine == other) is (plain == same) and (mine != other) is (plain != same)
    assert (mine == Record(2)) is (plain == Dataclass(2))
    assert mine.__eq__(plain) is NotImplemented and (mine == plain) is False
    assert Record.__match_args__ == Dataclass.__match_args__
    assert dataclasses.replace(mine, a=3) == Record(3, *values[1:])
    if options.get("frozen"):
        assert hash(mine) == hash(plain)
        with pytest.raises(dataclasses.FrozenInstanceError):
            mine.a = 2
        with pytest.raises(dataclasses.FrozenInstanceError):
            del mine.a
    else:
        assert Record.__hash__ is None and Dataclass.__hash__ is None


def test_a_subclass_is_never_equal_and_a_cycle_shows_as_dots():
    @record
    class Box:
        inner: object = None

    class Parcel(Box):
        pass

    assert Box(1) != Parcel(1) and Parcel(1) == Parcel(1)
    box = Box()
    box.inner = box
    assert repr(box) == "test_a_subclass_is_never_equal_and_a_cycle_shows_as_dots.<locals>." \
                        "Box(inner=...)"


def test_its_own_repr_is_kept_and_its_own_equality_refused():
    @record(frozen=True)
    class Secretive:
        value: str

        def __repr__(self) -> str:
            return "Secretive(***)"

    assert repr(Secretive("key")) == "Secretive(***)" and Secretive("a") == Secretive("a")
    with pytest.raises(TypeError, match="use dataclass"):
        @record
        class Compared:
            value: str

            def __eq__(self, other):
                return True
