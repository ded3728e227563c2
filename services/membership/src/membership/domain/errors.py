"""Why a use case or a membership refused, in the association's words. The HTTP layer
(`entrypoints/http/errors.py`) maps each to a status; the pages show the same words."""


class NotFound(Exception):
    """No such thing, or not the caller's to see (members never learn which)."""


class Conflict(Exception):
    """The request clashes with the current state (a duplicate, or a state that does not allow it)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Invalid(Exception):
    """The request is well-formed but does not fit (e.g. a currency the level is not priced in)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class InvalidTransition(Exception):
    """The membership is not in a state that allows this change."""


class SeatLimitReached(Exception):
    """The organization has already assigned every seat its level includes."""


class LevelNameTaken(Exception):
    """Another level has this name already (level names are unique)."""


class SeatHeldAlready(Exception):
    """This person holds a seat of this membership already (one seat per person)."""


class NotYours(Exception):
    """A staff member asked to act on another's account without being an owner (403)."""


class BadFile(Exception):
    """An import's file cannot be read as a whole (encoding, format, header, size): nothing of it
    is taken, and the operator hears which part is at fault."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.status = status
