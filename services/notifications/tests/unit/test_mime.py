"""The wire format of an email: what any mail client must be able to read back exactly."""

from email import message_from_bytes, policy
from email.message import EmailMessage

from notifications.adapters import mime
from notifications.domain.attachments import Attachment
from notifications.domain.email import RenderedEmail

UNSUBSCRIBE = "<https://mail.cit.example/unsubscribe?email=p-2781c84542%40example.org&sig=3fd10b45020c4b665d3e2e0f4bc7>"


def read(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_non_ascii_subject_sender_and_bodies_read_back_exactly() -> None:
    subject = "Votre billet pour la conférence CIT 2027 à Chicago — une ligne de sujet bien plus longue que 78"
    text = "Bonjour Zoë,\nsig=4bc6 must stay as typed; a line " + " ".join(["long"] * 30)
    email = RenderedEmail("t", "zoe@example.org", subject, text, "<p>Zoë &amp; a=3D</p>")
    message = read(
        mime.build(email, ("Association Ünë", "no-reply@cit.example"), "<1@convene>", {"List-Unsubscribe": UNSUBSCRIBE})
    )
    assert message["Subject"] == subject
    assert message["From"] == "Association Ünë <no-reply@cit.example>"
    assert message["List-Unsubscribe"] == UNSUBSCRIBE
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert plain.get_content().replace("\r\n", "\n").rstrip("\n") == text
    assert html.get_content().strip() == "<p>Zoë &amp; a=3D</p>"


def test_inline_images_are_related_to_the_html_and_files_are_attached() -> None:
    email = RenderedEmail("t", "ada@example.org", "Ticket", "t", '<img src="cid:ticket-qr">')
    files = [
        Attachment("ticket.png", "image/png", b"\x89PNG...", "ticket-qr"),
        Attachment("certificate.pdf", "application/pdf", b"%PDF-1.3", None),
    ]
    message = read(mime.build(email, ("CIT", "no-reply@cit.example"), "<2@convene>", {}, files))
    assert message.get_content_type() == "multipart/mixed"
    [alternative, pdf] = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    related = next(p for p in alternative.iter_parts() if p.get_content_type() == "multipart/related")
    [html, png] = related.iter_parts()
    assert html.get_content_type() == "text/html"
    assert (png["Content-ID"], png.get_content_disposition(), png.get_content()) == (
        "<ticket-qr>",
        "inline",
        b"\x89PNG...",
    )
    assert (pdf.get_filename(), pdf.get_content_disposition(), pdf.get_content()) == (
        "certificate.pdf",
        "attachment",
        b"%PDF-1.3",
    )
    assert [p for p in message.walk() if p is not message and p["MIME-Version"]] == []


def test_no_line_is_longer_than_mail_allows_and_large_files_read_back_exactly() -> None:
    pdf = bytes(range(256)) * 40  # 10 KB of every byte value
    text = "x" * 500 + "\n" + "trailing space \n" + "é" * 300 + "\r\nend"
    email = RenderedEmail("t", "ada@example.org", "Certificate", text, "<p>" + "y" * 2000 + "</p>")
    raw = mime.build(
        email,
        ("CIT", "no-reply@cit.example"),
        "<3@convene>",
        {},
        [Attachment("certificate.pdf", "application/pdf", pdf, None)],
    )
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF everywhere, nothing bare
    assert b"\r" not in raw.replace(b"\r\n", b"")
    message = read(raw)
    plain = message.get_body(("plain",))
    assert plain is not None
    assert plain.get_content().replace("\r\n", "\n") == text.replace("\r\n", "\n")
    [_, attached] = message.iter_parts()
    assert attached.get_content() == pdf


def test_a_body_that_quotes_the_boundary_cannot_end_its_part() -> None:
    first = mime.build(RenderedEmail("t", "a@example.org", "S", "t", "h"), ("CIT", "n@cit.example"), "<4@convene>", {})
    boundary = read(first).get_boundary()
    assert boundary is not None
    text = f"--{boundary}--\nstill the text"
    email = RenderedEmail("t", "a@example.org", "S", text, "<p>h</p>")
    message = read(mime.build(email, ("CIT", "n@cit.example"), "<4@convene>", {}))
    assert message.get_boundary() == boundary  # the same delivery, the same boundary
    plain = message.get_body(("plain",))
    assert plain is not None
    assert plain.get_content().replace("\r\n", "\n") == text


def test_a_line_break_in_a_header_value_cannot_add_a_header() -> None:
    email = RenderedEmail("t", "a@example.org", "Hello\r\nBcc: everyone@example.org", "t", "h")
    message = read(mime.build(email, ("CIT", "n@cit.example"), "<5@convene>", {"X-Note": "a\nb"}))
    assert message["Bcc"] is None
    assert message["Subject"] == "Hello Bcc: everyone@example.org"
    assert message["X-Note"] == "a b"


def test_the_same_delivery_is_the_same_bytes() -> None:
    email = RenderedEmail("t", "a@example.org", "Résumé", "t", "h")
    files = [Attachment("ticket.png", "image/png", b"\x89PNG", "ticket-qr")]
    build = [mime.build(email, ("CIT", "n@cit.example"), "<6@convene>", {}, files) for _ in range(2)]
    assert build[0] == build[1]
