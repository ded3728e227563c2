"""Every operator route of every service is in its service's map of roles (entrypoints/roles.py,
docs/staff.md): a route left out would fall back to owners only, which is safe but surely not
what its author meant. Reads the routers only; nothing is started."""

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from convene_service.http import require_operator
from convene_web.access import require_operator_page
from convene_web.routes import web_router

PREFIXES = {"membership": "/membership", "conference": "/events", "notifications": "/mail"}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def operator_routes(service: str) -> set[tuple[str, str]]:
    spec = importlib.import_module(f"{service}.bootstrap").SPEC
    found = set()
    for router in [*spec.routers, web_router(PREFIXES[service])]:
        for route in router.routes:
            if isinstance(route, APIRoute) and {require_operator, require_operator_page} & set(_calls(route.dependant)):
                found |= {(method, route.path) for method in route.methods or ()}
    return found


@pytest.mark.parametrize("service", list(PREFIXES))
def test_every_operator_route_has_its_roles(service: str) -> None:
    roles = importlib.import_module(f"{service}.entrypoints.roles").ROLES
    routes = operator_routes(service)
    assert routes, "no operator routes found: the check itself is broken"
    assert sorted(routes - set(roles)) == []
    assert sorted(set(roles) - routes) == [], "the map names routes that do not exist"
