// Label pickers (graph and logs pages). Without this file a picker is links:
// each one reloads the page with the picker's next list, and a value's link
// is the page with its matcher in the query. With it, the same lists come
// as HTML fragments of the same URLs (the box's current text sent as the
// query), and choosing a value edits the query box in place, so several
// matchers can be chosen before running it (Ctrl+Enter or Run).
(function () {
  "use strict";

  function boxOf(p) { return document.getElementById(p.getAttribute("data-target")); }

  // url with the query parameter set to what the box holds now.
  function withBox(url, p) {
    var u = new URL(url, location.href);
    var box = boxOf(p);
    if (box) u.searchParams.set(p.getAttribute("data-param"), box.value);
    return u;
  }

  // load replaces picker p by the fragment at u; on failure the browser
  // goes where the link would have gone without this script.
  function load(p, u, fallback, then) {
    p.setAttribute("aria-busy", "true");
    fetch(u, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.text();
    }).then(function (html) {
      var t = document.createElement("template");
      t.innerHTML = html;
      var next = t.content.querySelector(".picker");
      if (!next) throw new Error("no picker in the answer");
      p.replaceWith(next);
      keepOpen(next);
      if (then) then(next);
    }).catch(function () {
      if (fallback) location.href = fallback;
      else p.removeAttribute("aria-busy");
    });
  }

  // keepOpen makes running the query keep the picker as it is, open or
  // closed, as its links do without this script.
  function keepOpen(p) {
    var box = boxOf(p);
    if (!box || !box.form) return;
    var h = box.form.querySelector("input[type=hidden][name=labels]");
    if (p.getAttribute("data-open") === "true" && !h) {
      h = document.createElement("input");
      h.type = "hidden"; h.name = "labels"; h.value = "1";
      box.form.appendChild(h);
    } else if (p.getAttribute("data-open") !== "true" && h) {
      h.remove();
    }
  }

  // fragmentOf is a page URL's fragment: /graph?… is /graph/labels?….
  function fragmentOf(href) {
    var u = new URL(href, location.href);
    u.pathname = u.pathname.replace(/\/$/, "") + "/labels";
    return u;
  }

  document.addEventListener("click", function (ev) {
    if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    var a = ev.target.closest ? ev.target.closest(".picker a") : null;
    if (!a) return;
    var p = a.closest(".picker");
    if (a.classList.contains("pick-value")) {
      ev.preventDefault();
      load(p, withBox(a.getAttribute("data-fragment"), p), a.href, function (next) {
        var box = boxOf(next);
        if (!box) return;
        box.value = next.getAttribute("data-query");
        box.dispatchEvent(new Event("input", { bubbles: true }));
        box.focus();
      });
    } else if (a.hasAttribute("data-fragment")) {
      ev.preventDefault();
      load(p, withBox(a.getAttribute("data-fragment"), p), a.href, function (next) {
        var f = next.querySelector(".pick-filter input[name=filter]");
        if (f) f.focus();
      });
    } else if (a.classList.contains("picker-close")) {
      ev.preventDefault();
      load(p, fragmentOf(a.href), a.href);
    }
  });

  // The filter hides the listed values that do not match as one types;
  // submitting it (Enter) asks the server, which also finds the values
  // beyond the first listed.
  document.addEventListener("input", function (ev) {
    var f = ev.target;
    if (!f.matches || !f.matches(".pick-filter input[name=filter]")) return;
    var needle = f.value.toLowerCase();
    var list = f.form.parentNode.querySelectorAll(".pick-value-list li");
    Array.prototype.forEach.call(list, function (li) {
      li.hidden = needle !== "" && li.textContent.toLowerCase().indexOf(needle) < 0;
    });
  });
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches(".pick-filter")) return;
    var p = form.closest(".picker");
    ev.preventDefault();
    var u = new URL(form.getAttribute("data-fragment"), location.href);
    new FormData(form).forEach(function (v, k) { u.searchParams.set(k, v); });
    var page = new URL(form.action, location.href);
    page.search = u.search;
    load(p, withBox(u, p), page.href, function (next) {
      var f = next.querySelector(".pick-filter input[name=filter]");
      if (f) { f.focus(); f.setSelectionRange(f.value.length, f.value.length); }
    });
  });
})();
