"""Reads the local stack's mailbox (the Maildir `./convene up` keeps in .local/dev/mail) as a mail
client would: each message parsed, its text part decoded (quoted-printable included).

    .venv/bin/python deploy/local/mailbox.py subjects       # every message: To and Subject, oldest first
    .venv/bin/python deploy/local/mailbox.py link /sign-in/  # the newest link containing /sign-in/
    .venv/bin/python deploy/local/mailbox.py link /sign-in/ --wait 30  # ... waiting up to 30 s for it
"""

import re
import sys
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

MAILDIR = Path(__file__).resolve().parents[2] / ".local" / "dev" / "mail"
LINK = re.compile(r"https?://[^\s<>\"')]+")


def messages() -> list[EmailMessage]:
    files = sorted(
        (p for folder in ("cur", "new") for p in (MAILDIR / folder).glob("*")), key=lambda p: p.stat().st_mtime
    )
    parser = BytesParser(policy=policy.default)
    return [message for p in files if isinstance(message := parser.parsebytes(p.read_bytes()), EmailMessage)]


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    return body.get_content() if isinstance(body, EmailMessage) else ""


def newest_link(containing: str) -> str | None:
    for message in reversed(messages()):
        links = [link for link in LINK.findall(text_of(message)) if containing in link]
        if links:
            return str(links[-1])
    return None


def main(args: list[str]) -> int:
    if args == ["subjects"]:
        for message in messages():
            print(f"{message['To']}: {message['Subject']}")
        return 0
    if len(args) in (2, 4) and args[0] == "link" and (len(args) == 2 or args[2] == "--wait"):
        deadline = time.monotonic() + (float(args[3]) if len(args) == 4 else 0)
        while True:
            link = newest_link(args[1])
            if link is not None:
                print(link)
                return 0
            if time.monotonic() >= deadline:
                print(f"no email in {MAILDIR} has a link containing {args[1]}", file=sys.stderr)
                return 1
            time.sleep(0.2)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
