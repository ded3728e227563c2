"""Every email renders for a realistic event: both parts, the association's look, nothing left
unrendered, valid HTML, what a person typed escaped; operators' overrides are checked at start."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from notifications.adapters.templates import BrokenTemplate, Renderer
from notifications.domain.catalog import KINDS
from tests.support.samples import sample_events

BRANDING = {"association": "CIT International", "colour": "#0b5394", "address": "PO Box 1, Memphis TN"}
VOID = {"meta", "br", "img", "hr", "input", "link"}


class _Balanced(HTMLParser):
    """Fails on a closing tag that does not close the innermost open one."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1] == tag, f"</{tag}> closes <{self.open[-1]}>"
        self.open.pop()


def rendered() -> dict[str, tuple[str, str, str, str]]:
    renderer = Renderer(BRANDING)
    result = {}
    for event_type, event in sample_events().items():
        [owed, *_] = KINDS[event_type].emails(event)
        email = renderer.render(event_type, owed.recipient, **owed.values)
        result[event_type] = (email.recipient, email.subject, email.text, email.html)
    return result


def test_every_event_a_person_hears_about_has_a_template() -> None:
    assert set(sample_events()) == set(KINDS)


@pytest.mark.parametrize("event_type", sorted(KINDS))
def test_each_email_renders_both_parts_with_nothing_left_over(event_type: str) -> None:
    recipient, subject, text, html = rendered()[event_type]
    assert recipient == "ada@example.org"
    assert subject
    assert "\n" not in subject
    for part in (subject, text, html):
        assert "{{" not in part
        assert "{%" not in part
        assert "None" not in part
    assert "CIT International" in text
    assert "PO Box 1, Memphis TN" in html
    assert "#0b5394" in html
    parser = _Balanced()
    parser.feed(html)
    assert parser.open == []


@pytest.mark.parametrize(
    ("event_type", "subject", "in_text"),
    [
        ("membership.activated", "Welcome to CIT International: your Individual membership is active", "USD 75.00"),
        ("membership.expiring_soon", "Your Individual membership ends in 7 days", "Renew from your member page"),
        ("membership.sign_in_requested", "Your sign-in link for CIT International", "members.example/sign-in/abc"),
        ("conference.registration_held", "Complete your registration for CIT International 2027", "15:45 UTC"),
        ("conference.registration_confirmed", "Your ticket for CIT International 2027: 7F3A9C21B4", "7F3A9C21B4"),
        ("conference.refund_issued", "Refund of USD 262.50 for CIT International 2027", "USD 262.50"),
        ("conference.waitlist_offered", "A seat is yours: Full conference at CIT International 2027", "claim?token="),
        ("conference.certificate_issued", "Your certificate of attendance: CIT International 2027", "14.5 hours"),
    ],
)
def test_subjects_and_key_facts(event_type: str, subject: str, in_text: str) -> None:
    _, actual_subject, text, _ = rendered()[event_type]
    assert actual_subject == subject
    assert in_text in text


def test_what_a_person_typed_is_escaped_in_html_and_plain_in_text() -> None:
    _, _, text, html = rendered()["membership.renewed"]
    assert "Ada &lt;b&gt;Lovelace&lt;/b&gt;" in html
    assert "Ada <b>Lovelace</b>" in text


def test_an_operators_override_replaces_the_built_in_template(tmp_path: Path) -> None:
    (tmp_path / "membership.lapsed.subject.j2").write_text("We miss you, {{ member_name }}")
    owed = KINDS["membership.lapsed"].emails(sample_events()["membership.lapsed"])[0]
    email = Renderer(BRANDING, tmp_path).render("membership.lapsed", owed.recipient, **owed.values)
    assert email.subject == "We miss you, Ada <b>Lovelace</b>"


def test_a_broken_override_stops_the_start_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "membership.lapsed.txt.j2").write_text("Dear {{ member_name }},\n\n{% if level_name %}unclosed\n")
    with pytest.raises(BrokenTemplate, match=r"membership\.lapsed\.txt\.j2, line 3: Unexpected end of template"):
        Renderer(BRANDING, tmp_path)


@pytest.mark.parametrize(
    "event_type", ["membership.activated", "membership.lapsed", "membership.cancelled", "membership.seat_assigned"]
)
def test_an_import_without_an_invitation_owes_nobody_an_email(event_type: str) -> None:
    """docs/membership.md, "Import members (M12)": the operator chooses whether members hear of it."""
    event = sample_events()[event_type]
    quiet = event.model_copy(update={"payload": event.payload.model_copy(update={"notify_member": False})})
    assert KINDS[event_type].emails(event) != []
    assert KINDS[event_type].emails(quiet) == []
