// Runs inside the sandboxed iframe: renders the component with what the host page sends,
// and tells the host about changes, its height and its errors. Nothing else crosses.
(function () {
  "use strict";
  var runtime = window.TFRuntime;
  var exported = window.TFComponent;
  var Component = exported && (exported.default || exported);
  var root = runtime.createRoot(document.getElementById("root"));
  var props = { fields: [], values: {}, errors: {}, context: {} };

  function post(message) {
    // The frame's own origin is opaque; frame-ancestors 'self' in its policy makes sure
    // the parent is TicketFlower itself.
    window.parent.postMessage(message, "*");
  }

  function setValue(name, value) {
    props.values = Object.assign({}, props.values);
    props.values[name] = value;
    post({ type: "tf:change", name: String(name), value: value });
    render();
  }

  function submit() {
    post({ type: "tf:submit" });
  }

  class Boundary extends runtime.React.Component {
    constructor(p) { super(p); this.state = { error: null }; }
    static getDerivedStateFromError(error) { return { error: error }; }
    componentDidCatch(error) { post({ type: "tf:error", message: String(error && error.message || error) }); }
    render() {
      if (this.state.error) {
        return runtime.React.createElement("p", { className: "tf-crash" },
          "This layout failed: " + String(this.state.error.message || this.state.error));
      }
      return this.props.children;
    }
  }

  function render() {
    if (typeof Component !== "function") {
      root.render(runtime.React.createElement("p", { className: "tf-crash" },
        "This layout has no default export to render."));
      return;
    }
    var componentProps = Object.assign({}, props.context, {
      fields: props.fields, values: props.values, errors: props.errors,
      setValue: setValue, submit: submit,
    });
    root.render(runtime.React.createElement(Boundary, null,
      runtime.React.createElement(Component, componentProps)));
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    var message = event.data;
    if (!message || message.type !== "tf:render") return;
    ["fields", "values", "errors", "context"].forEach(function (key) {
      if (message[key] !== undefined) props[key] = message[key];
    });
    render();
  });

  window.addEventListener("error", function (event) {
    post({ type: "tf:error", message: String(event.message) });
  });

  new ResizeObserver(function () {
    post({ type: "tf:resize", height: document.documentElement.scrollHeight });
  }).observe(document.body);

  render();
  post({ type: "tf:ready" });
})();
