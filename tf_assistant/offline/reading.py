"""Reads a document's text into a Plan.

- the title (a `#` heading, or the first line) names the ticket type;
- `##` headings (or short title-like lines followed by fields) start sections of the form;
- numbered steps (`1. …`, `Step 2: …`) and sections for office use or approval start
  tasks: the fields under them are what the task fills in;
- `Label: ____`, `Label:`, table rows with an empty cell, and `[ ] a [ ] b` lists give
  fields; `*` or "(required)" marks a required one.
"""

from __future__ import annotations

import re

from tf_assistant.offline.plan import FieldPlan, Plan, Section, TaskPlan, ascii_words
from tf_assistant.offline.types import infer_type

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
STEP = re.compile(r"^(?:step\s+(\d+)\s*[:.\-\u2013\u2014)]?|(\d+)\s*[.)])\s+(.+)$", re.I)
BOX = r"(?:\[\s?\]|\[x\]|☐|☑|□|○)"
OPTION_LINE = re.compile(rf"^(?:[-*•]\s+)?{BOX}\s*(.+)$", re.I)
BLANKS = re.compile(r"[_.…/\s]+")
FIELD = re.compile(r"^(?:[-*•]\s+)?(?P<label>[^:|]{1,80}?)\s*:\s*(?P<rest>.*)$")
INLINE_OPTIONS = re.compile(rf"^(?:[-*•]\s+)?(?P<label>[^:|\[☐□○]{{1,80}}?)\s*(?P<rest>{BOX}.*)$")
UNDERSCORED = re.compile(r"^(?:[-*•]\s+)?(?P<label>[^:|_]{1,80}?)\s*_{3,}\s*(?P<rest>.*)$")
DATE_BLANKS = re.compile(r"_+\s*/\s*_+\s*/\s*_+")
TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}")
HINT = re.compile(r"\(([^)]*)\)")
TASK_SECTION = re.compile(
    r"for \w+ use|office use|approv|authori[sz]|sign[- ]?off|internal use|staff use|"
    r"completed by|to be completed|processing|fulfil|review",
    re.I,
)
MULTI = re.compile(r"all that apply|tick all|select all|choose all|any that apply", re.I)
REQUIRED = re.compile(r"\(\s*required\s*\)|\*", re.I)


def read_plan(text: str, fallback_title: str = "New request") -> Plan:
    return _Reader(fallback_title).read(text)


def _blank(value: str) -> bool:
    return not BLANKS.sub("", value)


def _options(rest: str) -> list[str]:
    parts = re.split(BOX, rest)
    return [p.strip(" ,;/") for p in parts[1:] if p.strip(" ,;/")]


