// A table wider than the screen scrolls inside its own box (fhb.css, a phone's width). Such a box must be
// reachable by keyboard, to scroll it with the arrow keys (WCAG 2.1.1; axe-core's
// scrollable-region-focusable): give it a place in the tab order while it scrolls, and take it away when
// it no longer does. Served from fhb's own static files (the content security policy forbids inline script).
(function () {
  "use strict";

  function mark() {
    document.querySelectorAll("table.list").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:afterSettle", mark);
  window.addEventListener("resize", mark);
})();
