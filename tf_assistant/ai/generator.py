"""The AI generator: any OpenAI-compatible chat-completions endpoint (Ollama, vLLM,
llama.cpp's server, OpenAI) through the official `openai` client.

The model answers through one tool call whose schema comes from the definition-set
schemas. Its draft is untrusted: it goes through the same check as an import; failed
checks go back to the model verbatim, at most MAX_REPAIRS times per user turn, and the
same error twice stops the loop."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import openai

from tf_assistant.ai.prompts import system_prompt
from tf_assistant.ai.tool_schema import TOOL_NAME, tool
from tf_assistant.layout import display_layout, input_layout
from tf_events.assistant.generator import Check, Conversation, Draft, Errors, Progress, Reply

MAX_REPAIRS = 2
MAX_DOCUMENT_CHARS = 30_000


class ModelAnswerInvalid(ValueError):
    pass


def plain_error(errors: Errors) -> str:
    path, messages = next(iter(errors.items()))
    return messages[0] if path == "_response" else f"{path}: {messages[0]}"


def repair_kind(errors: Errors) -> str:
    if "_response" in errors:
        return "a malformed answer"
    if any(".layouts." in path for path in errors):
        return "a compile error"
    return "a check error"


def with_generated_layouts(draft: Draft) -> Draft:
    """Where the model gave a ticket type no layout, generate one from its fields."""
    workflows = {w.get("key"): w for w in draft.get("workflows") or [] if isinstance(w, dict)}
    for ticket_type in draft.get("ticket_types") or []:
        if not isinstance(ticket_type, dict):
            continue
        layouts = ticket_type.setdefault("layouts", {})
        if not isinstance(layouts, dict):
            continue
        workflow = workflows.get(ticket_type.get("workflow"), {})
        names = [n for n in ticket_type.get("fields") or [] if isinstance(n, str)]
        sections = [{"title": "Details", "names": names}] if names else []
        title = str(ticket_type.get("name") or "New request")[:120]
        if "input" not in layouts:
            intro = str(ticket_type.get("description") or "")
            layouts["input"] = {"source": input_layout(title, intro, sections)}
        if "display" not in layouts:
            steps = [{"name": str(t), "outputs": []} for t in workflow.get("tasks") or []]
            layouts["display"] = {"source": display_layout(title, sections, steps)}
    return draft


def parse_answer(message: Any) -> tuple[str, Draft]:
    """(reply, draft) from the model's message; ModelAnswerInvalid says what was wrong."""
    calls = [c for c in message.tool_calls or [] if c.function.name == TOOL_NAME]
    raw = calls[0].function.arguments if calls else (message.content or "")
    if not raw.strip():
        raise ModelAnswerInvalid(f"The answer did not call {TOOL_NAME}.")
    try:
        answer = json.loads(raw)
    except ValueError as err:
        raise ModelAnswerInvalid(f"The tool call's arguments are not valid JSON: {err}.") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("definition_set"), dict):
        raise ModelAnswerInvalid("The tool call needs an object with `definition_set`.")
    reply = answer.get("reply")
    return (reply if isinstance(reply, str) else "Here is the draft."), answer["definition_set"]


