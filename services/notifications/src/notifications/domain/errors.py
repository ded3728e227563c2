"""The refusals of notifications' use cases, in the association's words. The HTTP API turns them
into status codes (entrypoints/http/errors.py); the pages answer them in their own way."""


class Refusal(Exception):
    """A use case said no; nothing changed."""


class NoSuchDelivery(Refusal):
    """No such email in the log, or its person was erased or its bodies were pruned (nothing is
    left to send)."""


class NotOurLink(Refusal):
    """An unsubscribe link whose signature is not ours: altered, or made up."""


class AlreadyUnsubscribed(Refusal):
    """The address asked not to get reminders before."""


class EmailNotSent(Exception):
    """The SMTP server did not take an email. `permanent`: it said never (a 5xx answer); otherwise
    (a 4xx answer, a lost connection, a timeout) the email is tried again after a backoff."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent
