"""Field types from the words of a label and its hints: date, email, phone, amount,
quantity, yes/no, choice, file, long text. The first rule that matches wins."""

from __future__ import annotations

import re

from tf_assistant.offline.plan import ascii_words

# (type, words or phrases of the label that decide it), most specific first.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("email", "e mail")),
    ("phone", ("phone", "telephone", "mobile", "tel", "cell")),
    ("url", ("website", "url", "web address", "link")),
    ("file", ("attach", "attachment", "upload", "photo", "picture", "scan", "file")),
    ("datetime", ("date and time", "time and date", "datetime")),
    (
        "date",
        ("date", "day", "deadline", "needed by", "due", "dd mm", "mm dd", "yyyy", "birthday"),
    ),
    (
        "number",
        ("amount", "price", "cost", "total", "budget", "fee", "eur", "usd", "gbp", "hours"),
    ),
    ("integer", ("quantity", "qty", "number of", "how many", "count", "stems")),
    (
        "long_text",
        (
            "description",
            "describe",
            "details",
            "notes",
            "comments",
            "reason",
            "justification",
            "instructions",
            "message",
            "explain",
            "address",
            "findings",
            "observations",
            "what happened",
            "remarks",
            "cause",
        ),
    ),
)
YES_NO = re.compile(r"\b(yes\s*/\s*no|y\s*/\s*n|yes or no)\b", re.I)
MONEY = re.compile(r"[€$£]")


def has_phrase(words: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", words) is not None


def infer_type(label: str, hint: str = "") -> str:
    """The field type a label (and its hint, such as "(dd/mm/yyyy)") suggests."""
    if YES_NO.search(f"{label} {hint}"):
        return "boolean"
    if MONEY.search(f"{label} {hint}"):
        return "number"
    words = ascii_words(f"{label} {hint}")
    for kind, phrases in RULES:
        if any(has_phrase(words, phrase) for phrase in phrases):
            return kind
    if re.search(r"(?i)\b(on|since|until)$", label.strip()):
        return "date"  # "Handed over on", "Returned to service on"
    if label.rstrip().endswith("?") and re.match(
        r"(?i)^(is|are|does|do|did|has|have|was|were|can|should|will)\b", label.strip()
    ):
        return "boolean"
    return "text"


def type_named(words: str) -> str | None:
    """The type a person names in chat: "date", "yes/no", "long text", "amount"…"""
    spoken = {
        "text": "text",
        "short text": "text",
        "long text": "long_text",
        "paragraph": "long_text",
        "date": "date",
        "date and time": "datetime",
        "datetime": "datetime",
        "email": "email",
        "e-mail": "email",
        "phone": "phone",
        "telephone": "phone",
        "amount": "number",
        "number": "number",
        "money": "number",
        "quantity": "integer",
        "integer": "integer",
        "whole number": "integer",
        "yes/no": "boolean",
        "yes-no": "boolean",
        "checkbox": "boolean",
        "boolean": "boolean",
        "choice": "choice",
        "file": "file",
        "upload": "file",
        "url": "url",
        "link": "url",
    }
    return spoken.get(words.strip().lower())
