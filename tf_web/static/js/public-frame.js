// A published form's page, framed by a website: tells that website the page's height so
// the frame fits it (embed.js listens). Posted only to the origins the form was published
// for: a page framing it from anywhere else (which CSP forbids anyway) hears nothing.
(function () {
  "use strict";
  var element = document.getElementById("tf-framing-origins");
  if (!element || window.parent === window) return;
  var origins = JSON.parse(element.textContent);
  var last = 0;
  function tell() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    origins.forEach(function (origin) {
      window.parent.postMessage({ type: "ticketflower:height", height: height }, origin);
    });
  }
  document.documentElement.classList.add("is-framed");
  new ResizeObserver(tell).observe(document.documentElement);
  window.addEventListener("load", tell);
  tell();
})();
