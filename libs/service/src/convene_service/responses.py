"""The answers a route can give besides its success, declared once for every service's OpenAPI
document (FastAPI `responses=`), each with the shape its body has (`PROBLEM_SCHEMA`):
`{"detail": ...}`, a sentence or, for a refused field, FastAPI's list naming it (`loc`)."""

from typing import Any

from fastapi.responses import PlainTextResponse

_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
_WHAT = {
    400: ("The body could not be read (not UTF-8 JSON), or a signature or link is not valid", {}),
    401: ("Not signed in, or the token is wrong", {"WWW-Authenticate": {"schema": {"type": "string"}}}),
    403: ("Signed in, but not as an operator", {}),
    404: ("No such thing, or not the caller's", {}),
    409: ("A conflict: a duplicate, or a state that does not allow it; nothing changed", {}),
    413: ("The uploaded file is over the size limit; nothing was read", {}),
    422: ("A field is invalid (named in `loc`); nothing was written", {}),
    429: ("Too many requests from this client; try again after Retry-After", _RETRY_AFTER),
    502: ("The payment provider did not answer; nothing was charged", {}),
    503: ("The database is unavailable; nothing was saved. Try again after Retry-After", _RETRY_AFTER),
}


# Spelled out rather than a pydantic `model=`: FastAPI would file that under the route's own media
# type, and a CSV or PDF route's refusals are JSON all the same. Extra fields are allowed (a sold-out
# ticket type names itself and its waitlist; FastAPI's problems add `input` and `ctx`).
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["loc", "msg", "type"],
                        "properties": {
                            "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                            "msg": {"type": "string"},
                            "type": {"type": "string"},
                        },
                    },
                },
            ]
        }
    },
}


def declared(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a router or a route: the given statuses, each a problem in JSON."""
    answers: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        description, headers = _WHAT[status]
        content = {"application/json": {"schema": PROBLEM_SCHEMA}}
        answers[status] = {"description": description, "content": content} | ({"headers": headers} if headers else {})
    return answers


# Every route: its input may be refused, and its database may be down.
EVERY_ROUTE = declared(422, 503)
# A route with a JSON body: the body parser's 400.
WITH_BODY = declared(400)
# Operator routes: the bearer token is missing or wrong (401), or a member's (403).
OPERATORS = declared(401, 403)


class CsvResponse(PlainTextResponse):
    """A CSV export: declared as text/csv in the OpenAPI document, as it is sent."""

    media_type = "text/csv"
