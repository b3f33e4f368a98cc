"""The offline generator: needs nothing outside the machine and always answers the same
way to the same conversation. Documents become a Plan, chat lines edit it, and the set
(with its layouts) is built from the Plan every turn."""

from __future__ import annotations

from collections.abc import Mapping

from tf_assistant.offline.building import build_set, plan_of
from tf_assistant.offline.edits import HELP, EditNotUnderstood, apply_edit, instructions
from tf_assistant.offline.plan import Plan
from tf_assistant.offline.reading import read_plan
from tf_events.assistant.generator import Check, Conversation, Draft, Progress, Reply


def describe(plan: Plan) -> str:
    fields = plan.form_fields
    required = sum(f.required for f in fields)
    tasks = ", ".join(f"“{t.name}”" for t in plan.tasks) or "one task to handle it"
    return (
        f"“{plan.title}”: a form of {len(fields)} fields ({required} required) in "
        f"{len(plan.sections)} section{'s' if len(plan.sections) != 1 else ''}, then {tasks}."
    )


class OfflineGenerator:
    name = "offline"
    title = "Offline (reads the document; no AI)"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OfflineGenerator:
        return cls()

    def respond(
        self, conversation: Conversation, draft: Draft | None, check: Check, progress: Progress
    ) -> Reply:
        latest = conversation.messages[-1] if conversation.messages else None
        attached = [d for d in conversation.documents if latest and d.name in latest.attachments]
        if attached or (draft is None and conversation.documents):
            source = attached[-1] if attached else conversation.documents[-1]
            progress(f"Reading {source.name}…")
            plan = read_plan(source.text, fallback_title=source.name.rsplit(".", 1)[0])
            reply = f"I read {source.name}. {describe(plan)} Try the form on the right."
        elif draft is None:
            plan = read_plan(conversation.last_user_text)
            if not plan.form_fields:
                return Reply(
                    "Upload a document (a paper form, a procedure, an email describing the "
                    "work) or paste a form's text with lines like “Name: ____”. " + HELP,
                    None,
                )
            reply = f"I read your message as a form. {describe(plan)}"
        else:
            plan = plan_of(draft)
            done, refused = [], []
            for instruction in instructions(conversation.last_user_text):
                try:
                    done.append(apply_edit(plan, instruction))
                except EditNotUnderstood as err:
                    refused.append(str(err))
            if not done:
                reason = " ".join(refused) or "I did not find an edit in that."
                return Reply(f"{reason} {HELP}", draft, check(draft))
            reply = " ".join(done + refused)
        progress("Checking the draft…")
        new_draft = build_set(plan)
        errors = check(new_draft)
        if errors:
            path, messages = next(iter(errors.items()))
            reply += f" The draft does not pass the check yet: {path}: {messages[0]}"
        return Reply(reply, new_draft, errors)
