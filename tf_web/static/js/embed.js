// TicketFlower's embed script: put
//   <script src="https://tickets.example.com/public/embed.js" data-ticketflower-form="KEY" async></script>
// where the form should appear. It inserts an iframe of the published form and fits its
// height to the form, believing only messages from that frame and TicketFlower's origin.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  var key = script.getAttribute("data-ticketflower-form") || "";
  var frame = document.createElement("iframe");
  frame.src = origin + "/public/" + encodeURIComponent(key);
  frame.title = script.getAttribute("data-title") || "Request form";
  frame.setAttribute("loading", "lazy");
  frame.style.cssText = "display:block;width:100%;max-width:100%;height:640px;border:0;";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type !== "ticketflower:height") return;
    var height = Math.min(Math.max(Number(data.height) || 0, 120), 10000);
    frame.style.height = height + "px";
  });
})();
