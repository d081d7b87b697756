// Trace page enhancements. Everything works without this file: rows are
// links, subtrees are <details>, depth links reload the page.
(function () {
  "use strict";
  var wf = document.getElementById("waterfall");
  if (!wf) return;
  var traceID = wf.getAttribute("data-trace");

  function rows() { return Array.prototype.slice.call(wf.querySelectorAll(".row:not(.more)")); }
  // Rows inside a closed <details> keep their box (content-visibility), so
  // ask the browser rather than looking at offsetParent.
  function visible(r) { return r.checkVisibility ? r.checkVisibility() : r.offsetParent !== null; }
  function spanOf(r) {
    var el = r.id ? r : r.parentElement; // a <summary> belongs to its <details>
    return el && el.id ? el.id.slice(2) : "";
  }

  // Select a span without reloading: fetch its details fragment.
  function select(row, push) {
    var span = spanOf(row);
    if (!span) return;
    var url = "/traces/" + traceID + "/spans/" + span + location.search.replace(/([?&])span=[^&]*&?/, "$1");
    fetch(url, { headers: { "Accept": "text/html" } }).then(function (res) {
      if (!res.ok) throw new Error(res.status);
      return res.text();
    }).then(function (html) {
      var body = document.querySelector(".trace-body");
      var old = document.getElementById("span-details");
      var tpl = document.createElement("template");
      tpl.innerHTML = html;
      var panel = tpl.content.firstElementChild;
      if (old) old.replaceWith(panel); else body.appendChild(panel);
      body.classList.add("with-details");
      // On a phone the details follow the waterfall: bring them into view.
      if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) panel.scrollIntoView({ block: "start" });
      wf.querySelectorAll(".row.selected").forEach(function (r) { r.classList.remove("selected"); });
      row.classList.add("selected");
      if (push) {
        var q = new URLSearchParams(location.search);
        q.set("span", span);
        history.pushState(null, "", location.pathname + "?" + q.toString() + "#s-" + span);
      }
    }).catch(function () { location.href = row.querySelector("a.nm").href; });
  }

  wf.addEventListener("click", function (ev) {
    var a = ev.target.closest("a.nm");
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    select(a.closest(".row"), true);
  });

  // Keyboard: j/k or arrows move, Enter selects, ←/→ fold and unfold,
  // e/E go to the next/previous failed span, Esc closes the details, ?
  // shows the keys.
  var cursor = null;
  function moveToError(delta) {
    var list = rows();
    var i = cursor ? list.indexOf(cursor) : (delta > 0 ? -1 : list.length);
    for (var j = i + delta; j >= 0 && j < list.length; j += delta) {
      if (list[j].classList.contains("error")) {
        // Open what hides it, so the row can be shown and selected.
        for (var p = list[j].parentElement; p && p !== wf; p = p.parentElement) {
          if (p.tagName === "DETAILS") p.open = true;
        }
        if (cursor) cursor.classList.remove("kb");
        cursor = list[j];
        cursor.classList.add("kb");
        cursor.scrollIntoView({ block: "nearest" });
        select(cursor, true);
        return;
      }
    }
  }
  function closeDetails() {
    var d = document.getElementById("span-details");
    if (!d) return false;
    d.remove();
    document.querySelector(".trace-body").classList.remove("with-details");
    wf.querySelectorAll(".row.selected").forEach(function (r) { r.classList.remove("selected"); });
    var q = new URLSearchParams(location.search);
    q.delete("span");
    history.pushState(null, "", location.pathname + (q.toString() ? "?" + q.toString() : ""));
    return true;
  }
  function toggleKeys() {
    var k = document.getElementById("trace-keys");
    if (k) k.hidden = !k.hidden;
  }
  function move(delta) {
    var list = rows().filter(visible);
    var i = cursor ? list.indexOf(cursor) : -1;
    var next = list[Math.max(0, Math.min(list.length - 1, i + delta))];
    if (!next) return;
    if (cursor) cursor.classList.remove("kb");
    cursor = next;
    cursor.classList.add("kb");
    cursor.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA")) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var d = cursor && cursor.tagName === "SUMMARY" ? cursor.parentElement : null;
    switch (ev.key) {
      case "j": case "ArrowDown": move(1); break;
      case "k": case "ArrowUp": move(-1); break;
      case "Enter": if (cursor) select(cursor, true); else return; break;
      case "ArrowLeft": if (d) d.open = false; else return; break;
      case "ArrowRight": if (d) d.open = true; else return; break;
      case "f": var f = document.getElementById("span-find"); if (f) { f.focus(); } else return; break;
      case "e": moveToError(1); break;
      case "E": moveToError(-1); break;
      case "Escape":
        var keys = document.getElementById("trace-keys");
        if (keys && !keys.hidden) { keys.hidden = true; break; }
        if (!closeDetails()) return;
        break;
      case "?": toggleKeys(); break;
      default: return;
    }
    ev.preventDefault();
  });

  // Logs: the Logs section (streamed after the waterfall) marks each line
  // with its span. Count them on the span rows, and show the selected
  // span's lines under its details.
  var logs = document.getElementById("trace-logs");
  function logLines(span) {
    return logs ? Array.prototype.slice.call(logs.querySelectorAll('.logline[data-span="' + span + '"]')) : [];
  }
  if (logs) {
    var counts = {};
    logs.querySelectorAll(".logline[data-span]").forEach(function (l) {
      var s = l.getAttribute("data-span");
      if (s) counts[s] = (counts[s] || 0) + 1;
    });
    Object.keys(counts).forEach(function (span) {
      var el = document.getElementById("s-" + span);
      if (!el) return;
      var nm = el.querySelector("a.nm");
      if (!nm || nm.parentElement.querySelector(".logcount")) return;
      var badge = document.createElement("span");
      badge.className = "logcount";
      badge.title = "log lines of this span";
      badge.textContent = counts[span] + (counts[span] === 1 ? " log" : " logs");
      // Beside the name, not in it: a long name is cut with an ellipsis.
      nm.after(badge);
    });
    // A span selected in the URL: its details hold a placeholder that the
    // lines already on the page can fill.
    var holder = document.querySelector("#span-details .span-logs[data-span]");
    if (holder && holder.querySelector(".span-logs-note")) {
      var lines = logLines(holder.getAttribute("data-span"));
      if (lines.length) {
        var list = document.createElement("div");
        list.className = "loglines";
        lines.forEach(function (l) { var c = l.cloneNode(true); c.removeAttribute("id"); list.appendChild(c); });
        holder.querySelector(".span-logs-note").replaceWith(list);
      }
    }
  }

  // Find: the server searches every span, attributes and status too, and
  // lists the matches (the form works without this). As the user types,
  // fetch that list, mark the matching rows and open their ancestors; the
  // query lives in the URL.
  var find = document.getElementById("span-find");
  function rowOf(id) {
    var el = document.getElementById("s-" + id);
    if (!el) return null;
    for (var p = el.parentElement; p && p !== wf; p = p.parentElement) {
      if (p.tagName === "DETAILS") p.open = true;
    }
    return el.tagName === "DETAILS" ? el.querySelector(":scope > summary") : el;
  }
  function markFound(ids) {
    wf.querySelectorAll(".row.found").forEach(function (r) { r.classList.remove("found"); });
    ids.split(" ").forEach(function (id) {
      var r = id && rowOf(id);
      if (r) r.classList.add("found");
    });
  }
  function goTo(row) {
    if (cursor) cursor.classList.remove("kb");
    cursor = row;
    cursor.classList.add("kb");
    cursor.scrollIntoView({ block: "center" });
    select(row, true);
  }
  if (find) {
    var timer = null, seq = 0;
    var runFind = function (jump) {
      var q = new URLSearchParams(location.search);
      var text = find.value.trim();
      if (text) q.set("find", text); else q.delete("find");
      history.replaceState(null, "", location.pathname + (q.toString() ? "?" + q.toString() : "") + location.hash);
      var mine = ++seq;
      fetch("/traces/" + traceID + "/find?" + q.toString(), { headers: { "Accept": "text/html" } }).then(function (res) {
        if (!res.ok) throw new Error(res.status);
        return res.text();
      }).then(function (html) {
        if (mine !== seq) return; // a later keystroke's answer wins
        var tpl = document.createElement("template");
        tpl.innerHTML = html;
        var fresh = tpl.content.firstElementChild;
        var old = document.getElementById("find-results");
        if (old) old.replaceWith(fresh);
        var ids = fresh.getAttribute("data-ids") || "";
        markFound(ids);
        var first = jump && ids.split(" ")[0];
        var row = first && rowOf(first);
        if (row) goTo(row);
      }).catch(function () { find.form.submit(); });
    };
    find.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { runFind(false); }, 250);
    });
    find.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      runFind(true);
    });
    // A match in the page is selected in place; one the page folded away
    // follows its link (it opens that subtree).
    document.addEventListener("click", function (ev) {
      var a = ev.target.closest("#find-results li a");
      if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      var id = (a.hash || "").replace(/^#s-/, "");
      var row = id && rowOf(id);
      if (!row) return;
      ev.preventDefault();
      goTo(row);
    });
  }
})();
