"""Email templates render both parts, escape what people typed, and never leave a placeholder."""

from html.parser import HTMLParser

import pytest
from jinja2 import UndefinedError

from notifications.adapters.templates import Renderer

VALUES = {"member_name": "Ada <b>Lovelace</b>", "level_name": "Individual", "period_end": "2027-03-01",
          "amount": "USD 75.00"}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in ("p", "strong", "html", "body"):
            self.open.append(tag)


def render() -> tuple[str, str, str]:
    email = Renderer("CIT International").render("membership.activated", "ada@example.org", **VALUES)
    assert email.recipient == "ada@example.org"
    return email.subject, email.text, email.html


def test_the_welcome_subject_names_the_association_and_the_level() -> None:
    subject, _, _ = render()
    assert subject == "Welcome to CIT International: your Individual membership is active"


def test_both_parts_carry_the_facts() -> None:
    _, text, html = render()
    for part in (text, html):
        assert "2027-03-01" in part
        assert "USD 75.00" in part
        assert "{{" not in part
        assert "{%" not in part


def test_html_escapes_what_a_person_typed_and_text_keeps_it_plain() -> None:
    _, text, html = render()
    assert "Ada &lt;b&gt;Lovelace&lt;/b&gt;" in html
    assert "Ada <b>Lovelace</b>" in text
    parser = _Tags()
    parser.feed(html)
    assert parser.open == []  # no tag came from the member's name


def test_a_lifetime_membership_says_so() -> None:
    email = Renderer("CIT").render("membership.activated", "a@b.org", **(VALUES | {"period_end": None}))
    assert "for life" in email.text


def test_a_missing_value_fails_loudly_instead_of_mailing_a_blank() -> None:
    with pytest.raises(UndefinedError, match="amount"):
        Renderer("CIT").render("membership.activated", "a@b.org", member_name="Ada", level_name="X", period_end=None)
