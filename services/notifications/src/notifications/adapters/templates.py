"""Renders the email templates with Jinja2: HTML autoescaped, every value required.

Operators override any template by putting a file of the same name in TEMPLATES_OVERRIDE_DIR.
Every template is compiled at start, so a broken override stops the service with its file and
line instead of failing when an email is due; a changed override is read at the next start.
"""

from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateSyntaxError,
    select_autoescape,
)

from notifications.domain.email import RenderedEmail

TEMPLATES = Path(__file__).parent.parent / "templates"


class BrokenTemplate(SystemExit):
    """A template does not compile; the message names the file and the line."""


class Renderer:
    def __init__(self, branding: dict[str, Any], override_dir: Path | None = None) -> None:
        folders = [str(override_dir)] if override_dir else []
        # StrictUndefined: a missing value fails loudly instead of mailing an empty placeholder.
        self._env = Environment(
            loader=ChoiceLoader([FileSystemLoader([*folders, str(TEMPLATES)])]),
            undefined=StrictUndefined,
            autoescape=select_autoescape(["html.j2"]),
            keep_trailing_newline=False,
            # Compiled once at start, checked there; an edited override takes effect on restart. Jinja
            # would otherwise look at every file's modification time for every email it renders.
            auto_reload=False,
        )
        self._branding = branding
        self._check(override_dir)

    def _check(self, override_dir: Path | None) -> None:
        names = {p.name for p in TEMPLATES.glob("*.j2")}
        if override_dir:
            names |= {p.name for p in override_dir.glob("*.j2")}
        for name in sorted(names):
            try:
                self._env.get_template(name)
            except TemplateSyntaxError as error:
                where = f"Email template {error.filename or name}, line {error.lineno}"
                raise BrokenTemplate(f"{where}: {error.message}") from None

    def render(self, template: str, recipient: str, **values: Any) -> RenderedEmail:
        values = self._branding | {"unsubscribe_url": None} | values

        def part(kind: str) -> str:
            return self._env.get_template(f"{template}.{kind}.j2").render(values)

        return RenderedEmail(template, recipient, part("subject").strip(), part("txt"), part("html"))
