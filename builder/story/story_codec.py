"""Stories written as MessagePack and read back, running no code when read.

A kept story lives in ``.git/wellplan/stories``, and a CI cache restored from another
branch (or anyone who can write to that folder) decides what those files hold. Pickle
would run whatever such a file asks; MessagePack only ever makes strings, numbers,
lists and maps. The few types a story is made of besides those (its dataclasses,
tuples, dates) are written as tagged extension values and rebuilt here, field by field,
from a fixed list of classes: anything else in a file makes it unreadable, which the
cache treats as a miss (the story is made again). MessagePack reads plain maps and lists
in C, calling back only for the tagged values, so a kept story loads about as fast as a
pickle did.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

import msgpack

_TUPLE, _DATE, _DATETIME, _RECORD = 1, 2, 3, 4
_KINDS: dict[str, type] = {}


class NotAStory(ValueError):
    """A file that holds something other than a story as this program writes one."""


def register(*classes: type) -> None:
    """The dataclasses a story may hold (each by its own name)."""
    for cls in classes:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls.__name__} is not a dataclass")
        _KINDS[cls.__name__] = cls


def dumps(value: Any) -> bytes:
    return msgpack.packb(value, default=_tagged, strict_types=True, use_bin_type=True)


def loads(raw: bytes) -> Any:
    """The value a file holds; NotAStory for anything that is not a story as written here."""
    try:
        return msgpack.unpackb(raw, ext_hook=_untag, strict_map_key=False, raw=False)
    except NotAStory:
        raise
    except (ValueError, TypeError, KeyError, msgpack.UnpackException) as e:
        raise NotAStory(str(e)) from e


def _tagged(value: Any) -> msgpack.ExtType:
    if isinstance(value, tuple) and type(value) is tuple:
        return msgpack.ExtType(_TUPLE, dumps(list(value)))
    if isinstance(value, datetime):
        return msgpack.ExtType(_DATETIME, value.isoformat().encode())
    if isinstance(value, date):
        return msgpack.ExtType(_DATE, value.isoformat().encode())
    for plain in (str, int, float, list, dict):
        if isinstance(value, plain):
            return plain(value)  # a subclass of a plain type (a YAML string, say): as that type
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and _KINDS.get(name) is type(value):
        fields = [getattr(value, f.name) for f in dataclasses.fields(value)]
        return msgpack.ExtType(_RECORD, dumps([name, fields]))
    raise TypeError(f"a story cannot hold a {name}")


def _untag(code: int, data: bytes) -> Any:
    if code == _TUPLE:
        return tuple(loads(data))
    if code == _DATE:
        return date.fromisoformat(data.decode())
    if code == _DATETIME:
        return datetime.fromisoformat(data.decode())
    if code == _RECORD:
        name, values = loads(data)
        cls = _KINDS.get(name)
        if cls is None:
            raise NotAStory(f"not a kind of thing a story holds: {name!r}")
        names = [f.name for f in dataclasses.fields(cls)]
        if len(values) != len(names):
            raise NotAStory(f"a {name} with other fields than this program's")
        made = cls.__new__(cls)
        for field_name, field_value in zip(names, values, strict=True):
            object.__setattr__(made, field_name, field_value)
        return made
    raise NotAStory(f"an unknown kind of value ({code})")
