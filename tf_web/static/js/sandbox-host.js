// Runs on TicketFlower's own pages: mounts sandboxed component frames and talks to them.
// A message counts only if it comes from the frame's own window (its origin reads "null").
(function () {
  "use strict";
  var MAX_HEIGHT = 4000;

  function mount(frame, state, handlers) {
    handlers = handlers || {};
    state.files = state.files || {};  // File objects rebuilt from the bytes the frame sent
    function send(only) {
      if (!frame.contentWindow) return;
      frame.contentWindow.postMessage(Object.assign({ type: "tf:render" }, only || {
        fields: state.fields || [], values: state.values || {},
        errors: state.errors || {}, context: state.context || {},
      }), "*");
    }
    // Whichever comes first after a (re)load: the frame's "ready" or its load event.
    // A frame whose address carries its first props has them already; sending them again
    // could overwrite what the person typed meanwhile.
    function hasOwnProps() { return (frame.getAttribute("src") || "").indexOf("#") >= 0; }
    frame.addEventListener("load", function () { if (!hasOwnProps()) send(); });
    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow) return;
      var message = event.data || {};
      if (message.type === "tf:ready" && !message.fromAddress) send();
      if (message.type === "tf:resize") {
        var height = Math.min(Math.max(Number(message.height) || 0, 60), MAX_HEIGHT);
        frame.style.height = height + "px";
      }
      if (message.type === "tf:change" && typeof message.name === "string") {
        state.values = Object.assign({}, state.values);
        state.values[message.name] = message.value;
        if (handlers.change) handlers.change(message.name, message.value);
      }
      if (message.type === "tf:file" && typeof message.name === "string" && message.file) {
        var about = { name: String(message.file.name), type: String(message.file.type),
                      size: Number(message.file.size) || 0 };
        state.values = Object.assign({}, state.values);
        state.values[message.name] = about;
        if (message.bytes instanceof ArrayBuffer) {
          state.files[message.name] = new File([message.bytes], about.name, { type: about.type });
        } else {
          delete state.files[message.name];
        }
        if (handlers.file) handlers.file(message.name, about, message.refused ? String(message.refused) : null);
      }
      if (message.type === "tf:rendered" && handlers.rendered) handlers.rendered(!!message.hasSubmit);
      if (message.type === "tf:focused" && handlers.focused) handlers.focused(message);
      if (message.type === "tf:submit" && handlers.submit) handlers.submit();
      if (message.type === "tf:error") {
        frame.dispatchEvent(new CustomEvent("tf:error", { detail: String(message.message) }));
      }
    });
    if (!hasOwnProps()) send();  // in case the frame finished loading before this script ran
    return {
      state: state,
      // Sends only what changed (the frame may hold newer values than this page), and
      // `extra` once, e.g. {focusError: true} after a refused submit.
      update: function (changes, extra) {
        Object.assign(state, changes);
        send(Object.assign({}, changes, extra || {}));
      },
    };
  }

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // Frames declared in the page: <iframe data-tf-sandbox="props-element-id" ...>
  document.querySelectorAll("iframe[data-tf-sandbox]").forEach(function (frame) {
    var state = readJson(frame.getAttribute("data-tf-sandbox")) || {};
    frame.tfSandbox = mount(frame, state);
  });

  window.TFSandbox = { mount: mount, readJson: readJson };
})();
