// The host side of a ticket form drawn by a sandboxed React component: the component
// sends values (and File objects); this page posts them with its CSRF token, and sends
// the server's validation errors back in. The component never talks to the server.
(function () {
  "use strict";
  var form = document.getElementById("ticket-form");
  var frame = document.querySelector("iframe[data-tf-form]");
  var banner = document.getElementById("form-errors");
  var button = document.getElementById("submit-ticket");
  if (!form || !frame) return;
  var state = window.TFSandbox.readJson(frame.getAttribute("data-tf-form"));
  var sandbox = window.TFSandbox.mount(frame, state, { submit: send });
  var busy = false;

  function append(data, name, value) {
    if (value === null || value === undefined) return;
    if (value instanceof File) { data.append(name, value, value.name); return; }
    if (Array.isArray(value)) { value.forEach(function (v) { data.append(name, String(v)); }); return; }
    if (typeof value === "object") return;  // an upload kept from an earlier try
    data.append(name, String(value));
  }

  function send() {
    if (busy) return;  // a double click submits once (and the server would notice anyway)
    busy = true;
    button.disabled = true;
    var data = new FormData();
    ["csrf_token", "submission_id", "version"].forEach(function (name) {
      data.append(name, form.elements[name].value);
    });
    state.fields.forEach(function (field) { append(data, field.name, sandbox.state.values[field.name]); });
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      if (response.status === 413 && !(response.headers.get("content-type") || "").includes("json")) {
        return { ok: false, errors: { _form: ["The files are too large together (25 MB at most)."] } };
      }
      return response.json();
    }).then(function (answer) {
      if (answer.ok) { window.location.assign(answer.redirect); return; }
      busy = false;
      button.disabled = false;
      banner.hidden = false;
      banner.textContent = (answer.errors._form || ["Please correct the marked fields. Nothing was submitted yet."])[0];
      sandbox.update({ errors: answer.errors });
    }).catch(function () {
      busy = false;
      button.disabled = false;
      banner.hidden = false;
      banner.textContent = "The ticket could not be sent. Check your connection and try again.";
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); send(); });
})();
