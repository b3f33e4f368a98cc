// Runs inside the sandboxed iframe: renders the component with what the host page sends,
// and tells the host about changes, its height and its errors. Nothing else crosses.
//
// What every component gets from this runtime, written the ordinary React way or not:
// - a <form> submit (button, Enter, requestSubmit) becomes submit(): the frame itself
//   never sends anything (its policy says form-action 'none' and connect-src 'none');
// - Enter in a single-line field submits too, even without a form or a submit button;
// - a File given to setValue() crosses as bytes: Chromium runs sandboxed frames in their
//   own process, and a File object handed to the host cannot be uploaded from there;
// - after a refused submit, focus goes to the first field marked aria-invalid;
// - when the page swaps this frame in for its plain form, focus goes to the field of the
//   same name, with the same text selected.
(function () {
  "use strict";
  var runtime = window.TFRuntime;
  var React = runtime.React;
  var exported = window.TFComponent;
  var Component = exported && (exported.default || exported);
  var root = runtime.createRoot(document.getElementById("root"));
  var props = { fields: [], values: {}, errors: {}, context: {} };
  // The first props may come in the address's fragment: render them without waiting.
  var fromAddress = false;
  try {
    if (location.hash.length > 1) {
      Object.assign(props, JSON.parse(decodeURIComponent(location.hash.slice(1))));
      fromAddress = true;
    }
  } catch (error) { /* an address without props: the page sends them */ }
  var DEFAULT_MAX_MB = 10;
  var reading = [];          // files still being read: a submit waits for them
  var submitQueued = false;  // a form's own onSubmit and this runtime's catch make one submit
  var focusPending = false;
  var fieldToFocus = null;  // {name, start, end} from the page's plain form

  function post(message, transfer) {
    // The frame's own origin is opaque; frame-ancestors 'self' in its policy makes sure
    // the parent is TicketFlower itself.
    window.parent.postMessage(message, "*", transfer || []);
  }

  function fieldNamed(name) {
    return props.fields.filter(function (f) { return f.name === name; })[0] || {};
  }

  function sendFile(name, file) {
    var limitMb = Number(fieldNamed(name).max_size_mb) || DEFAULT_MAX_MB;
    var about = { name: String(file.name || "file"), type: String(file.type || ""), size: file.size };
    if (file.size > limitMb * 1024 * 1024) {
      // Not even read: the server would refuse it (and stays the judge of what it accepts).
      post({ type: "tf:file", name: name, file: about,
             refused: "The file is larger than " + limitMb + " MB." });
      return;
    }
    var read = file.arrayBuffer().then(function (bytes) {
      post({ type: "tf:file", name: name, file: about, bytes: bytes }, [bytes]);
    }, function (error) {
      post({ type: "tf:file", name: name, file: about,
             refused: "The file could not be read (" + String(error && error.name || error) + ")." });
    });
    reading.push(read);
    read.then(function () { reading.splice(reading.indexOf(read), 1); });
  }

  function setValue(name, value) {
    name = String(name);
    props.values = Object.assign({}, props.values);
    props.values[name] = value;
    if (typeof Blob !== "undefined" && value instanceof Blob) sendFile(name, value);
    else post({ type: "tf:change", name: name, value: value });
    render();
  }

  function submit() {
    if (submitQueued) return;
    submitQueued = true;
    setTimeout(function () {
      submitQueued = false;
      Promise.all(reading.slice()).then(function () { post({ type: "tf:submit" }); });
    }, 0);
  }

  // Capture phase, before the component's own handler: whatever it does, nothing leaves.
  document.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  }, true);

  var SINGLE_LINE = /^(text|email|url|tel|number|date|datetime-local|time|month|week|search|password)$/;
  window.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || event.defaultPrevented || event.isComposing) return;
    if (!target || target.tagName !== "INPUT" || !SINGLE_LINE.test(target.type)) return;
    // A form with a submit button submits itself (its submit event is caught above).
    if (target.form && target.form.querySelector("button:not([type]), [type=submit]")) return;
    event.preventDefault();
    submit();
  });

  function focusFirstInvalid() {
    var bad = document.querySelector("[aria-invalid='true']");
    if (!bad) return;
    if (bad.tabIndex < 0 && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(bad.tagName)) {
      bad = bad.querySelector("input, select, textarea, button") || bad;
    }
    bad.focus();
    if (bad.scrollIntoView) bad.scrollIntoView({ block: "center" });
  }

  function focusField(wanted) {
    var field = document.getElementsByName(wanted.name)[0] || document.getElementById(wanted.name);
    if (field) {
      field.focus({ preventScroll: true });  // the page keeps it where the plain one was
      try {
        if (typeof wanted.start === "number") field.setSelectionRange(wanted.start, wanted.end);
      } catch (error) { /* a field without a text selection */ }
    }
    var found = !!field && document.activeElement === field;
    post({ type: "tf:focused", found: found, top: found ? field.getBoundingClientRect().top : 0 });
  }

  // Tells the host, after each commit, whether the component draws its own submit button.
  function Reporter() {
    React.useLayoutEffect(function () {
      var own = document.querySelector(
        "button[type=submit], input[type=submit], form button:not([type])");
      post({ type: "tf:rendered", hasSubmit: !!own });
      if (focusPending) { focusPending = false; focusFirstInvalid(); }
      if (fieldToFocus) { var wanted = fieldToFocus; fieldToFocus = null; focusField(wanted); }
    });
    return null;
  }

  class Boundary extends React.Component {
    constructor(p) { super(p); this.state = { error: null }; }
    static getDerivedStateFromError(error) { return { error: error }; }
    componentDidCatch(error) { post({ type: "tf:error", message: String(error && error.message || error) }); }
    render() {
      if (this.state.error) {
        return React.createElement("p", { className: "tf-crash", role: "alert" },
          "This layout failed: " + String(this.state.error.message || this.state.error));
      }
      return this.props.children;
    }
  }

  function render() {
    if (typeof Component !== "function") {
      root.render(React.createElement("p", { className: "tf-crash", role: "alert" },
        "This layout has no default export to render."));
      return;
    }
    var componentProps = Object.assign({}, props.context, {
      fields: props.fields, values: props.values, errors: props.errors,
      setValue: setValue, submit: submit,
    });
    root.render(React.createElement(React.Fragment, null,
      React.createElement(Boundary, null, React.createElement(Component, componentProps)),
      React.createElement(Reporter)));
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    var message = event.data;
    if (!message || message.type !== "tf:render") return;
    ["fields", "values", "errors", "context"].forEach(function (key) {
      if (message[key] !== undefined) props[key] = message[key];
    });
    if (message.focusError) focusPending = true;
    if (message.focusField) fieldToFocus = message.focusField;
    render();
  });

  window.addEventListener("error", function (event) {
    post({ type: "tf:error", message: String(event.message) });
  });

  // The body's own height, not the document's: that is never less than the frame's, so
  // a frame drawn taller (over a plain form, or before its errors went) could not shrink.
  new ResizeObserver(function () {
    post({ type: "tf:resize", height: Math.ceil(document.body.getBoundingClientRect().height) });
  }).observe(document.body);

  render();
  post({ type: "tf:ready", fromAddress: fromAddress });
})();
