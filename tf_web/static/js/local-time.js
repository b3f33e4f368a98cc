// Times are rendered in UTC (right without JavaScript); here each <time datetime> is shown
// in the viewer's own time zone, with the UTC original on hover.
(function () {
  "use strict";
  var withTime = { dateStyle: "medium", timeStyle: "short" };
  var dateOnly = { dateStyle: "medium" };
  document.querySelectorAll("time[datetime]").forEach(function (element) {
    var iso = element.getAttribute("datetime");
    // Our timestamps carry their offset; one without is UTC, as the text says.
    var when = new Date(/T.*([zZ]|[+-]\d\d:?\d\d)$/.test(iso) ? iso : iso + "Z");
    if (isNaN(when.getTime()) || iso.indexOf("T") < 0) return;
    var utc = element.textContent.trim();
    var hasTime = /\d:\d\d/.test(utc);
    element.textContent = when.toLocaleString(undefined, hasTime ? withTime : dateOnly);
    element.title = /UTC$/.test(utc) ? utc : utc + " UTC";
  });
})();
