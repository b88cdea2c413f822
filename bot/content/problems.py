"""Collecting knowledge-base problems so that every one is reported at once as path:line: message."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content.yaml_lines import YamlSyntaxError, line_of, load_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base is broken; `problems` says where and how."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """A path as a person would type it: relative to the working folder where that is shorter."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


@dataclass
class Problems:
    found: list[Problem] = field(default_factory=list)

    def add(self, path: Path, line: int, message: str) -> None:
        self.found.append(Problem(display_path(path), line, message))

    def raise_if_any(self) -> None:
        if self.found:
            raise KnowledgeError(self.found)

    def read_yaml(self, path: Path) -> Any:
        """The file's data, or None after recording why it could not be read."""
        try:
            data = load_yaml(path)
        except YamlSyntaxError as exc:
            self.add(path, exc.line, f"not valid YAML: {exc.message}")
        except OSError as exc:
            self.add(path, 1, f"cannot read: {exc.strerror}")
        else:
            if data is not None:
                return data
            self.add(path, 1, "the file is empty (or only comments)")
        return None

    def read_model(self, path: Path, model: type[M]) -> tuple[Any, M] | None:
        """A whole file read as `model`, with its raw data for line numbers; None when broken."""
        data = self.read_yaml(path)
        if data is None:
            return None
        built = self.build(path, data, model)
        return None if built is None else (data, built)

    def build(self, path: Path, data: Any, model: type[M]) -> M | None:
        """Validate `data` into `model`; record each error at the line it stands on."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                self.add(path, line_of(data, error["loc"]), _describe(error))
            return None


def _describe(error: Any) -> str:
    loc = [str(part) for part in error["loc"]]
    where = ".".join(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}'" + (f" in {'.'.join(loc[:-1])}" if len(loc) > 1 else "")
    if kind == "missing":
        return f"missing key '{loc[-1]}'" + (f" in {'.'.join(loc[:-1])}" if len(loc) > 1 else "")
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return f"{where}: too long ({len(str(error['input']))} characters, at most {limit})"
    message = str(error["msg"])
    return f"{where}: {message}" if where else message
