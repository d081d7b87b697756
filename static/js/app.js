// Ariadne's own script: small, framework-free, and only an enhancement.
// Every page works without it.
(function () {
  "use strict";
  // Tell the server the viewer's time zone, so times render in it on the
  // next page (the server renders UTC until then).
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf("tz=" + encodeURIComponent(tz)) < 0) {
      document.cookie = "tz=" + encodeURIComponent(tz) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* no Intl: stay on UTC */ }

  // "/" focuses the global trace box, as in most engineers' tools.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    var box = document.getElementById("trace-box");
    if (box) { ev.preventDefault(); box.focus(); box.select(); }
  });

  // Ctrl+Enter (or Cmd+Enter) runs the query from any query box: the
  // graph's PromQL, the logs' LogQL, the traces' TraceQL and form.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !(ev.ctrlKey || ev.metaKey)) return;
    var t = ev.target;
    if (!t || !t.form || !(t.tagName === "TEXTAREA" || t.tagName === "INPUT")) return;
    ev.preventDefault();
    t.form.requestSubmit();
  });

  // Copy buttons (a share link): hidden without this script, where the
  // field can still be selected and copied by hand.
  Array.prototype.forEach.call(document.querySelectorAll("button.copy[data-copy]"), function (b) {
    var field = document.getElementById(b.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        b.textContent = "Copied";
        setTimeout(function () { b.textContent = "Copy"; }, 2000);
      }, function () { field.select(); });
    });
  });
})();
