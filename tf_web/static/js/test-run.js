// The designer's Test run: send the task form as it is now, with the sample inputs, and
// show what the code returned, whether the outputs pass, what it printed, and the time.
(function () {
  "use strict";
  var box = document.querySelector("[data-test-run-url]");
  if (!box) return;
  var form = box.closest("form"), button = box.querySelector("button");
  var result = box.querySelector(".test-run-result");
  box.hidden = false;

  function block(title, text, className) {
    if (!text) return;
    var heading = document.createElement("h3");
    heading.textContent = title;
    var pre = document.createElement("pre");
    pre.className = "code" + (className ? " " + className : "");
    pre.textContent = text;
    result.append(heading, pre);
  }
  function messages(errors) {
    return Object.keys(errors || {}).map(function (path) {
      return path + ": " + errors[path].join(" ");
    }).join("\n");
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    result.textContent = "Running in the sandbox…";
    fetch(box.getAttribute("data-test-run-url"), {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      result.textContent = "";
      var status = document.createElement("p");
      status.className = answer.ok ? "flash flash-success" : "flash flash-error";
      if (answer.errors) status.textContent = "Fix the form first.";
      else if (answer.failure) status.textContent = "The run failed: " + answer.failure;
      else if (!answer.ok) status.textContent = "It ran, but the outputs would be refused.";
      else status.textContent = "It ran in " + answer.seconds + " s; the outputs pass.";
      result.append(status);
      block("Problems", messages(answer.errors || answer.output_errors), "field-errors");
      if (answer.outputs !== null && answer.outputs !== undefined) {
        block("Outputs", JSON.stringify(answer.outputs, null, 2));
      }
      block("Traceback", answer.traceback);
      block("Printed", answer.stdout);
      block("Errors printed", answer.stderr);
    }).catch(function (error) {
      result.textContent = "The test run could not be sent: " + String(error && error.message || error);
    }).then(function () { button.disabled = false; });
  });
})();
