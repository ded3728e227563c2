"""Convene's own code read as a newcomer reads it: which layer each module is in, what it
imports, where its SQL is. `tests/architecture/test_rules.py` holds the code to the rules of
`docs/architecture.md`; `python -m tests.architecture` prints the figures those rules are about.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("membership", "conference", "notifications")
LAYERS = ("domain", "service_layer", "adapters", "entrypoints")
# A string that starts like a statement is SQL (the services build no SQL any other way).
SQL = re.compile(r"^\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|WITH|LISTEN|NOTIFY|COPY|TRUNCATE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Module:
    path: Path
    name: str  # dotted: conference.service_layer.holding
    package: str  # membership, conference, notifications, convene_delivery, ...
    layer: str | None  # one of LAYERS for a service's module, else None
    tree: ast.Module

    def imports(self) -> Iterator[tuple[str, list[str], int]]:
        """(module imported, names taken from it, line) for every import, relative ones resolved."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield alias.name, [], node.lineno
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = self.name.split(".")[: -node.level]
                    base = ".".join([*parent, base] if base else parent)
                yield base, [alias.name for alias in node.names], node.lineno

    def sql_statements(self) -> list[int]:
        """Lines of the string literals (plain or f-strings) that are SQL statements."""
        lines = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                node = node.values[0]
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
                lines.append(node.lineno)
        # an f-string's parts are constants too: count each statement once per line
        return sorted(set(lines))


def _source_roots() -> Iterator[tuple[str, Path]]:
    for service in SERVICES:
        yield service, ROOT / "services" / service / "src" / service
    for lib in sorted((ROOT / "libs").iterdir()):
        for package in (lib / "src").iterdir():
            if package.is_dir() and not package.name.startswith("."):
                yield package.name, package
    yield "convene_contracts", ROOT / "contracts" / "src" / "convene_contracts"


@cache
def modules() -> tuple[Module, ...]:
    found = []
    for package, top in _source_roots():
        for path in sorted(top.rglob("*.py")):
            relative = path.relative_to(top).with_suffix("")
            parts = [part for part in relative.parts if part != "__init__"]
            layer = relative.parts[0] if package in SERVICES and relative.parts[0] in LAYERS else None
            tree = ast.parse(path.read_text(), filename=str(path))
            found.append(Module(path, ".".join([package, *parts]), package, layer, tree))
    return tuple(found)


def by_name() -> dict[str, Module]:
    return {module.name: module for module in modules()}


def same_layer_imports(module: Module) -> set[str]:
    """The modules of the same service and layer that this one imports."""
    names = by_name()
    found = set()
    for imported, taken, _ in module.imports():
        for candidate in [imported, *(f"{imported}.{name}" for name in taken)]:
            other = names.get(candidate)
            same_service = other is not None and other is not module and other.package == module.package
            if same_service and other is not None and module.layer is not None and other.layer == module.layer:
                found.add(other.name)
    return found


def longest_chain(service: str, layer: str) -> list[str]:
    """The longest path of imports between modules of one layer of one service."""
    # A package's __init__ only gathers its modules (ROUTERS = [...]): it is no step of a chain.
    layer_modules = {
        m.name: m for m in modules() if m.package == service and m.layer == layer and m.path.name != "__init__.py"
    }
    edges = {name: same_layer_imports(m) & layer_modules.keys() for name, m in layer_modules.items()}

    def longest_from(name: str, seen: frozenset[str]) -> tuple[str, ...]:
        best: tuple[str, ...] = ()
        for target in edges[name] - seen:
            chain = longest_from(target, seen | {target})
            if len(chain) > len(best):
                best = chain
        return (name, *best)

    return max((list(longest_from(name, frozenset({name}))) for name in edges), key=len, default=[])


def sql_per_layer() -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for module in modules():
        if module.package in SERVICES:
            where = module.layer or module.path.name
            counts[(module.package, where)] = counts.get((module.package, where), 0) + len(module.sql_statements())
    return {key: value for key, value in counts.items() if value}
