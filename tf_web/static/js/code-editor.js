// Small comforts for a <textarea class="code">: Tab indents by four spaces, Shift+Tab
// dedents, Enter keeps the line's indentation, and the caret's line and column show below
// (syntax errors name a line and column). Escape then Tab leaves the field, so the
// keyboard is never trapped. Without JavaScript it stays a plain textarea.
(function () {
  "use strict";
  var INDENT = "    ";
  document.querySelectorAll("textarea.code").forEach(function (area) {
    var escaped = false;
    var where = document.createElement("p");
    where.className = "help code-caret";
    area.insertAdjacentElement("afterend", where);

    function lineStart(text, at) { return text.lastIndexOf("\n", at - 1) + 1; }
    function replace(start, end, text, caret) {
      area.setRangeText(text, start, end, "end");
      if (caret !== undefined) area.setSelectionRange(caret, caret);
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
    function showCaret() {
      var before = area.value.slice(0, area.selectionStart).split("\n");
      where.textContent = "Line " + before.length + ", column " + (before[before.length - 1].length + 1) +
        " · Tab indents; Esc then Tab leaves the code.";
    }

    area.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { escaped = true; return; }
      if (event.key === "Tab" && !escaped && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        var start = area.selectionStart, text = area.value, from = lineStart(text, start);
        if (event.shiftKey) {
          var spaces = text.slice(from, from + INDENT.length).match(/^ */)[0].length;
          if (spaces) replace(from, from + spaces, "", Math.max(from, start - spaces));
        } else {
          replace(start, area.selectionEnd, INDENT);
        }
      } else if (event.key === "Enter" && !event.shiftKey) {
        var at = area.selectionStart, line = area.value.slice(lineStart(area.value, at), at);
        var indent = line.match(/^ */)[0] + (/:\s*$/.test(line) ? INDENT : "");
        if (indent) { event.preventDefault(); replace(at, area.selectionEnd, "\n" + indent); }
      }
      escaped = false;
    });
    ["keyup", "click", "focus"].forEach(function (name) { area.addEventListener(name, showCaret); });
  });
})();

// A person's task needs no code: show the software parts only for a software task.
(function () {
  "use strict";
  var parts = document.querySelector(".software-only");
  var radios = document.querySelectorAll("input[name=kind]");
  if (!parts || !radios.length) return;
  function show() {
    var chosen = document.querySelector("input[name=kind]:checked");
    parts.hidden = !chosen || chosen.value !== "software";
  }
  radios.forEach(function (radio) { radio.addEventListener("change", show); });
  show();
})();
