// The service map's hover highlighting (#16): pointing at a service lights
// it, the calls it makes and receives and the services at their other
// ends, and dims the rest. Only classes change (CSS draws them); without
// JavaScript the map is complete, its tooltips and links included.
(function () {
  "use strict";
  function wire(svg) {
    function light(name) {
      svg.classList.add("focus");
      svg.querySelectorAll("a.map-edge, a.map-edge-label").forEach(function (e) {
        var on = e.dataset.client === name || e.dataset.server === name;
        e.classList.toggle("lit", on);
        if (on) {
          [e.dataset.client, e.dataset.server].forEach(function (s) {
            svg.querySelectorAll("a.map-node").forEach(function (n) {
              if (n.dataset.service === s) n.classList.add("lit");
            });
          });
        }
      });
      svg.querySelectorAll("a.map-node").forEach(function (n) {
        if (n.dataset.service === name) n.classList.add("lit");
      });
    }
    function clear() {
      svg.classList.remove("focus");
      svg.querySelectorAll(".lit").forEach(function (x) { x.classList.remove("lit"); });
    }
    svg.querySelectorAll("a.map-node").forEach(function (n) {
      n.addEventListener("mouseenter", function () { clear(); light(n.dataset.service); });
      n.addEventListener("focus", function () { clear(); light(n.dataset.service); });
      n.addEventListener("mouseleave", clear);
      n.addEventListener("blur", clear);
    });
  }
  function scan() {
    document.querySelectorAll("svg.service-map:not([data-wired])").forEach(function (svg) {
      svg.dataset.wired = "1";
      wire(svg);
    });
  }
  // The map panel streams in after the page shell: look again as it lands.
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", scan);
  scan();
})();
