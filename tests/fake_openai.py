"""A fake OpenAI-compatible chat-completions server on a free loopback port: it plays
scripted answers in order and records every request it received."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.serving import make_server


@dataclass
class Script:
    answers: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)


def tool_answer(reply: str, definition_set: Any) -> dict[str, Any]:
    return {"arguments": json.dumps({"reply": reply, "definition_set": definition_set})}


def _completion(model: str, answer: dict[str, Any], n: int) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": answer.get("content")}
    if "arguments" in answer:
        message["tool_calls"] = [
            {
                "id": f"call_{n}",
                "type": "function",
                "function": {"name": "propose_definition_set", "arguments": answer["arguments"]},
            }
        ]
    return {
        "id": f"chatcmpl-{n}",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls" if "arguments" in answer else "stop",
                "message": message,
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


@contextmanager
def fake_openai_server(script: Script) -> Iterator[str]:
    """Serve `script` at http://127.0.0.1:<port>/v1 until the block ends."""
    app = Flask("fake_openai")

    @app.post("/v1/chat/completions")
    def completions():  # type: ignore[no-untyped-def]
        body = request.get_json()
        script.requests.append(body)
        if not script.answers:
            return jsonify(error={"message": "no more scripted answers"}), 500
        answer = script.answers.pop(0)
        if "sleep" in answer:
            time.sleep(answer["sleep"])
        if "status" in answer:
            return jsonify(error={"message": "scripted failure"}), answer["status"]
        return jsonify(_completion(body["model"], answer, len(script.requests)))

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1"
    finally:
        server.shutdown()
        thread.join(timeout=5)
