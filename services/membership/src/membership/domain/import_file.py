"""Reading a contacts export (M12): the bytes of a CSV or an XLSX file into a header and its rows.

Wild Apricot writes CSV in UTF-8 with a byte-order mark, and people re-save it from Excel as
UTF-16 or Windows-1252, with commas or semicolons: every one of those reads the same here. A file
that is none of them, or an XLSX that is not one, is refused whole (`BadFile`), naming the problem.
"""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from membership.domain.errors import BadFile

XLSX_MAGIC = b"PK\x03\x04"  # an XLSX is a zip archive
Cell = str | date


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, Cell]]]  # the row's number in the file (the header is row 1)
    encoding: str  # what was detected: utf-8, utf-8-sig, utf-16, cp1252 or xlsx


def read_table(data: bytes, file_name: str = "") -> Table:
    if data.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx(data)
    text, encoding = decode(data)
    return _csv(text, encoding)


def decode(data: bytes) -> tuple[str, str]:
    """UTF-16 and UTF-8 by their byte-order marks, else UTF-8 if it decodes, else Windows-1252
    (Excel's "CSV" on Windows). Windows-1252 leaves five bytes undefined: a file holding one is
    in no encoding Convene knows."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise BadFile("file", "the file starts as UTF-16 but is not valid UTF-16") from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise BadFile("file", f"the file starts as UTF-8 but byte {error.start} is not UTF-8") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise BadFile("file", f"byte {error.start} is neither UTF-8, UTF-16 nor Windows-1252 text") from None


def _csv(text: str, encoding: str) -> Table:
    if "\x00" in text:
        raise BadFile("file", "the file holds NUL characters: it is not a CSV file (an XLSX renamed?)")
    first_line = text.split("\n", 1)[0]
    # Excel in many European locales writes semicolons; the header row tells which one was used.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines: list[list[Cell]] = [list(line) for line in reader]
    except csv.Error as error:
        raise BadFile("file", f"the CSV cannot be read: {error}") from None
    return _table(lines, encoding)


def _xlsx(data: bytes) -> Table:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0] if book.worksheets else None
        lines = [] if sheet is None else [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    # Whatever a damaged archive makes the parser raise, the answer is the same: not a workbook.
    except (InvalidFileException, zipfile.BadZipFile, Exception):  # noqa: BLE001 - untrusted input to a parser
        raise BadFile("file", "the file is not an XLSX workbook (save it from Excel as .xlsx or as CSV)") from None
    return _table(lines, "xlsx")


def _xlsx_cell(value: object) -> Cell:
    if isinstance(value, datetime):  # a date cell: openpyxl reads Excel's serial as a datetime
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed in a cell: 42, not 42.0
    return str(value)


def _table(lines: list[list[Cell]], encoding: str) -> Table:
    if not lines:
        raise BadFile("file", "the file is empty")
    header = [str(cell).strip() for cell in lines[0]]
    if not any(header):
        raise BadFile("file", "the first row must name the columns")
    rows: list[tuple[int, dict[str, Cell]]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(str(cell).strip() for cell in line):
            continue  # blank rows (Excel leaves them at the end)
        cells = {name: (line[i] if i < len(line) else "") for i, name in enumerate(header) if name}
        rows.append((number, cells))
    return Table([c for c in header if c], rows, encoding)
