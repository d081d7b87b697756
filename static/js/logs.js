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

  // "Wrap lines" flips in place: the lines are already on the page. The
  // link stays right for a reload or a shared URL.
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.wrap-toggle") : null;
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    var lines = document.querySelector(".loglines");
    if (!lines) return;
    ev.preventDefault();
    var on = !lines.classList.contains("wrap");
    lines.classList.toggle("wrap", on);
    a.setAttribute("aria-pressed", String(on));
    var q = new URLSearchParams(location.search);
    if (on) q.set("wrap", "1"); else q.delete("wrap");
    history.replaceState(null, "", location.pathname + "?" + q.toString() + location.hash);
    a.href = location.pathname + "?" + (function () { var t = new URLSearchParams(q); if (on) t.delete("wrap"); else t.set("wrap", "1"); return t.toString(); })();
  });
})();
