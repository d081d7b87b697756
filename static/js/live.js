// Live mode of the logs page: follows GET /logs/live (server-sent events,
// each an HTML fragment of rows rendered by the server) and puts new
// lines at the top. Pause holds what arrives and shows it on resume; the
// page keeps the newest data-keep lines and drops the oldest. Without
// this file the section's "Refresh every 5 s" link reloads the page.
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box || !window.EventSource || !box.dataset.stream) return;
  var startBtn = box.querySelector(".live-start");
  var pauseBtn = box.querySelector(".live-pause");
  var rateEl = box.querySelector(".live-rate");
  var statusEl = box.querySelector(".live-status");
  var list = box.querySelector(".live-lines");
  var note = box.querySelector(".live-note");
  var keep = parseInt(box.dataset.keep, 10) || 1000;
  var es = null, paused = false, held = [], arrivals = [], timer = 0;

  startBtn.hidden = false;

  function status(t) { statusEl.textContent = t; }

  // fragment parses trusted server HTML (already escaped) into nodes.
  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  function show(frag) {
    list.insertBefore(frag, list.firstChild);
    while (list.children.length > keep) list.removeChild(list.lastElementChild);
  }

  function onLines(ev) {
    var frag = fragment(ev.data);
    var n = frag.querySelectorAll(".logline").length;
    var now = Date.now();
    for (var i = 0; i < n; i++) arrivals.push(now);
    if (paused) {
      held.push(frag);
      if (held.length > keep) held.shift();
      status("Paused: " + held.length + " batch" + (held.length === 1 ? "" : "es") + " waiting");
      return;
    }
    show(frag);
    status("Following");
  }

  function onDropped(ev) {
    var frag = fragment(ev.data);
    if (paused) held.push(frag); else show(frag);
  }

  // The rate is lines per second over the last ten seconds (or since the
  // start, when that is shorter).
  var began = 0;
  function tick() {
    var now = Date.now();
    while (arrivals.length && arrivals[0] < now - 10000) arrivals.shift();
    var span = Math.max(1, Math.min(10, (now - began) / 1000));
    rateEl.textContent = (arrivals.length / span).toFixed(1) + " lines/s";
  }

  function start() {
    es = new EventSource(box.dataset.stream);
    es.addEventListener("lines", onLines);
    es.addEventListener("dropped", onDropped);
    es.addEventListener("end", function (ev) { status(ev.data); });
    es.addEventListener("problem", function (ev) { status(ev.data); stop(); });
    es.onopen = function () { status(paused ? "Paused" : "Following"); };
    es.onerror = function () {
      if (es && es.readyState === EventSource.CLOSED) {
        status("The server refused to follow this query (Loki unreachable, or too many live tails open: stop one in another tab).");
        stop();
      } else {
        status("Reconnecting…");
      }
    };
    began = Date.now();
    arrivals = [];
    timer = setInterval(tick, 1000);
    tick();
    box.classList.add("on");
    startBtn.textContent = "Stop live";
    pauseBtn.hidden = false;
    rateEl.hidden = false;
    note.hidden = false;
    status("Connecting…");
  }

  function stop() {
    if (es) es.close();
    es = null;
    clearInterval(timer);
    setPaused(false);
    box.classList.remove("on");
    startBtn.textContent = "Start live";
    pauseBtn.hidden = true;
    rateEl.hidden = true;
  }

  function setPaused(p) {
    paused = p;
    box.classList.toggle("paused", p);
    pauseBtn.textContent = p ? "Resume" : "Pause";
    pauseBtn.setAttribute("aria-pressed", String(p));
    if (!p) {
      while (held.length) show(held.shift());
      if (es) status("Following");
    } else {
      status("Paused");
    }
  }

  startBtn.addEventListener("click", function () { if (es) { stop(); status("Stopped"); } else start(); });
  pauseBtn.addEventListener("click", function () { setPaused(!paused); });
  window.addEventListener("pagehide", function () { if (es) es.close(); });
})();
