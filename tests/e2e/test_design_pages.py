"""Designer pages over real HTTP: who may use them, errors next to fields, import/export."""

from __future__ import annotations

import json

from tests.conftest import csrf_token, routes_under
from tests.samples import definition_set


def design_routes(system) -> list[tuple[str, str]]:
    examples = {"<slug>": "tasks", "<key>": "triage", "<int:number>": "1"}
    routes = routes_under(system, "/design", examples)
    assert len(routes) >= 10
    return routes


def test_only_designers_and_admins_may_use_the_design_pages(signed_in, system):
    outsider = signed_in("tess", ("ticket_team", "auditor"))
    token = csrf_token(outsider.get("/").text)
    for method, path in design_routes(system):
        data = {"csrf_token": token} if method == "POST" else None
        assert outsider.request(method, path, data=data).status_code == 403, (method, path)
    for roles in [("designer",), ("admin",)]:
        allowed = signed_in(f"user-{roles[0]}", roles)
        assert allowed.get("/design/").status_code == 200


def test_a_task_form_with_mistakes_shows_each_error_next_to_its_field_and_keeps_values(signed_in):
    dana = signed_in("dana", ("designer",))
    response = dana.submit(
        "/design/tasks/new",
        "/design/tasks/new",
        {
            "name": "Triage",
            "key": "Bad Key",
            "outputs-0-name": "Priority Level",
            "outputs-0-label": "Priority",
            "outputs-0-type": "choice",
            "references-0-uri": "javascript:alert(1)",
        },
    )
    assert response.status_code == 422
    page = response.text
    assert "Nothing was saved" in page
    assert "like &#39;it-request&#39;" in page  # the key's error
    assert "Use a lower-case identifier" in page  # outputs.0.name
    assert "Use a web address" in page  # references.0.uri
    assert 'value="Priority Level"' in page


def test_a_definition_set_round_trips_through_import_and_export(signed_in):
    dana = signed_in("dana", ("designer",))
    original = definition_set()
    response = dana.submit("/design/import", "/design/import", {"text": json.dumps(original)})
    assert response.status_code == 302
    assert "Laptop request" in dana.get("/design/ticket-types/").text

    exported = dana.get("/design/workflows/it-request/export.json")
    assert exported.headers["Content-Disposition"].startswith("attachment;")
    data = exported.json()
    assert [t["key"] for t in data["tasks"]] == ["triage", "approve"]
    assert (
        data["ticket_types"][0]["layouts"]["input"]["source"]
        == (original["ticket_types"][0]["layouts"]["input"]["source"])
    )
    again = dana.submit("/design/import", "/design/import", {"text": json.dumps(data)})
    assert again.status_code == 302
    assert "v1" in dana.get("/design/ticket-types/laptop-request").text


def test_an_import_with_errors_lists_them_and_imports_nothing(signed_in):
    dana = signed_in("dana", ("designer",))
    broken = definition_set()
    broken["workflows"][0]["tasks"] = ["triage", "missing-task"]
    response = dana.submit("/design/import", "/design/import", {"text": json.dumps(broken)})
    assert response.status_code == 422
    assert "workflows.0.tasks.1" in response.text
    assert "There is no active task &#39;missing-task&#39;" in response.text
    assert "Triage" not in dana.get("/design/tasks/").text


def test_archiving_keeps_the_definition_and_its_versions(signed_in):
    dana = signed_in("dana", ("designer",))
    dana.submit("/design/import", "/design/import", {"text": json.dumps(definition_set())})
    page = "/design/ticket-types/laptop-request"
    assert dana.submit(page, f"{page}/archive", {}).status_code == 302
    detail = dana.get(page).text
    assert "Archived" in detail
    assert dana.get(f"{page}/versions/1").status_code == 200
    assert dana.submit(page, f"{page}/archive", {"restore": "true"}).status_code == 302
    assert "v3" in dana.get(page).text


