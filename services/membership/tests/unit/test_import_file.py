"""Reading contacts exports (M12): encodings, separators, dates, XLSX, and the rows refused."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from membership.domain.errors import BadFile
from membership.domain.import_file import read_table
from membership.domain.import_rows import Source, columns_of, parse_date, read_rows
from tests.support.wild_apricot import HEADER, export, row


def records_of(data: bytes, file_name: str = "contacts.csv") -> tuple[list, list]:  # type: ignore[type-arg]
    table = read_table(data, file_name)
    return read_rows(table, columns_of(table, None))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "utf-16", "cp1252"])
def test_every_encoding_excel_writes_reads_the_same(encoding: str) -> None:
    data = export([row(1, "zoe@example.org", first="Zoë", organization="Ville de Québec")], encoding=encoding)
    [record], refused = records_of(data)
    assert refused == []
    assert (record.name, record.organization) == ("Zoë Lovelace", "Ville de Québec")
    assert read_table(data).encoding == encoding


def test_semicolons_are_read_as_separators() -> None:
    [record], _ = records_of(export([row(7, "a@example.org", status="Pending - Renewal")], delimiter=";"))
    assert (record.source_id, record.source_status, record.renewal_due) == (
        "7",
        Source.PENDING_RENEWAL,
        date(2027, 6, 30),
    )


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2027-06-30", date(2027, 6, 30)),
        ("30 Jun 2027", date(2027, 6, 30)),
        ("6/30/2027", date(2027, 6, 30)),
        ("46568", date(2027, 6, 30)),
        ("", None),
    ],
)
def test_dates_as_wild_apricot_and_excel_write_them(cell: str, day: date | None) -> None:
    assert parse_date(cell) == day


def test_bytes_in_no_known_encoding_refuse_the_file() -> None:
    with pytest.raises(BadFile, match="byte 9 is neither UTF-8, UTF-16 nor Windows-1252"):
        read_table(b"Email\r\nab\x81\xffcdefg\r\n" + "é".encode("latin-1") + b"\x81")


def test_a_file_named_xlsx_that_is_not_one_is_refused() -> None:
    with pytest.raises(BadFile, match="not an XLSX workbook"):
        read_table(b"PK\x03\x04 not really a zip", "contacts.xlsx")


def test_an_xlsx_reads_like_the_csv_its_dates_included() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(
        [12, "Ada", "Lovelace", "", "ada@example.org", "", "Individual", "Active", date(2019, 3, 4), date(2027, 6, 30)]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    [record], refused = records_of(buffer.getvalue(), "contacts.xlsx")
    assert refused == []
    assert (record.source_id, record.member_since, record.renewal_due) == ("12", date(2019, 3, 4), date(2027, 6, 30))


def test_each_bad_row_is_refused_naming_its_row_and_column() -> None:
    rows = [
        row(1, "ada@example.org"),
        row(2, "ADA@example.org"),  # the same address, in other letters
        row(3, "not-an-address"),
        row(4, "b@example.org", status="Frozen"),
        [*row(5, "c@example.org", renewal_due=None)[:9], "31/31/2027", "", ""],
        row(6, "d@example.org", bundle="B9", role="Bundle member"),  # no administrator for B9
    ]
    records, refused = records_of(export(rows))
    assert [r.email for r in records] == ["ada@example.org"]
    assert [(r.row, r.column) for r in refused] == [
        (3, "Email"),
        (4, "Email"),
        (5, "Membership status"),
        (6, "Renewal due"),
        (7, "Member bundle ID or email"),
    ]
    assert refused[0].reason == "the same address is on row 2"
    assert "Pending - Level change" in refused[2].reason


def test_a_plain_csv_maps_its_own_columns_and_a_missing_one_is_named() -> None:
    data = b"Mail,Full name,Plan\r\nada@example.org,Ada Lovelace,Individual\r\n"
    table = read_table(data)
    with pytest.raises(BadFile, match="no column for email, level"):
        columns_of(table, None)
    with pytest.raises(BadFile, match="no column 'E-mail'"):
        columns_of(table, {"email": "E-mail"})
    [record], _ = read_rows(table, columns_of(table, {"email": "mail", "level": "Plan"}))
    assert (record.email, record.name, record.level_name, record.source_status) == (
        "ada@example.org",
        "Ada Lovelace",
        "Individual",
        Source.ACTIVE,
    )
