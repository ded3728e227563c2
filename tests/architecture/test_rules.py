"""The house rules of docs/architecture.md ("where things go"), checked on the code itself.

Each test names the module and line that breaks a rule, so the fix is obvious. They read the code
with Python's ast and run nothing of it, so they are part of the unit tier."""

import ast

import pytest

from tests.architecture.code import SERVICES, Module, modules

# What a layer may not import: infrastructure belongs in adapters and entrypoints.
INFRASTRUCTURE = (
    "asyncpg",
    "aiokafka",
    "faststream",
    "fastapi",
    "starlette",
    "stripe",
    "aiosmtpd",
    "aiosmtplib",
    "httpx",
)
OURS = (*SERVICES, "convene_contracts", "convene_delivery", "convene_service", "convene_web", "convene_operator")
# What the operator command line may build on: never a service's code, nor the pages.
OPERATOR_MAY_USE = ("convene_contracts", "convene_delivery", "convene_service", "convene_operator")
HTTP = ("fastapi", "starlette", "uvicorn", "stripe", "convene_service", "convene_web")


def _top(name: str) -> str:
    return name.split(".")[0]


def _in(module: Module, layer: str) -> bool:
    return module.package in SERVICES and module.layer == layer


def _breaches(rule: str, found: list[str]) -> None:
    assert not found, f"{rule}:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("layer", ["domain", "service_layer"])
def test_domain_and_use_cases_import_no_infrastructure(layer: str) -> None:
    found = [
        f"{m.path.relative_to(m.path.parents[3])}:{line} imports {imported}"
        for m in modules()
        if _in(m, layer)
        for imported, _, line in m.imports()
        if _top(imported) in INFRASTRUCTURE
    ]
    _breaches(f"{layer}/ talks to no infrastructure (docs/architecture.md)", found)


def test_the_domain_imports_nothing_outside_the_domain() -> None:
    found = [
        f"{m.name}:{line} imports {imported}"
        for m in modules()
        if _in(m, "domain")
        for imported, _, line in m.imports()
        if _top(imported) in (*SERVICES, "convene_delivery", "convene_service", "convene_web")
        and imported.split(".")[1:2] != ["domain"]
    ]
    _breaches("domain/ imports only the domain, the contracts and the standard library", found)


def test_sql_lives_in_adapters() -> None:
    found = [
        f"{m.name}:{line}"
        for m in modules()
        if m.package in SERVICES and m.layer != "adapters"
        for line in m.sql_statements()
    ]
    _breaches("SQL statements belong in adapters/ (the repository or views)", found)


def test_no_service_imports_another() -> None:
    found = [
        f"{m.name}:{line} imports {imported}"
        for m in modules()
        for imported, _, line in m.imports()
        if _top(imported) in SERVICES and _top(imported) != m.package
    ]
    _breaches("services meet only through contracts and Kafka", found)


def test_the_operator_command_line_imports_no_service() -> None:
    """It is installed beside one service in that service's image, and talks to each through its
    database, Kafka or its API (docs/operations.md)."""
    found = [
        f"{m.name}:{line} imports {imported}"
        for m in modules()
        if m.package == "convene_operator"
        for imported, _, line in m.imports()
        if _top(imported) in (*SERVICES, "convene_web")
        or (_top(imported).startswith("convene_") and _top(imported) not in OPERATOR_MAY_USE)
    ]
    _breaches("convene_operator uses only the contracts, delivery and the chassis", found)


def test_the_operator_command_lines_sql_lives_in_its_adapters() -> None:
    found = [
        f"{m.name}:{line}"
        for m in modules()
        if m.package == "convene_operator" and not m.name.startswith("convene_operator.adapters")
        for line in m.sql_statements()
    ]
    _breaches("the command line's SQL belongs in convene_operator/adapters/", found)


def test_event_delivery_knows_nothing_of_http() -> None:
    found = [
        f"{m.name}:{line} imports {imported}"
        for m in modules()
        if m.package == "convene_delivery"
        for imported, _, line in m.imports()
        if _top(imported) in HTTP
    ]
    _breaches("convene_delivery is event delivery only; the chassis is convene_service", found)


def test_no_module_reaches_into_another_modules_private_names() -> None:
    found = [
        f"{m.name}:{line} takes {name} from {imported}"
        for m in modules()
        for imported, taken, line in m.imports()
        for name in taken
        if name.startswith("_") and not name.startswith("__") and _top(imported) in OURS
    ]
    _breaches("a leading underscore means 'this module's own'", found)


def _sleeps(loop: ast.While) -> bool:
    return any(
        isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("sleep", "wait_for")
        for node in ast.walk(loop)
    )


def test_background_jobs_live_in_entrypoints_jobs() -> None:
    """A loop that never ends and waits between passes is a background job: one home per service
    (entrypoints/jobs.py); the work of one pass is a use case."""
    found = []
    for m in modules():
        if m.package not in SERVICES or m.name.endswith(".entrypoints.jobs"):
            continue
        for node in ast.walk(m.tree):
            forever = isinstance(node, ast.While) and isinstance(node.test, ast.Constant) and node.test.value is True
            if forever and isinstance(node, ast.While) and _sleeps(node):
                found.append(f"{m.name}:{node.lineno}")
    _breaches("background loops belong in entrypoints/jobs.py", found)
