"""Finding a service's migrations without running any of its code: an installed package is
located by its import spec (a path lookup, no module executed), and its numbered SQL files sit in
`<package>/migrations/`, as `bootstrap.py` declares them."""

import importlib.util
from pathlib import Path


def migrations_of(service: str) -> Path | None:
    """The service's migrations folder, or None when the service is not installed here (a service's
    container holds only its own package)."""
    spec = importlib.util.find_spec(service)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "migrations"
    return folder if folder.is_dir() else None
