// The host side of a ticket form drawn by a sandboxed React component: the component
// sends values (and the bytes of the files it was given); this page posts them with its
// CSRF token as multipart, and sends the server's validation errors back in. The
// component never talks to the server.
(function () {
  "use strict";
  var form = document.getElementById("ticket-form");
  var frame = document.querySelector("iframe[data-tf-form]");
  var banner = document.getElementById("form-errors");
  var button = document.getElementById("submit-ticket");
  if (!form || !frame) return;
  var state = window.TFSandbox.readJson(frame.getAttribute("data-tf-form"));
  var refusedFiles = {};  // field name -> why this page would not send the file chosen
  var busy = false;
  // The plain form first; the frame once it has rendered (plain-first.js).
  var sandbox = window.TFPlainFirst.mount(form, frame, state, {
    submit: send,
    change: settled,
    file: chosen,
    // One submit button: the component's own if it draws one, else the page's.
    rendered: function (hasOwn) { button.hidden = hasOwn; },
  });

  // A field the person changed no longer shows the server's complaint about its old value.
  function settled(name) {
    if (!(sandbox.state.errors || {})[name]) return;
    var errors = Object.assign({}, sandbox.state.errors);
    delete errors[name];
    sandbox.update({ errors: errors });
    if (!Object.keys(errors).length) banner.hidden = true;  // nothing left to correct
  }

  function chosen(name, about, refused) {
    var errors = Object.assign({}, sandbox.state.errors);
    if (refused) { refusedFiles[name] = refused; errors[name] = [refused]; }
    else { delete refusedFiles[name]; delete errors[name]; }
    sandbox.update({ errors: errors });
  }

  function append(data, name, value) {
    var file = sandbox.state.files[name];
    if (file) { data.append(name, file, file.name); return; }
    var kept = form.elements[name + "__kept"];  // a file sent before, held by the server
    if (kept && value && typeof value === "object" && value.sha256) data.append(kept.name, kept.value);
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) { value.forEach(function (v) { data.append(name, String(v)); }); return; }
    if (typeof value === "object") return;  // a file refused here, or one not chosen again
    data.append(name, String(value));
  }

  // Errors about the page's own fields (not the layout's) show beside them.
  function markPageFields(errors) {
    form.querySelectorAll(".contact-fields input").forEach(function (input) {
      var field = input.closest(".field");
      var list = field.querySelector(".field-errors");
      var messages = errors[input.name];
      if (list) list.remove();
      field.classList.toggle("has-error", !!messages);
      if (!messages) { input.removeAttribute("aria-invalid"); return; }
      input.setAttribute("aria-invalid", "true");
      list = document.createElement("ul");
      list.className = "field-errors";
      list.id = input.name + "-errors";
      messages.forEach(function (m) { var li = document.createElement("li"); li.textContent = m; list.appendChild(li); });
      field.appendChild(list);
      input.setAttribute("aria-describedby", list.id);
    });
  }

  function fieldCount(errors) {
    var names = state.fields.map(function (f) { return f.name; });
    form.querySelectorAll(".contact-fields input").forEach(function (input) { names.push(input.name); });
    return Object.keys(errors).filter(function (k) { return names.indexOf(k) >= 0; }).length;
  }

  function refuse(errors) {
    busy = false;
    button.disabled = false;
    var count = fieldCount(errors);
    var general = errors._form && errors._form[0];
    banner.textContent = general || ("Please correct " + (count === 1 ? "the marked field" :
      "the " + count + " marked fields") + ". Nothing was submitted yet.");
    banner.hidden = false;
    markPageFields(errors);
    var pageField = form.querySelector(".contact-fields [aria-invalid=true]");
    if (pageField) { pageField.focus(); sandbox.update({ errors: errors }); return; }
    if (count) {
      frame.focus();  // so the frame may move focus to its first bad field
      sandbox.update({ errors: errors }, { focusError: true });
    } else {
      sandbox.update({ errors: errors });
    }
  }

  // Says what the server answered when it is not the form's own JSON.
  function readRefusal(response) {
    if (response.status === 413) {
      return Promise.resolve({ _form: ["The files are too large together (25 MB at most). Nothing was submitted yet."] });
    }
    return response.text().then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var heading = page.querySelector("main h1");
      var detail = heading && heading.nextElementSibling;
      var what = [heading && heading.textContent, detail && detail.tagName === "P" && detail.textContent]
        .filter(Boolean).join(". ") || response.statusText;
      return { _form: ["The server refused the ticket (" + response.status + "): " + what] };
    });
  }

  // `to`: where the pressed button sends the form (a "Save draft" button's formaction),
  // else the form's own action.
  function send(to) {
    if (busy) return;  // a double click submits once (and the server would notice anyway)
    if (Object.keys(refusedFiles).length) {
      refuse(Object.assign({}, sandbox.state.errors));
      return;
    }
    busy = true;
    button.disabled = true;
    var data = new FormData();
    // The page's own hidden fields: the CSRF token, and the keys that make a retry apply once;
    // and fields the page draws beside the layout (a published form's "about you").
    form.querySelectorAll("input[type=hidden], .contact-fields input, [data-tf-page-field]").forEach(function (input) {
      data.append(input.name, input.value);
    });
    state.fields.forEach(function (field) { append(data, field.name, sandbox.state.values[field.name]); });
    fetch(typeof to === "string" ? to : form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      var json = (response.headers.get("content-type") || "").indexOf("json") >= 0;
      return json ? response.json() : readRefusal(response).then(function (errors) {
        return { ok: false, errors: errors };
      });
    }, function () {
      return { ok: false, errors: { _form: [
        "The ticket could not be sent: the server could not be reached. Check your connection and try again. Nothing was submitted yet."] } };
    }).then(function (answer) {
      if (answer.ok) { window.location.assign(answer.redirect); return; }
      refuse(answer.errors || {});
    }).catch(function (error) {
      refuse({ _form: ["The ticket could not be sent: " + String(error && error.message || error)] });
    });
  }

  form.addEventListener("submit", function (event) {
    if (!sandbox.swapped) return;  // the plain form, submitted before the frame took over
    event.preventDefault();
    send(event.submitter ? event.submitter.formAction : form.action);
  });
})();
