"""Looking for a person in every column of every table of a database (reliability property 26).

The columns come from information_schema, never from a hand list, so a table or column added
later is scanned too: every text-like, json, jsonb, bytea and text-array column of every base
table outside the catalogs. Text is compared case-insensitively; bytea (outbox bodies, email
attachments) byte for byte, with the needle as UTF-8 in its own case and in lower case.
"""

from dataclasses import dataclass

import asyncpg

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "citext")
COLUMNS = """
    SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.udt_name
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
      AND (c.data_type = ANY($1::text[]) OR c.data_type = 'bytea'
           OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar', '_jsonb', '_json')))
    ORDER BY 1, 2, 3"""


@dataclass(frozen=True)
class Hit:
    database: str
    table: str
    column: str
    row: str

    def __str__(self) -> str:
        return f"{self.database}.{self.table}.{self.column}: {self.row[:300]}"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def scan(dsn: str, needles: list[str]) -> list[Hit]:
    """Every row of every table whose scanned columns contain one of `needles`."""
    database = dsn.rsplit("/", 1)[1]
    conn = await asyncpg.connect(dsn)
    try:
        hits = []
        for col in await conn.fetch(COLUMNS, list(TEXT_TYPES)):
            table = f"{_quoted(col['table_schema'])}.{_quoted(col['table_name'])}"
            column = _quoted(col["column_name"])
            if col["data_type"] == "bytea":
                found = f"position(convert_to($1, 'UTF8') IN {column}) > 0 OR position(convert_to(lower($1), 'UTF8') IN {column}) > 0"  # noqa: E501
            elif col["data_type"] == "ARRAY":
                found = f"strpos(lower(array_to_string({column}::text[], ' ')), lower($1)) > 0"
            else:
                found = f"strpos(lower({column}::text), lower($1)) > 0"
            query = f"SELECT t::text AS row FROM {table} t WHERE {found}"  # noqa: S608 - names from the catalog
            for needle in needles:
                for row in await conn.fetch(query, needle):
                    hits.append(Hit(database, col["table_name"], col["column_name"], row["row"]))
        return hits
    finally:
        await conn.close()


async def scan_all(dsns: dict[str, str], needles: list[str]) -> list[Hit]:
    return [hit for dsn in dsns.values() for hit in await scan(dsn, needles)]
