"""A faster `__init__` for the frozen, slotted dataclasses the caption parser builds per caption.

A frozen dataclass's own `__init__` sets each field with `object.__setattr__(self, name, value)`,
which looks the slot up by name every time: a parsed caption and its restrictions cost more to
build than most of the reading that fills them. `quick_init` writes an `__init__` with the same
signature that calls each slot's descriptor directly. Everything else stays the dataclass's:
fields, defaults, equality, hashing, `replace`, pickling, and assignment still raises
`FrozenInstanceError`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

_Class = TypeVar("_Class", bound=type)


def quick_init(cls: _Class) -> _Class:
    """Give the frozen, slotted dataclass `cls` a descriptor-setting `__init__` (see above).

    Only plain fields are supported: a default factory, `init=False` or a `__post_init__` would
    need the dataclass's own logic, so they are refused here rather than silently skipped.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: quick_init needs a frozen dataclass with slots")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: quick_init does not run __post_init__")
    namespace: dict[str, Any] = {}
    parameters: list[str] = []
    body: list[str] = []
    for index, item in enumerate(dataclasses.fields(cls)):
        if not item.init or item.default_factory is not dataclasses.MISSING or item.kw_only:
            raise TypeError(f"{cls.__name__}.{item.name}: quick_init takes plain fields only")
        namespace[f"_set{index}"] = getattr(cls, item.name).__set__
        if item.default is dataclasses.MISSING:
            parameters.append(item.name)
        else:
            namespace[f"_default{index}"] = item.default
            parameters.append(f"{item.name}=_default{index}")
        body.append(f" _set{index}(self, {item.name})")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(body or [" pass"])
    exec(source, namespace)  # the source is built above from the field names only
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = f"Set each field of {cls.__name__} through its slot (see rights.quick_init)."
    type.__setattr__(cls, "__init__", init)
    return cls
