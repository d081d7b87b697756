// Trace page enhancements. Everything works without this file: rows are
// links (select, fold), windows of rows are links, Find is a form.
//
// With it: selecting a span fetches its details; folding fetches the
// window of rows around the folded span; scrolling near either end of the
// rows loads the next window, and windows far from the screen are dropped,
// so a trace of any size keeps a few windows of rows in the page.
(function () {
  "use strict";
  var wf = document.getElementById("waterfall");
  if (!wf) return;
  var traceID = wf.getAttribute("data-trace");
  var maxWindows = 4;

  function box() { return document.getElementById("wf-rows"); }
  function rows() { return Array.prototype.slice.call(wf.querySelectorAll(".row:not(.more)")); }
  function spanOf(r) { return r && r.id ? r.id.slice(2) : ""; }
  function fragment(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    return tpl.content.firstElementChild;
  }
  function get(url) {
    return fetch(url, { headers: { "Accept": "text/html" } }).then(function (res) {
      if (!res.ok) throw new Error(res.status);
      return res.text();
    });
  }
  // The page's own view options (folds, depth, find…) with changes.
  function params(change) {
    var q = new URLSearchParams(location.search);
    if (change) change(q);
    return q;
  }
  function rowsURL(q) { return "/traces/" + traceID + "/rows?" + q.toString(); }

  // Select a span without reloading: fetch its details fragment.
  function select(row, push) {
    var span = spanOf(row);
    if (!span) return;
    var url = "/traces/" + traceID + "/spans/" + span + "?" + params(function (q) { q.delete("span"); }).toString();
    get(url).then(function (html) {
      var body = document.querySelector(".trace-body");
      var old = document.getElementById("span-details");
      var panel = fragment(html);
      if (old) old.replaceWith(panel); else body.appendChild(panel);
      body.classList.add("with-details");
      // On a phone the details follow the waterfall: bring them into view.
      if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) panel.scrollIntoView({ block: "start" });
      wf.querySelectorAll(".row.selected").forEach(function (r) { r.classList.remove("selected"); });
      row.classList.add("selected");
      if (push) {
        var q = params(function (q) { q.set("span", span); q.delete("at"); });
        history.pushState(null, "", location.pathname + "?" + q.toString() + "#s-" + span);
      }
    }).catch(function () { location.href = row.querySelector("a.nm").href; });
  }

  // Replace every row with the window the server gives for q (a fold, a
  // span far away), keeping the given span where it was on the screen.
  function showWindow(q, span) {
    var at = function (id) { return id && (document.getElementById("s-" + id) || document.getElementById("g-" + id)); };
    var before = at(span);
    var top = before ? before.getBoundingClientRect().top : null;
    return get(rowsURL(q)).then(function (html) {
      var fresh = fragment(html);
      box().replaceWith(fresh);
      badges(fresh);
      marks(fresh);
      var after = at(span);
      if (after && top !== null) window.scrollBy(0, after.getBoundingClientRect().top - top);
      watch();
      return after;
    });
  }

  // Fold and unfold: the server knows which rows follow; ask it for the
  // window around the folded span. The URL keeps the folds.
  function fold(tg) {
    var u = new URL(tg.href, location.href);
    var span = u.hash.replace(/^#s-/, "");
    showWindow(u.searchParams, span).then(function () {
      var q = new URLSearchParams(u.search);
      q.delete("at");
      history.replaceState(null, "", location.pathname + "?" + q.toString() + location.hash);
    }).catch(function () { location.href = tg.href; });
  }

  wf.addEventListener("click", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    // The overview: bring that slice's rows into the page and onto the
    // screen.
    var ov = ev.target.closest("svg.overview a");
    if (ov) {
      ev.preventDefault();
      var href = ov.getAttribute("href");
      var u = new URL(href, location.href);
      var id = u.hash.replace(/^#s-/, "");
      var rowOf = function () { return document.getElementById("s-" + id) || document.getElementById("g-" + id); };
      (rowOf() ? Promise.resolve(rowOf()) : showWindow(u.searchParams, null).then(rowOf)).then(function (r) {
        if (!r) { location.href = href; return; }
        put(r);
        r.scrollIntoView({ block: "center" });
      }).catch(function () { location.href = href; });
      return;
    }
    var tg = ev.target.closest("a.tg, a.regroup, .row.group a.nm");
    if (tg) {
      ev.preventDefault();
      fold(tg);
      return;
    }
    var a = ev.target.closest("a.nm");
    if (!a) return;
    ev.preventDefault();
    select(a.closest(".row"), true);
  });

  // Windows: load the next (or previous) one as its link nears the
  // screen; past maxWindows, drop the farthest one and put its link back.
  var loading = false;
  function load(nav) {
    if (loading) return;
    loading = true;
    var next = nav.classList.contains("next");
    var row = nav.getAttribute("data-row");
    get(rowsURL(params(function (q) { q.set("row", row); q.delete("at"); q.delete("span"); }))).then(function (html) {
      var fresh = fragment(html);
      var b = box();
      var add = Array.prototype.slice.call(fresh.children).filter(function (el) {
        return !el.classList.contains(next ? "prev" : "next");
      });
      if (next) {
        add.forEach(function (el) { b.insertBefore(el, nav); });
        b.setAttribute("data-end", fresh.getAttribute("data-end"));
      } else {
        add.forEach(function (el) { b.insertBefore(el, nav.nextSibling); });
        b.setAttribute("data-start", fresh.getAttribute("data-start"));
      }
      nav.remove();
      badges(b);
      marks(b);
      trim(b, next);
      watch();
    }).catch(function () { /* the link still works */ }).finally(function () { loading = false; });
  }
  // trim drops a window from the far end once too many are in the page.
  function trim(b, grewDown) {
    var size = +b.getAttribute("data-size");
    var all = b.querySelectorAll(":scope > .row:not(.more)");
    if (all.length <= size * maxWindows) return;
    var start = +b.getAttribute("data-start"), end = +b.getAttribute("data-end");
    var link = document.createElement("div");
    var a = document.createElement("a");
    var span = document.createElement("span");
    span.className = "c1";
    span.appendChild(a);
    link.appendChild(span);
    var total = b.getAttribute("data-total");
    if (grewDown) {
      for (var i = 0; i < size; i++) all[i].remove();
      var old = b.querySelector(":scope > .row.more.prev");
      if (old) old.remove();
      start += size;
      link.className = "row more prev";
      link.setAttribute("data-row", String(start - size));
      a.textContent = "↑ Rows " + (start - size + 1) + "–" + start + " of " + total;
      b.insertBefore(link, b.firstChild);
      b.setAttribute("data-start", String(start));
    } else {
      // The last window may be the trace's short last one.
      var last = end - Math.floor((end - 1) / size) * size;
      for (var j = all.length - 1; j >= all.length - last; j--) all[j].remove();
      var oldNext = b.querySelector(":scope > .row.more.next");
      if (oldNext) oldNext.remove();
      end -= last;
      link.className = "row more next";
      link.setAttribute("data-row", String(end));
      a.textContent = "↓ Rows " + (end + 1) + "–" + Math.min(end + size, +total) + " of " + total;
      b.appendChild(link);
      b.setAttribute("data-end", String(end));
    }
    a.href = location.pathname + "?" + params(function (q) { q.set("row", link.getAttribute("data-row")); q.delete("at"); }).toString();
  }
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) load(e.target); });
  }, { rootMargin: "800px 0px" }) : null;
  function watch() {
    if (!observer) return;
    observer.disconnect();
    wf.querySelectorAll(".row.more").forEach(function (nav) { observer.observe(nav); });
  }
  watch();

  // Keyboard: j/k or arrows move, Enter selects, ←/→ fold and unfold,
  // e/E go to the next/previous failed span, Esc closes the details, ?
  // shows the keys. Moves walk siblings, never the whole list of rows.
  var cursor = null;
  function step(from, delta) {
    for (var el = from; el; ) {
      el = delta > 0 ? el.nextElementSibling : el.previousElementSibling;
      if (el && el.classList.contains("row") && !el.classList.contains("more")) return el;
    }
    return null;
  }
  function put(row) {
    if (!row) return;
    if (cursor) cursor.classList.remove("kb");
    cursor = row;
    cursor.classList.add("kb");
    cursor.scrollIntoView({ block: "nearest" });
  }
  function move(delta) {
    if (!cursor || !cursor.isConnected) {
      var list = rows();
      put(delta > 0 ? list[0] : list[list.length - 1]);
      return;
    }
    put(step(cursor, delta) || cursor);
  }
  function moveToError(delta) {
    var el = cursor && cursor.isConnected ? cursor : null;
    if (!el) {
      var list = rows();
      el = delta > 0 ? list[0] : list[list.length - 1];
      if (el && el.classList.contains("error")) { put(el); select(el, true); return; }
    }
    for (var r = step(el, delta); r; r = step(r, delta)) {
      if (r.classList.contains("error")) {
        put(r);
        select(r, true);
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
    var q = params(function (q) { q.delete("span"); });
    history.pushState(null, "", location.pathname + (q.toString() ? "?" + q.toString() : ""));
    return true;
  }
  function toggleKeys() {
    var k = document.getElementById("trace-keys");
    if (k) k.hidden = !k.hidden;
  }
  function foldCursor(open) {
    var tg = cursor && cursor.querySelector("a.tg");
    if (!tg || (tg.getAttribute("aria-expanded") === "true") === open) return false;
    fold(tg);
    return true;
  }
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    switch (ev.key) {
      case "j": case "ArrowDown": move(1); break;
      case "k": case "ArrowUp": move(-1); break;
      case "Enter": if (cursor) select(cursor, true); else return; break;
      case "ArrowLeft": if (!foldCursor(false)) return; break;
      case "ArrowRight": if (!foldCursor(true)) return; break;
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
  // with its span. Count them on the span rows (those in the page now and
  // those loaded later), and show the selected span's lines under its
  // details.
  var logs = document.getElementById("trace-logs");
  var counts = null;
  function logLines(span) {
    return logs ? Array.prototype.slice.call(logs.querySelectorAll('.logline[data-span="' + span + '"]')) : [];
  }
  function badges(root) {
    if (!counts) return;
    Object.keys(counts).forEach(function (span) {
      var el = root.querySelector("#s-" + span);
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
  }
  if (logs) {
    counts = {};
    logs.querySelectorAll(".logline[data-span]").forEach(function (l) {
      var s = l.getAttribute("data-span");
      if (s) counts[s] = (counts[s] || 0) + 1;
    });
    badges(wf);
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
  // fetch that list and mark the matching rows in the page; a match in
  // another window is fetched with its window. The query lives in the URL.
  var find = document.getElementById("span-find");
  var found = {};
  function marks(root) {
    root.querySelectorAll(".row").forEach(function (r) { r.classList.toggle("found", !!found[spanOf(r)]); });
  }
  function goTo(row) {
    put(row);
    cursor.scrollIntoView({ block: "center" });
    select(row, true);
  }
  // reach shows a span's row, loading its window (paths opened) if needed.
  function reach(span) {
    var row = document.getElementById("s-" + span);
    if (row) return Promise.resolve(row);
    return showWindow(params(function (q) { q.set("span", span); q.delete("row"); q.delete("at"); }), null)
      .then(function () { return document.getElementById("s-" + span); });
  }
  if (find) {
    var timer = null, seq = 0;
    var runFind = function (jump) {
      var text = find.value.trim();
      var q = params(function (q) { if (text) q.set("find", text); else q.delete("find"); });
      history.replaceState(null, "", location.pathname + (q.toString() ? "?" + q.toString() : "") + location.hash);
      var mine = ++seq;
      get("/traces/" + traceID + "/find?" + q.toString()).then(function (html) {
        if (mine !== seq) return; // a later keystroke's answer wins
        var fresh = fragment(html);
        var old = document.getElementById("find-results");
        if (old) old.replaceWith(fresh);
        found = {};
        var ids = (fresh.getAttribute("data-ids") || "").split(" ").filter(Boolean);
        ids.forEach(function (id) { found[id] = true; });
        marks(wf);
        if (jump && ids.length) reach(ids[0]).then(function (row) { if (row) goTo(row); });
      }).catch(function () { find.form.submit(); });
    };
    (document.getElementById("find-results").getAttribute("data-ids") || "").split(" ").forEach(function (id) { if (id) found[id] = true; });
    find.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { runFind(false); }, 250);
    });
    find.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      runFind(true);
    });
    // A match is selected in place, its window loaded first if it is not
    // in the page.
    document.addEventListener("click", function (ev) {
      var a = ev.target.closest("#find-results li a");
      if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      var id = (a.hash || "").replace(/^#s-/, "");
      if (!id) return;
      ev.preventDefault();
      reach(id).then(function (row) { if (row) goTo(row); else location.href = a.href; })
        .catch(function () { location.href = a.href; });
    });
  }
})();
