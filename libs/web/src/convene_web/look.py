"""The association's look from configuration, kept readable whatever colour it chose.

Text on the association's colour is black or white, whichever contrasts more (that is always at
least 4.58:1, above WCAG AA's 4.5:1); links use the colour itself only if it reads on white,
otherwise a darker shade of it.
"""

from dataclasses import dataclass

from convene_web.settings import WebSettings

WHITE, BLACK = "#ffffff", "#000000"
AA = 4.5


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(colour: str) -> str:
    return WHITE if contrast(colour, WHITE) >= contrast(colour, BLACK) else BLACK


def darkened_until_readable(colour: str, background: str = WHITE) -> str:
    r, g, b = _channels(colour)
    shade = colour.lower()
    for step in range(21):
        keep = 1 - step / 20
        shade = f"#{int(r * keep):02x}{int(g * keep):02x}{int(b * keep):02x}"
        if contrast(shade, background) >= AA:
            break
    return shade


@dataclass(frozen=True)
class Look:
    name: str
    colour: str
    on_colour: str
    link: str
    logo_url: str | None
    address: str

    @classmethod
    def of(cls, settings: WebSettings) -> "Look":
        colour = settings.association_colour.lower()
        return cls(
            name=settings.association_name,
            colour=colour,
            on_colour=text_on(colour),
            link=darkened_until_readable(colour),
            logo_url=settings.association_logo_url,
            address=settings.association_address,
        )

    def css(self) -> str:
        """The one stylesheet that changes per association; convene.css reads these variables."""
        return f":root {{ --brand: {self.colour}; --on-brand: {self.on_colour}; --link: {self.link}; }}\n"
