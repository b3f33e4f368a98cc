// The assistant's chat: documents by drag-and-drop or the file button, and the answer's
// progress streamed as server-sent events; the page then reloads to show the new draft.
// Without JavaScript the form posts normally and the page redirects back.
(function () {
  "use strict";
  var form = document.getElementById("chat-form");
  if (!form) return;
  var drop = document.getElementById("chat-drop");
  var files = document.getElementById("chat-documents");
  var progress = document.getElementById("chat-progress");
  var send = document.getElementById("chat-send");

  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) {
      event.preventDefault();
      drop.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("dragging"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      files.files = event.dataTransfer.files;
      progress.textContent = "Ready to send: " + Array.prototype.map.call(files.files, function (f) { return f.name; }).join(", ");
    }
  });

  function handle(block) {
    var name = "message", data = "";
    block.split("\n").forEach(function (line) {
      if (line.indexOf("event: ") === 0) name = line.slice(7);
      if (line.indexOf("data: ") === 0) data += line.slice(6);
    });
    if (!data) return false;
    var payload = JSON.parse(data);
    if (name === "progress") progress.textContent = payload.text;
    if (name === "failed") {
      progress.textContent = payload.error;
      progress.classList.add("chat-error");
      send.disabled = false;
      return true;
    }
    if (name === "done") {
      window.location.assign(payload.url);
      window.location.reload();
      return true;
    }
    return false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send.disabled = true;
    progress.classList.remove("chat-error");
    progress.textContent = "Sending…";
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      // The answer streams; input refused where it enters comes back as JSON by field.
      headers: { Accept: "application/json, text/event-stream;q=0.9" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok && type.indexOf("application/json") === 0) {
        return response.json().then(function (refused) {
          var messages = [];
          Object.keys(refused.errors || {}).forEach(function (k) { messages = messages.concat(refused.errors[k]); });
          throw new Error(messages.join(" ") || "The server refused it.");
        });
      }
      if (!response.ok || !response.body) throw new Error("The server answered " + response.status + ".");
      var reader = response.body.getReader(), decoder = new TextDecoder(), buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          buffer += decoder.decode(chunk.value, { stream: true });
          var blocks = buffer.split("\n\n");
          buffer = blocks.pop();
          for (var i = 0; i < blocks.length; i++) if (handle(blocks[i])) return;
          return pump();
        });
      }
      return pump();
    }).catch(function (error) {
      progress.textContent = "Not sent: " + error.message + " Your draft is kept.";
      progress.classList.add("chat-error");
      send.disabled = false;
    });
  });
})();
