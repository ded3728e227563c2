"""Renders email templates with Jinja2 (HTML autoescaped) from the package's templates folder."""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notifications.domain.email import RenderedEmail

TEMPLATES = Path(__file__).parent.parent / "templates"


class Renderer:
    def __init__(self, association: str, folder: Path = TEMPLATES) -> None:
        # StrictUndefined: a missing value fails loudly instead of mailing an empty placeholder.
        self._env = Environment(loader=FileSystemLoader(folder), undefined=StrictUndefined,
                                autoescape=select_autoescape(["html.j2"]), keep_trailing_newline=False)  # fmt: skip
        self._association = association

    def render(self, template: str, recipient: str, **values: Any) -> RenderedEmail:
        values["association"] = self._association

        def part(kind: str) -> str:
            return self._env.get_template(f"{template}.{kind}.j2").render(values)

        return RenderedEmail(template, recipient, part("subject").strip(), part("txt"), part("html"))
