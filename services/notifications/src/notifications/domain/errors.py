"""The refusals of notifications' use cases, in the association's words. The HTTP API turns them
into status codes (entrypoints/http/errors.py); the pages answer them in their own way."""


class Refusal(Exception):
    """A use case said no; nothing changed."""


class NoSuchDelivery(Refusal):
    """No such email in the log, or its person was erased (nothing is left to send)."""


class NotOurLink(Refusal):
    """An unsubscribe link whose signature is not ours: altered, or made up."""


class AlreadyUnsubscribed(Refusal):
    """The address asked not to get reminders before."""
