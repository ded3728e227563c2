"""Writes each email's MIME bytes for the one layout Convene sends:

    multipart/mixed            only when there are attachments (the certificate, the .ics)
      multipart/alternative
        text/plain             quoted-printable, UTF-8: readable in any mail client's source view
        multipart/related      only when images are shown inline (the ticket's QR)
          text/html
          image/png (Content-ID)
      application/pdf ...

Written here rather than by the `email` package's generator: for a backlog that generator was
the largest single cost of sending (it compiles a regular expression for every boundary it
makes and re-folds every header), 0.68 ms per ticket email against 0.04 here
(docs/benchmarks.md, B4). The standard library still does the encoding: binascii's
quoted-printable and base64, and `email.header` for non-ASCII headers (RFC 2047). Tests read
every message back with the `email` package.

Boundaries begin with "=_", which neither quoted-printable nor base64 text can contain, and
carry the Message-ID's token, so the same delivery always gives the same bytes.
"""

import binascii
from collections.abc import Sequence
from email.header import Header
from email.utils import formataddr

from notifications.domain.attachments import Attachment
from notifications.domain.email import RenderedEmail

CRLF = b"\r\n"
Part = tuple[list[str], bytes]  # header lines, then the body as it goes on the wire


def _header(value: str) -> str:
    value = " ".join(value.splitlines())  # a line break in a value would start a header of its own
    if value.isascii():
        return value
    return Header(value, "utf-8").encode(linesep="\r\n")  # RFC 2047 encoded-words, folded


def _text(body: str, subtype: str) -> Part:
    lines = body.replace("\r\n", "\n").replace("\r", "\n").encode()  # any line end is one line end
    encoded = binascii.b2a_qp(lines, quotetabs=False, istext=True, header=False)
    encoded = encoded.replace(b"\n", CRLF)  # its line ends and soft breaks, as the wire wants them
    return [f'Content-Type: text/{subtype}; charset="utf-8"', "Content-Transfer-Encoding: quoted-printable"], encoded


def _file(f: Attachment) -> Part:
    disposition = "inline" if f.content_id else "attachment"
    headers = [
        f"Content-Type: {f.content_type}",
        "Content-Transfer-Encoding: base64",
        f'Content-Disposition: {disposition}; filename="{f.filename}"',
    ]
    if f.content_id:
        headers.append(f"Content-ID: <{f.content_id}>")
    return headers, _base64_lines(f.content)


def _base64_lines(content: bytes) -> bytes:
    encoded = binascii.b2a_base64(content, newline=False)
    return CRLF.join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def _wire(part: Part) -> bytes:
    headers, body = part
    return "\r\n".join(headers).encode() + CRLF + CRLF + body


def _multipart(subtype: str, boundary: str, parts: list[Part]) -> Part:
    delimiter = b"--" + boundary.encode()
    body = b"".join(delimiter + CRLF + _wire(p) + CRLF for p in parts) + delimiter + b"--" + CRLF
    return [f'Content-Type: multipart/{subtype}; boundary="{boundary}"'], body


def build(
    email: RenderedEmail,
    sender: tuple[str, str],
    message_id: str,
    headers: dict[str, str],
    attachments: Sequence[Attachment] = (),
) -> bytes:
    """The whole message as it goes on the wire, CRLF line ends."""
    token = "".join(c for c in message_id if c.isalnum())[:40]
    inline = [f for f in attachments if f.content_id]
    attached = [f for f in attachments if not f.content_id]
    html = _text(email.html, "html")
    if inline:
        html = _multipart("related", f"=_{token}_r", [html, *(_file(f) for f in inline)])
    root = _multipart("alternative", f"=_{token}_a", [_text(email.text, "plain"), html])
    if attached:
        root = _multipart("mixed", f"=_{token}_m", [root, *(_file(f) for f in attached)])
    from_ = formataddr(sender, charset="utf-8").replace("\n", "\r\n")  # a long name comes folded
    top = [
        f"From: {from_}",
        f"To: {_header(email.recipient)}",
        f"Subject: {_header(email.subject)}",
        f"Message-ID: {message_id}",
        *(f"{name}: {_header(value)}" for name, value in headers.items()),
        "MIME-Version: 1.0",
    ]
    root_headers, root_body = root
    return _wire((top + root_headers, root_body))
