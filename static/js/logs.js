// Logs page enhancements. The page works without this file: the query box
// is a plain form, lines are <details>, paging and zoom are links.
(function () {
  "use strict";
  // A link inside a line's summary (a trace link) must follow the link,
  // not also fold the line open on its way out.
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest(".logline > summary a") : null;
    if (a) ev.stopPropagation();
  }, true);
})();
