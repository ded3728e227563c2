"""Custom registration questions per conference (C3): typed, required or optional."""

from typing import Any

from conference.domain.errors import RegistrationRefused


def check_answers(questions: list[dict[str, Any]], answers: dict[str, Any], where: str) -> None:
    """Each question is {"key", "label", "type": "text"|"choice"|"yes_no", "required", "choices"}."""
    known = {q["key"] for q in questions}
    for key in answers:
        if key not in known:
            raise RegistrationRefused(f"{where}.{key}", "not a question of this conference")
    for q in questions:
        value = answers.get(q["key"])
        field = f"{where}.{q['key']}"
        if value is None or value == "":
            if q.get("required"):
                raise RegistrationRefused(field, f"'{q['label']}' needs an answer")
            continue
        match q["type"]:
            case "text" if not isinstance(value, str) or len(value) > 2000:
                raise RegistrationRefused(field, "must be text of at most 2000 characters")
            case "choice" if value not in q.get("choices", []):
                raise RegistrationRefused(field, f"must be one of {', '.join(q.get('choices', []))}")
            case "yes_no" if not isinstance(value, bool):
                raise RegistrationRefused(field, "must be true or false")
