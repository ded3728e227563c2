"""Migration files: named NNNN_description.sql, one file per number."""

from pathlib import Path

import pytest

from convene_delivery.migrations import MigrationSource

SERVICES = Path(__file__).resolve().parents[4] / "services"


def test_two_files_with_one_number_are_refused(tmp_path: Path) -> None:
    for name in ("0001_levels.sql", "0002_staff.sql", "0002_exports.sql"):
        (tmp_path / name).write_text("SELECT 1;")
    with pytest.raises(ValueError, match="share the number 0002"):
        MigrationSource("membership", tmp_path).files()


def test_files_come_in_number_order(tmp_path: Path) -> None:
    for name in ("0002_b.sql", "0010_c.sql", "0001_a.sql"):
        (tmp_path / name).write_text("SELECT 1;")
    assert [v for v, _ in MigrationSource("x", tmp_path).files()] == [1, 2, 10]


@pytest.mark.parametrize("service", ["membership", "conference", "notifications"])
def test_each_service_numbers_its_migrations_once(service: str) -> None:
    folder = SERVICES / service / "src" / service / "migrations"
    versions = [v for v, _ in MigrationSource(service, folder).files()]
    assert versions == list(range(1, len(versions) + 1))
