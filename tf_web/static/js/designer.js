// The definition form: preview a layout in the sandbox before saving.
(function () {
  "use strict";
  document.querySelectorAll("[data-preview-slot]").forEach(function (button) {
    var slot = button.getAttribute("data-preview-slot");
    var form = button.form;
    var frame = document.getElementById("preview-" + slot);
    var status = document.getElementById("preview-" + slot + "-status");
    var sandbox = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var data = new FormData(form);
      data.set("slot", slot);
      status.textContent = "Compiling…";
      status.className = "help";
      fetch(button.getAttribute("data-preview-url"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json" },
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (!answer.ok) {
          status.textContent = answer.errors.join(" · ");
          status.className = "field-errors";
          return;
        }
        status.textContent = "Preview with sample values:";
        frame.hidden = false;
        if (sandbox) {
          sandbox.state.fields = answer.state.fields;
          sandbox.state.values = answer.state.values;
          sandbox.state.context = answer.state.context;
        } else {
          // As on the real form: a submit reaches the page, which here only says so.
          sandbox = window.TFSandbox.mount(frame, answer.state, {
            submit: function () {
              status.textContent = "The layout submitted its form. In a real form, this sends the ticket.";
              status.className = "help";
            },
          });
        }
        frame.src = answer.url;
      }).catch(function (error) {
        status.textContent = "The preview failed: " + error;
        status.className = "field-errors";
      });
    });
  });
})();
