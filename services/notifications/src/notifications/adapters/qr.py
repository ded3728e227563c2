"""Draws the ticket's QR code the catalog asks for (domain/attachments.py's TicketQr) as the
attendee's page draws it: convene_web.qr, a regular QR code phone cameras read."""

from convene_web.qr import qr_png
from notifications.domain.attachments import Attachment, TicketQr


def drawn(qr: TicketQr) -> Attachment:
    return Attachment(qr.filename, qr.content_type, qr_png(qr.ticket_code), content_id=qr.content_id)