class _Reader:
    def __init__(self, fallback_title: str) -> None:
        self.plan = Plan(title="")
        self.fallback_title = fallback_title
        self.section: Section | None = None
        self.task: TaskPlan | None = None
        self.last: FieldPlan | None = None  # a field that may still take options

    def read(self, text: str) -> Plan:
        lines = [line.strip() for line in text.splitlines()]
        for i, line in enumerate(lines):
            if line:
                self._line(line, _next_line(lines, i))
        if not self.plan.title:
            self.plan.title = self.fallback_title
        return self.plan

    # -- structure ------------------------------------------------------------------

    def _line(self, line: str, following: str) -> None:
        line = line.replace("**", "").strip()
        if heading := HEADING.match(line):
            if len(heading.group(1)) == 1 and not self.plan.title:
                self.plan.title = heading.group(2).strip()
            else:
                self._heading(heading.group(2).strip(), numbered_line=False)
            return
        if not self.plan.title:
            self.plan.title = line[:120]
            return
        if line.startswith("|"):
            self._table_row(line, following)
            return
        if option := OPTION_LINE.match(line):
            self._option(option.group(1).strip())
            return
        if step := STEP.match(line):
            self._step(step.group(3))
            return
        if self._field_line(line):
            return
        if _looks_like_heading(line) and _starts_fields(following):
            self._heading(line, numbered_line=False)
            return
        self._prose(line)

    def _heading(self, text: str, *, numbered_line: bool) -> None:
        self.last = None
        if re.match(r"(?i)^step\s+\d+", text) or TASK_SECTION.search(text):
            self._step(re.sub(r"(?i)^step\s+\d+\s*[:.\-\u2013\u2014)]?\s*", "", text))
            return
        self.task = None
        self.section = Section(title=text.rstrip(":")[:120])
        self.plan.sections.append(self.section)

    def _step(self, text: str) -> None:
        self.last = None
        name = re.split(r"(?<=[a-z0-9)])[.:;]\s", text.rstrip(".:"), maxsplit=1)[0]
        self.task = TaskPlan(name=name[:120].strip(), description=text[:5000])
        self.plan.tasks.append(self.task)

    def _prose(self, line: str) -> None:
        self.last = None
        if self.task is not None:
            if line not in self.task.description:
                self.task.description = f"{self.task.description} {line}".strip()[:5000]
        elif self.section is None and not self.plan.sections and not self.plan.form_fields:
            self.plan.description = f"{self.plan.description} {line}".strip()[:5000]

    # -- fields ---------------------------------------------------------------------

    def _field_line(self, line: str) -> bool:
        match = FIELD.match(line) or INLINE_OPTIONS.match(line) or UNDERSCORED.match(line)
        if match is None:
            return False
        label, rest = match.group("label").strip(), match.group("rest").strip()
        options = _options(rest)
        hints = "" if options else " ".join(HINT.findall(rest))  # "(€35)" belongs to an option
        if DATE_BLANKS.search(rest):
            hints = f"{hints} date".strip()
        if not options and not _blank(HINT.sub("", rest)):
            return False  # "Note: the form is…" is prose, not a field
        field = self._add_field(label, hints, options)
        # "Equipment:" with nothing after it may be followed by its options, one a line.
        self.last = field if field is not None and (options or not rest) else None
        return True

    def _table_row(self, line: str, following: str) -> None:
        if TABLE_SEPARATOR.match(line) or TABLE_SEPARATOR.match(following.lstrip("| ")):
            return  # a separator, or the header row above one
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        label, rest = cells[0].rstrip(":").strip(), " ".join(cells[1:])
        if not label or len(label) > 80:
            return
        options = _options(rest)
        if options or _blank(HINT.sub("", rest)):
            self._add_field(label, " ".join(HINT.findall(rest)), options)
        self.last = None

    def _option(self, text: str) -> None:
        if self.last is not None and not self.last.options and self.last.type == "text":
            many = MULTI.search(f"{self.last.label} {self.last.help}")
            self.last.type = "multi_choice" if many else "choice"
        if self.last is not None and self.last.type in ("choice", "multi_choice"):
            self.last.options.append(text[:120])
            self._settle_yes_no(self.last)
            return
        # A box on its own line is a yes/no question: "[ ] I agree to the terms".
        self._add_field(text, "", [], kind="boolean")
        self.last = None

    def _add_field(
        self, label: str, hint: str, options: list[str], kind: str = ""
    ) -> FieldPlan | None:
        required = bool(REQUIRED.search(label) or REQUIRED.search(hint))
        clean = REQUIRED.sub("", label).strip(" -\u2013:")
        hint_in_label = " ".join(HINT.findall(clean))
        clean = HINT.sub("", clean).strip() or clean
        hint = " ".join(h for h in (hint, hint_in_label) if h and h.lower() != "required")
        if not clean:
            return None
        if options:
            kind = "multi_choice" if MULTI.search(f"{label} {hint}") else "choice"
        field = FieldPlan(
            name=self.plan.unique_name(clean),
            label=clean[:120],
            type=kind or infer_type(clean, hint),
            required=required,
            options=[o[:120] for o in dict.fromkeys(options)],
            help=hint[:500] if len(hint.split()) >= 3 and not MULTI.search(hint) else "",
        )
        if kind == "" and not options and MULTI.search(f"{label} {hint}"):
            field.type = "multi_choice"
        self._settle_yes_no(field)
        self._place(field)
        return field

    def _settle_yes_no(self, field: FieldPlan) -> None:
        if sorted(ascii_words(o) for o in field.options) == ["no", "yes"]:
            field.type, field.options = "boolean", []

    def _place(self, field: FieldPlan) -> None:
        if self.task is not None:
            self.task.outputs.append(field)
            return
        if self.section is None:
            self.section = Section(title="Details")
            self.plan.sections.append(self.section)
        self.section.fields.append(field)


def _next_line(lines: list[str], i: int) -> str:
    return next((line for line in lines[i + 1 :] if line), "")


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 8
        and len(line) <= 60
        and line[0].isupper()
        and not line.endswith((".", ",", ";", ":"))
    )


def _starts_fields(line: str) -> bool:
    return bool(
        line.startswith("|")
        or OPTION_LINE.match(line)
        or STEP.match(line)
        or (FIELD.match(line) and _blank(HINT.sub("", FIELD.match(line).group("rest"))))  # type: ignore[union-attr]
        or UNDERSCORED.match(line)
    )
