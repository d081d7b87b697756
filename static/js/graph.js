// The graph page's enhancements: a hover crosshair with each series'
// value, drag across the chart to zoom, [ ] and - to move in time, and
// legend clicks that isolate a series without a reload. Without this
// script the page still works: zoom by editing from/to, isolate by the
// legend links, open traces by the exemplar links.
(function () {
  "use strict";
  // The hints name what this script does: they appear only with it.
  Array.prototype.forEach.call(document.querySelectorAll(".graph-controls .keys[hidden]"), function (e) { e.hidden = false; });
  var SVGNS = "http://www.w3.org/2000/svg";

  function num(el, name) { return parseFloat(el.getAttribute("data-" + name)); }

  function fmt(v, unit) {
    if (!isFinite(v)) return String(v);
    var a = Math.abs(v), s = "", m = 1;
    if (unit === "seconds") {
      if (a === 0 || a >= 1) { s = " s"; } else if (a >= 1e-3) { s = " ms"; m = 1e3; } else { s = " µs"; m = 1e6; }
    } else if (unit === "bytes") {
      if (a >= 1073741824) { s = " GiB"; m = 1 / 1073741824; } else if (a >= 1048576) { s = " MiB"; m = 1 / 1048576; }
      else if (a >= 1024) { s = " KiB"; m = 1 / 1024; } else { s = " B"; }
    }
    return String(Number((v * m).toPrecision(3))) + s;
  }

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function clock(ms, utc) {
    var d = new Date(ms);
    return utc ? pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds())
      : pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  // Parse "M1 2L3 4h0.1M5 6" into [[x, y], ...] sorted by x.
  function pathPoints(d) {
    var out = [], re = /([ML])(-?[\d.]+) (-?[\d.]+)/g, m;
    while ((m = re.exec(d)) !== null) out.push([parseFloat(m[2]), parseFloat(m[3])]);
    return out;
  }

  function nearest(pts, x) {
    var lo = 0, hi = pts.length - 1;
    if (hi < 0) return null;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (pts[mid][0] < x) lo = mid; else hi = mid; }
    return Math.abs(pts[lo][0] - x) <= Math.abs(pts[hi][0] - x) ? pts[lo] : pts[hi];
  }

  // relDuration writes seconds in the URL's duration syntax (15m, 2h, 1d).
  function relDuration(sec) {
    var units = [["w", 604800], ["d", 86400], ["h", 3600], ["m", 60]];
    for (var i = 0; i < units.length; i++) {
      if (sec >= units[i][1] && sec % units[i][1] === 0) return (sec / units[i][1]) + units[i][0];
    }
    return sec + "s";
  }

  function setURL(params, replace) {
    var u = new URL(window.location.href);
    Object.keys(params).forEach(function (k) {
      if (params[k] === null) u.searchParams.delete(k); else u.searchParams.set(k, params[k]);
    });
    if (replace) history.replaceState(null, "", u.toString()); else window.location.assign(u.toString());
  }

  function setup(svg) {
    var g = {
      from: num(svg, "from-ms"), to: num(svg, "to-ms"),
      px: num(svg, "plot-x"), py: num(svg, "plot-y"), pw: num(svg, "plot-w"), ph: num(svg, "plot-h"),
      ymin: num(svg, "y-min"), ymax: num(svg, "y-max"), unit: svg.getAttribute("data-unit")
    };
    var utc = new URL(window.location.href).searchParams.get("utc") === "1";
    var lines = Array.prototype.map.call(svg.querySelectorAll("path.line"), function (p) {
      return { el: p, pts: pathPoints(p.getAttribute("d") || ""), name: p.getAttribute("data-name"), cls: p.getAttribute("class") };
    });
    var cross = document.createElementNS(SVGNS, "line");
    cross.setAttribute("class", "crosshair");
    cross.setAttribute("y1", g.py); cross.setAttribute("y2", g.py + g.ph);
    cross.setAttribute("visibility", "hidden");
    svg.appendChild(cross);
    var zoom = document.createElementNS(SVGNS, "rect");
    zoom.setAttribute("class", "zoom");
    zoom.setAttribute("y", g.py); zoom.setAttribute("height", g.ph);
    zoom.setAttribute("visibility", "hidden");
    svg.appendChild(zoom);
    var box = svg.parentNode;
    var readout = document.createElement("div");
    readout.className = "readout";
    readout.hidden = true;
    box.appendChild(readout);

    function toX(ev) {
      var pt = svg.createSVGPoint();
      pt.x = ev.clientX; pt.y = ev.clientY;
      return pt.matrixTransform(svg.getScreenCTM().inverse()).x;
    }
    function clampX(x) { return Math.max(g.px, Math.min(g.px + g.pw, x)); }
    function timeAt(x) { return g.from + (x - g.px) / g.pw * (g.to - g.from); }
    function valueAt(y) { return g.ymin + (g.py + g.ph - y) / g.ph * (g.ymax - g.ymin); }

    var dragFrom = null;
    svg.addEventListener("mousemove", function (ev) {
      var x = clampX(toX(ev));
      cross.setAttribute("x1", x); cross.setAttribute("x2", x);
      cross.setAttribute("visibility", "visible");
      if (dragFrom !== null) {
        zoom.setAttribute("x", Math.min(dragFrom, x));
        zoom.setAttribute("width", Math.abs(x - dragFrom));
        zoom.setAttribute("visibility", "visible");
      }
      readout.textContent = "";
      var head = document.createElement("div");
      head.textContent = clock(timeAt(x), utc);
      readout.appendChild(head);
      lines.forEach(function (l) {
        if (l.el.classList.contains("off")) return;
        var p = nearest(l.pts, x);
        if (!p || Math.abs(p[0] - x) > g.pw / 50) return;
        var row = document.createElement("div");
        row.className = "row " + (l.cls.match(/\bc\d+\b/) || [""])[0];
        var sw = document.createElement("span");
        sw.className = "swatch";
        var text = document.createElement("span");
        text.textContent = fmt(valueAt(p[1]), g.unit) + "  " + l.name;
        row.appendChild(sw); row.appendChild(text);
        readout.appendChild(row);
      });
      var r = box.getBoundingClientRect();
      var left = ev.clientX - r.left + 16;
      readout.hidden = false;
      if (left + readout.offsetWidth > r.width) left = ev.clientX - r.left - readout.offsetWidth - 16;
      readout.style.left = Math.max(0, left) + "px";
      readout.style.top = (ev.clientY - r.top + 12) + "px";
    });
    svg.addEventListener("mouseleave", function () {
      cross.setAttribute("visibility", "hidden");
      readout.hidden = true;
    });
    svg.addEventListener("mousedown", function (ev) {
      if (ev.button !== 0 || ev.target.closest("a")) return; // exemplar links stay clickable
      dragFrom = clampX(toX(ev));
      ev.preventDefault();
    });
    window.addEventListener("mouseup", function (ev) {
      if (dragFrom === null) return;
      var x = clampX(toX(ev)), a = Math.min(dragFrom, x), b = Math.max(dragFrom, x);
      dragFrom = null;
      zoom.setAttribute("visibility", "hidden");
      if (b - a < 4) return; // a click, not a drag
      setURL({ from: String(Math.floor(timeAt(a) / 1000)), to: String(Math.ceil(timeAt(b) / 1000)) });
    });
  }

  // Legend: isolate a series in place and keep the choice in the URL.
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest(".legend a[data-series]");
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    ev.preventDefault();
    var panel = a.closest(".panel");
    var id = a.getAttribute("data-series");
    var on = a.getAttribute("aria-pressed") !== "true";
    panel.querySelectorAll(".legend a[data-series]").forEach(function (o) {
      var mine = o.getAttribute("data-series") === id;
      o.setAttribute("aria-pressed", String(on && mine));
      o.parentNode.classList.toggle("off", on && !mine);
    });
    panel.querySelectorAll("svg.chart [data-series]").forEach(function (el) {
      var s = el.getAttribute("data-series");
      el.classList.toggle("off", on && s !== id);
    });
    setURL({ only: on ? id : null }, true);
  });

  // [ and ] shift the window by half its length, - doubles it.
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    var svg = document.querySelector("svg.chart");
    if (!svg) return;
    var from = num(svg, "from-ms"), to = num(svg, "to-ms"), w = to - from, f, e;
    if (ev.key === "[") { f = from - w / 2; e = to - w / 2; }
    else if (ev.key === "]") { f = from + w / 2; e = to + w / 2; }
    else if (ev.key === "-") { f = from - w / 2; e = to + w / 2; }
    else return;
    ev.preventDefault();
    // Never past now: a window reaching it stays relative, as the server
    // would clamp it (links.ClampToNow).
    if (e >= Date.now()) {
      setURL({ from: "now-" + relDuration(Math.round((e - f) / 1000)), to: "now" });
      return;
    }
    setURL({ from: String(Math.floor(f / 1000)), to: String(Math.ceil(e / 1000)) });
  });

  document.querySelectorAll("svg.chart").forEach(setup);
  // On a phone the chart scrolls in its box: start at the latest time.
  document.querySelectorAll(".chart-box").forEach(function (b) {
    if (b.scrollWidth > b.clientWidth) b.scrollLeft = b.scrollWidth;
  });
})();
