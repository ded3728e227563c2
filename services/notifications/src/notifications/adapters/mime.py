"""Builds each email's MIME bytes with the classic `email.mime` classes (compat32 policy).

Measured on the local stack, the modern `EmailMessage` API cost about 2.5 ms per ticket email
(its header registry parses every header again), this about 0.5 ms; at a backlog's pace that
is the difference that matters (docs/benchmarks.md, B4). Layout:

    multipart/mixed            only when there are attachments (the certificate, the .ics)
      multipart/alternative
        text/plain
        multipart/related      only when images are shown inline (the ticket's QR)
          text/html
          image/png (Content-ID)
      application/pdf ...
"""

import io
from collections.abc import Sequence
from email import encoders
from email.charset import QP, Charset
from email.generator import BytesGenerator
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr

from notifications.domain.attachments import Attachment
from notifications.domain.email import RenderedEmail

UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP  # readable in any mail client's source view; base64 looks like spam


def _text(body: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(body, UTF8_QP)  # sets the charset and Content-Transfer-Encoding, and encodes
    return part


def _file(f: Attachment) -> MIMENonMultipart:
    maintype, subtype = f.content_type.split("/", 1)
    part = MIMEBase(maintype, subtype)
    part.set_payload(f.content)
    encoders.encode_base64(part)
    if f.content_id:
        part.add_header("Content-ID", f"<{f.content_id}>")
        part.add_header("Content-Disposition", "inline", filename=f.filename)
    else:
        part.add_header("Content-Disposition", "attachment", filename=f.filename)
    return part  # type: ignore[return-value]


def _header(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode()  # an RFC 2047 encoded-word


def build(email: RenderedEmail, sender: tuple[str, str], message_id: str, headers: dict[str, str],
          attachments: Sequence[Attachment] = ()) -> bytes:  # fmt: skip
    """The whole message as it goes on the wire, CRLF line ends."""
    inline = [f for f in attachments if f.content_id]
    attached = [f for f in attachments if not f.content_id]
    html: MIMENonMultipart | MIMEMultipart = _text(email.html, "html")
    if inline:
        html = MIMEMultipart("related", _subparts=[html, *(_file(f) for f in inline)])
    root: MIMEMultipart = MIMEMultipart("alternative", _subparts=[_text(email.text, "plain"), html])
    if attached:
        root = MIMEMultipart("mixed", _subparts=[root, *(_file(f) for f in attached)])
    for part in root.walk():
        if part is not root:
            del part["MIME-Version"]  # the email.mime classes stamp it on every part; it belongs on top only
    root["From"] = formataddr(sender, charset="utf-8")
    root["To"] = email.recipient
    root["Subject"] = _header(email.subject)
    root["Message-ID"] = message_id  # the same delivery always carries the same id
    for name, value in headers.items():
        root[name] = _header(value)
    out = io.BytesIO()
    BytesGenerator(out, mangle_from_=False, maxheaderlen=0).flatten(root, linesep="\r\n")
    return out.getvalue()
