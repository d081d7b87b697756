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

  // A line's expanded view (the line whole, its links and pin button, its
  // fields, labels and metadata) is fetched when it is opened: the page
  // leaves it out, most of a row's markup. Without this, or when the fetch
  // fails, the link to the line's own page stays.
  document.addEventListener("toggle", function (ev) {
    var line = ev.target;
    if (!line.open || !line.classList || !line.classList.contains("logline")) return;
    var slot = line.querySelector(".logbody > .line-more");
    var a = slot && slot.querySelector("a[href^='/logs/line?']");
    if (!a || slot.dataset.loading) return;
    slot.dataset.loading = "1";
    // The line's page, as its expanded view alone (links.LogLineBody).
    fetch(a.getAttribute("href").replace("/logs/line?", "/logs/line/body?"), { headers: { "Accept": "text/html" } }).then(function (res) {
      if (!res.ok) throw new Error(res.status);
      return res.text();
    }).then(function (html) {
      var t = document.createElement("template");
      t.innerHTML = html;
      slot.replaceWith(t.content);
    }).catch(function () {
      delete slot.dataset.loading;
      slot.classList.add("failed");
    });
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
