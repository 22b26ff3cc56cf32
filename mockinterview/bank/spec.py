"""A tiny declarative description of the scenario format.

One description serves twice: `validate()` checks loaded YAML and reports the field path, and
`to_json_schema()` produces the JSON Schema shipped for editors, so the two cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Problem", "Str", "Num", "Int", "Bool", "Enum", "List", "Obj", "MapOf", "validate", "to_json_schema"]


@dataclass(frozen=True)
class Problem:
    path: tuple[str | int, ...]
    message: str


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value if len(value) <= 30 else value[:27] + "...")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@dataclass(frozen=True)
class Str:
    min_len: int = 1
    pattern: str | None = None
    description: str = ""

    def check(self, value, path, out):
        if not isinstance(value, str):
            out.append(Problem(path, f"expected text, got {_describe(value)}"))
        elif len(value.strip()) < self.min_len:
            out.append(Problem(path, "must not be empty"))
        elif self.pattern:
            import re

            if not re.fullmatch(self.pattern, value):
                out.append(Problem(path, f"{_describe(value)} does not match {self.pattern}"))

    def schema(self):
        s: dict = {"type": "string", "minLength": self.min_len}
        if self.pattern:
            s["pattern"] = f"^{self.pattern}$"
        return s


@dataclass(frozen=True)
class Num:
    minimum: float | None = None
    exclusive_min: bool = False

    def check(self, value, path, out):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(Problem(path, f"expected a number, got {_describe(value)}"))
        elif self.minimum is not None and (
            value <= self.minimum if self.exclusive_min else value < self.minimum
        ):
            rel = "above" if self.exclusive_min else "at least"
            out.append(Problem(path, f"must be {rel} {self.minimum}, got {value}"))

    def schema(self):
        s: dict = {"type": "number"}
        if self.minimum is not None:
            s["exclusiveMinimum" if self.exclusive_min else "minimum"] = self.minimum
        return s


@dataclass(frozen=True)
class Int:
    minimum: int = 0

    def check(self, value, path, out):
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(Problem(path, f"expected a whole number, got {_describe(value)}"))
        elif value < self.minimum:
            out.append(Problem(path, f"must be at least {self.minimum}, got {value}"))

    def schema(self):
        return {"type": "integer", "minimum": self.minimum}


@dataclass(frozen=True)
class Bool:
    def check(self, value, path, out):
        if not isinstance(value, bool):
            out.append(Problem(path, f"expected true or false, got {_describe(value)}"))

    def schema(self):
        return {"type": "boolean"}


@dataclass(frozen=True)
class Enum:
    choices: tuple[str, ...]

    def check(self, value, path, out):
        if value not in self.choices:
            out.append(Problem(path, f"expected one of {', '.join(self.choices)}; got {_describe(value)}"))

    def schema(self):
        return {"enum": list(self.choices)}


@dataclass(frozen=True)
class List:
    item: Any
    min_items: int = 0

    def check(self, value, path, out):
        if not isinstance(value, list):
            out.append(Problem(path, f"expected a list, got {_describe(value)}"))
            return
        if len(value) < self.min_items:
            out.append(Problem(path, f"needs at least {self.min_items} item(s), got {len(value)}"))
        for i, item in enumerate(value):
            self.item.check(item, path + (i,), out)

    def schema(self):
        return {"type": "array", "items": self.item.schema(), "minItems": self.min_items}


@dataclass(frozen=True)
class Obj:
    """A mapping with known fields: {name: (spec, required)}."""

    fields: dict
    extra_check: Callable | None = None

    def check(self, value, path, out):
        if not isinstance(value, dict):
            out.append(Problem(path, f"expected a mapping, got {_describe(value)}"))
            return
        for name, (spec, required) in self.fields.items():
            if name in value:
                spec.check(value[name], path + (name,), out)
            elif required:
                out.append(Problem(path + (name,), "is required"))
        for name in value:
            if name not in self.fields:
                known = ", ".join(self.fields)
                out.append(Problem(path + (name,), f"unknown field (known: {known})"))
        if self.extra_check and not out:
            self.extra_check(value, path, out)

    def schema(self):
        return {
            "type": "object",
            "properties": {k: s.schema() for k, (s, _) in self.fields.items()},
            "required": [k for k, (_, r) in self.fields.items() if r],
            "additionalProperties": False,
        }


@dataclass(frozen=True)
class MapOf:
    """A mapping from free keys (optionally restricted) to values of one spec."""

    value: Any
    keys: tuple[str, ...] | None = None
    key_pattern: str | None = None

    def check(self, value, path, out):
        if not isinstance(value, dict):
            out.append(Problem(path, f"expected a mapping, got {_describe(value)}"))
            return
        for k, v in value.items():
            if self.keys is not None and k not in self.keys:
                out.append(Problem(path + (k,), f"unknown key (expected one of {', '.join(self.keys)})"))
                continue
            self.value.check(v, path + (k,), out)

    def schema(self):
        s: dict = {"type": "object", "additionalProperties": self.value.schema()}
        if self.keys is not None:
            s = {
                "type": "object",
                "properties": {k: self.value.schema() for k in self.keys},
                "additionalProperties": False,
            }
        return s


def validate(spec, data) -> list[Problem]:
    out: list[Problem] = []
    spec.check(data, (), out)
    return out


def to_json_schema(spec, title: str) -> dict:
    schema = spec.schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}
