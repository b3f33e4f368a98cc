// A form drawn by a sandboxed React layout shows the server's plain form first (see
// _sandboxed_form.html), so people can type at once while the frame's own renderer starts
// React. Once the frame has rendered, what they typed moves into it; the frame takes the
// plain form's place when it holds all of it, and the focus goes to the same field, kept
// where it was on the screen. A plain form already submitted just goes; a frame that fails
// leaves the plain form, which works on its own.
//
// Any page with a sandboxed form mounts its frame through TFPlainFirst.mount instead of
// TFSandbox.mount; `swapped` says whether the frame is the form yet.
(function () {
  "use strict";

  // A plain field's value as a layout gets it: text as typed, choices as a list, a box as
  // true or false, a file as the File itself (null when none is chosen). With `drawn`, the
  // value the server drew, whatever was typed before this script ran.
  function read(plain, field, drawn) {
    var controls = plain.querySelectorAll('[name="' + CSS.escape(field.name) + '"]');
    if (!controls.length) return undefined;
    var checked = drawn ? "defaultChecked" : "checked";
    if (field.type === "multi_choice") {
      return Array.prototype.filter.call(controls, function (c) { return c[checked]; })
        .map(function (c) { return c.value; });
    }
    var control = controls[0];
    if (field.type === "boolean") return control[checked];
    if (field.type === "file") return drawn ? null : (control.files && control.files[0]) || null;
    if (drawn && control.tagName === "SELECT") {
      var options = Array.prototype.slice.call(control.options);
      var chosen = options.filter(function (o) { return o.defaultSelected; })[0] || options[0];
      return chosen ? chosen.value : "";
    }
    return drawn ? control.defaultValue : control.value;
  }

  function same(a, b) {
    if (Array.isArray(a) && Array.isArray(b)) return a.join("\u0000") === b.join("\u0000");
    return a === b;
  }

  function mount(form, frame, state, handlers) {
    var plain = form.querySelector("[data-tf-plain]");
    var controller = { swapped: !plain };
    var own = Object.assign({}, handlers, { rendered: rendered, focused: focused });
    var sandbox = window.TFSandbox.mount(frame, state, own);
    controller.state = sandbox.state;
    controller.update = sandbox.update;
    if (!plain) return controller;

    var fields = state.fields || [];
    var initial = {};  // as the server drew it: only what changed since moves
    fields.forEach(function (field) { initial[field.name] = read(plain, field, true); });
    var sent = {};            // the changes the frame holds already
    var submitted = false, failed = false, focus = null, hasOwnSubmit = false;

    // What the person changed in the plain form, by field name.
    function typed(since) {
      var changes = {};
      fields.forEach(function (field) {
        var value = read(plain, field);
        if (value !== undefined && !same(value, since[field.name])) changes[field.name] = value;
      });
      return changes;
    }

    function unchanged(a, b) {
      var names = Object.keys(a).concat(Object.keys(b));
      return names.every(function (name) { return same(a[name], b[name]); });
    }

    function moveIn(changes) {
      var values = Object.assign({}, sandbox.state.values);
      Object.keys(changes).forEach(function (name) {
        var value = changes[name];
        if (typeof File !== "undefined" && value instanceof File) {
          sandbox.state.files[name] = value;  // posted by the page, as a file the frame sent
          value = { name: value.name, type: value.type, size: value.size };
        } else if (value === null) {
          return;  // no file chosen here: keep what the frame has
        }
        values[name] = value;
      });
      sent = Object.assign({}, sent, changes);
      sandbox.update({ values: values });
    }

    // After each of the frame's renders: move in what changed, until the frame holds it all.
    function rendered(hasSubmit) {
      hasOwnSubmit = hasSubmit;
      if (controller.swapped) {
        if (handlers.rendered) handlers.rendered(hasSubmit);
        return;
      }
      if (submitted || failed || focus) return;
      var changes = typed(initial);
      if (!unchanged(changes, sent)) { moveIn(changes); return; }
      var active = document.activeElement;
      if (active && plain.contains(active) && active.name) {
        // The frame takes the focus first; the plain form stays until it has.
        focus = { name: active.name, top: active.getBoundingClientRect().top };
        try {
          focus.start = active.selectionStart;
          focus.end = active.selectionEnd;
        } catch (error) { /* a field without a text selection */ }
        frame.inert = false;
        sandbox.update({}, { focusField: focus });
        setTimeout(function () {  // no answer: the frame is stuck; the plain form stays
          if (!controller.swapped) { failed = true; frame.inert = true; }
        }, 5000);
      } else {
        swap(null);
      }
    }

    function focused(message) {
      if (controller.swapped || failed || !focus) return;
      var late = typed(initial);  // typed while the frame was taking the focus
      if (!unchanged(late, sent)) moveIn(late);
      swap(message);
    }

    function swap(message) {
      controller.swapped = true;
      var before = focus;
      frame.inert = false;
      frame.classList.remove("sandbox-waiting");
      plain.hidden = true;
      if (before && !(message && message.found)) frame.focus();
      if (before && message && message.found) {
        // The same field, at the same place on the screen.
        window.scrollBy(0, frame.getBoundingClientRect().top + Number(message.top) - before.top);
      }
      if (handlers.rendered) handlers.rendered(hasOwnSubmit);
      form.dispatchEvent(new CustomEvent("tf:swapped", { bubbles: true }));
    }

    // Capture phase: known before any other handler decides what a submit does.
    form.addEventListener("submit", function () {
      if (!controller.swapped) submitted = true;  // the plain form goes as it is
    }, true);
    frame.addEventListener("tf:error", function () {
      if (!controller.swapped) failed = true;
    });
    return controller;
  }

  window.TFPlainFirst = { mount: mount };
})();