def test_the_preview_compiles_without_saving_and_reports_syntax_errors(signed_in, system):
    dana = signed_in("dana", ("designer",))
    token = csrf_token(dana.get("/design/tasks/new").text)
    good = dana.post(
        "/design/tasks/preview",
        data={
            "csrf_token": token,
            "slot": "display",
            "name": "T",
            "key": "t1",
            "layout-display-source": "export default () => <p>Hello</p>;",
        },
    )
    assert good.status_code == 200
    assert good.json()["url"].startswith("/sandbox/previews/")
    assert dana.get(good.json()["url"]).headers["Content-Security-Policy"].startswith("sandbox")
    bad = dana.post(
        "/design/tasks/preview",
        data={
            "csrf_token": token,
            "slot": "display",
            "layout-display-source": "export default (",
        },
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0].startswith("line 1")
    assert not any(system.components.root.rglob("*")) if system.components.root.exists() else True


def test_a_task_s_assignment_rule_is_chosen_on_its_form_and_shown(signed_in):
    dana = signed_in("dana", ("designer",))
    fields = {"name": "Triage", "key": "triage", "outputs-0-name": "priority"}
    new = "/design/tasks/new"
    wrong = dana.submit(new, new, {**fields, "assignment": "lottery"})
    assert wrong.status_code == 422
    assert "Choose manual, round_robin or least_busy." in wrong.text

    saved = dana.submit(new, new, {**fields, "assignment": "least_busy"})
    assert saved.status_code == 302
    assert "Least busy: fewest open tasks" in dana.get("/design/tasks/triage").text
    edit = dana.get("/design/tasks/triage/edit").text
    assert '<option value="least_busy" selected>' in edit


def test_a_software_task_is_written_on_its_form_with_limits_kept_on_a_mistake(signed_in):
    dana = signed_in("dana", ("designer",))
    new = "/design/tasks/new"
    fields = {
        "name": "Order total",
        "key": "order-total",
        "outputs-0-name": "total",
        "outputs-0-type": "number",
        "kind": "software",
        "limits-memory_mb": "128",
    }
    wrong = dana.submit(new, new, {**fields, "code": "", "limits-cpu_seconds": "300"})
    assert wrong.status_code == 422
    assert "A software task needs its code." in wrong.text
    assert 'value="128"' in wrong.text  # what was typed stays

    code = "def run(inputs):\n    return {'total': 42}\n"
    saved = dana.submit(new, new, {**fields, "code": code})
    assert saved.status_code == 302
    page = dana.get("/design/tasks/order-total").text
    assert "Done by software" in page
    assert "128 MB of memory" in page
    assert "return {&#39;total&#39;: 42}" in page


def test_a_test_run_runs_the_code_being_edited_in_the_sandbox_and_saves_nothing(signed_in, system):
    dana = signed_in("dana", ("designer",))
    form = {
        "kind": "software",
        "inputs-0-name": "items",
        "outputs-0-name": "total",
        "outputs-0-type": "number",
        "code": "def run(inputs):\n    print('adding')\n"
        "    return {'total': sum(inputs['items'])}\n",
        "sample-inputs": '{"items": [2, 3.5]}',
    }
    ran = dana.submit("/design/tasks/new", "/design/tasks/test-run", form)
    assert ran.status_code == 200, ran.text
    assert ran.json()["ok"] is True
    assert ran.json()["outputs"] == {"total": 5.5}
    assert ran.json()["stdout"].strip() == "adding"

    wrong = dana.submit(
        "/design/tasks/new", "/design/tasks/test-run", {**form, "sample-inputs": '{"items": ["a"]}'}
    )
    assert wrong.json()["ok"] is False
    assert "TypeError" in wrong.json()["traceback"]

    refused = dana.submit(
        "/design/tasks/new", "/design/tasks/test-run", {**form, "code": "def run(:\n"}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["code"][0].startswith("Line 1, column")
    assert dana.get("/design/tasks/test-run").status_code == 404  # nothing was saved


def test_only_designers_may_test_run_code(signed_in):
    tess = signed_in("tess", ("ticket_team",))
    answer = tess.submit("/tickets/mine", "/design/tasks/test-run", {"code": "x"})
    assert answer.status_code == 403
