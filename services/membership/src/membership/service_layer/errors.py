"""Why a use case refused, in the association's words. The HTTP layer maps each to a status."""


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