class AIGenerator:
    name = "ai"

    def __init__(self, base_url: str, model: str, api_key: str, timeout: float) -> None:
        self.model = model
        self.title = f"AI ({model})"
        self.client = openai.OpenAI(
            base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AIGenerator | None:
        base_url, model = env.get("TF_AI_BASE_URL"), env.get("TF_AI_MODEL")
        if not base_url or not model:
            return None  # not configured: not offered
        # Local servers (Ollama, llama.cpp) take any key; the client insists on one.
        api_key = env.get("TF_AI_API_KEY") or "not-needed"
        return cls(base_url, model, api_key, float(env.get("TF_AI_TIMEOUT", "120")))

    def _messages(self, conversation: Conversation, draft: Draft | None) -> list[dict[str, Any]]:
        documents = {d.name: d for d in conversation.documents}
        messages: list[dict[str, Any]] = [{"role": "system", "content": system_prompt()}]
        for message in conversation.messages:
            content = message.text or "(no text)"
            for name in message.attachments:
                if name in documents:
                    text = documents[name].text[:MAX_DOCUMENT_CHARS]
                    content += f"\n\n<document name={json.dumps(name)}>\n{text}\n</document>"
            messages.append({"role": message.role, "content": content})
        if draft is not None and messages[-1]["role"] == "user":
            current = json.dumps(draft, ensure_ascii=False)
            messages[-1]["content"] = (
                f"The current draft:\n```json\n{current}\n```\n\n{messages[-1]['content']}"
            )
        return messages

    def _ask(self, messages: list[dict[str, Any]]) -> Any:
        # Plain dicts, as the endpoint receives them; the client's TypedDicts add nothing.
        completion = self.client.chat.completions.create(  # type: ignore[call-overload]
            model=self.model,
            messages=messages,
            tools=[tool()],
            tool_choice={"type": "function", "function": {"name": TOOL_NAME}},
        )
        return completion.choices[0].message

    def respond(
        self, conversation: Conversation, draft: Draft | None, check: Check, progress: Progress
    ) -> Reply:
        messages = self._messages(conversation, draft)
        seen: set[str] = set()
        candidate: Draft | None = None
        errors: Errors = {}
        for attempt in range(MAX_REPAIRS + 1):
            progress(f"Asking {self.model}…" if attempt == 0 else "Asking again…")
            try:
                message = self._ask(messages)
            except openai.APITimeoutError:
                return self._kept(draft, check, "The model did not answer in time.")
            except openai.APIConnectionError:
                return self._kept(draft, check, "The model's server cannot be reached.")
            except openai.APIStatusError as err:
                return self._kept(draft, check, f"The model's server refused ({err.status_code}).")
            try:
                reply, candidate = parse_answer(message)
            except ModelAnswerInvalid as err:
                errors = {"_response": [str(err)]}
            else:
                progress("Checking the draft…")
                candidate = with_generated_layouts(candidate)
                errors = check(candidate)
                if not errors:
                    return Reply(reply, candidate, {})
            fingerprint = json.dumps(errors, sort_keys=True)
            if fingerprint in seen:
                return Reply(
                    f"The model made the same mistake twice, so I stopped: {plain_error(errors)}",
                    candidate or draft,
                    errors,
                )
            seen.add(fingerprint)
            if attempt == MAX_REPAIRS:
                break
            progress(f"Fixing {repair_kind(errors)} ({attempt + 1}/{MAX_REPAIRS})…")
            messages.extend(self._repair_messages(message, errors))
        return Reply(
            f"The draft still has a problem after {MAX_REPAIRS} fixes: {plain_error(errors)}",
            candidate or draft,
            errors,
        )

    def _repair_messages(self, message: Any, errors: Errors) -> list[dict[str, Any]]:
        verdict = "The check refused the draft. Fix these errors and call the tool again:\n"
        verdict += "\n".join(f"{path}: {m}" for path, found in errors.items() for m in found)
        calls = message.tool_calls or []
        if not calls:
            return [
                {"role": "assistant", "content": message.content or ""},
                {"role": "user", "content": verdict},
            ]
        return [
            {
                "role": "assistant",
                "content": message.content or "",
                "tool_calls": [
                    {
                        "id": call.id,
                        "type": "function",
                        "function": {
                            "name": call.function.name,
                            "arguments": call.function.arguments,
                        },
                    }
                    for call in calls
                ],
            },
            *({"role": "tool", "tool_call_id": call.id, "content": verdict} for call in calls),
        ]

    def _kept(self, draft: Draft | None, check: Check, why: str) -> Reply:
        kept = " Your draft is kept." if draft is not None else ""
        return Reply(f"{why}{kept} Try again in a moment.", draft, check(draft) if draft else {})
