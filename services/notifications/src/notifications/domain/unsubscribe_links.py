"""The signed links of N4: an address signed with the association's secret, so that only the
person the email went to can unsubscribe it, without signing in."""

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class UnsubscribeLinks:
    secret: str
    api_url: str  # public_base_url: where mail clients post the one-click unsubscribe
    pages_url: str  # notifications_pages_url: where the footer's page is

    def signature(self, email: str) -> str:
        key = self.secret.encode()
        return hmac.new(key, f"unsubscribe:{email.lower()}".encode(), hashlib.sha256).hexdigest()[:32]

    def signed_by_us(self, email: str, sig: str) -> bool:
        # as bytes: compare_digest raises TypeError on a str that is not ASCII, which anyone can send
        return hmac.compare_digest(self.signature(email).encode(), sig.encode())

    def one_click_url(self, email: str) -> str:
        """The one-click address of the List-Unsubscribe header (RFC 8058): mail clients post to it."""
        return f"{self.api_url}/unsubscribe?{self._query(email)}"

    def page_url(self, email: str) -> str:
        """The footer's link: a page that says what unsubscribing means and asks to confirm."""
        return f"{self.pages_url}/mail/unsubscribe?{self._query(email)}"

    def _query(self, email: str) -> str:
        return urlencode({"email": email.lower(), "sig": self.signature(email)})
