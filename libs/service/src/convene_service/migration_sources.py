"""Which migrations a service's database gets, in order: the delivery tables, the chassis' own
(rate limits), then the service's. Shared by the runtime and the operator's `migrate`, which
knows a service by its name and migrations folder and does not import its code."""

from pathlib import Path

from convene_delivery.migrations import MigrationSource, sources_for
from convene_service import rate_limits


def service_migration_sources(service: str, migrations: Path) -> list[MigrationSource]:
    delivery, own = sources_for(service, migrations)
    return [delivery, MigrationSource("chassis", rate_limits.MIGRATIONS), own]
