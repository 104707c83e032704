/* goanalyzer site: each inline diagram gets zoom buttons, Ctrl+wheel zoom, drag to pan, and a link
   to the picture at full size. Node links and tooltips are the SVG's own. */
(function () {
  "use strict";
  function button(label, title, action) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = label; b.title = title;
    b.addEventListener("click", action);
    return b;
  }
  function setup() {
    document.querySelectorAll(".ga-diagram").forEach(function (box) {
      var svg = box.querySelector("svg");
      if (!svg || box.dataset.ready) return;
      box.dataset.ready = "1";
      var zoom = gaPanZoom(svg, { modifier: true });
      var bar = document.createElement("div");
      bar.className = "ga-diagram-bar";
      bar.append(button("+", "zoom in", function () { zoom.zoom(1 / 1.4); }),
                 button("−", "zoom out", function () { zoom.zoom(1.4); }),
                 button("⟲", "whole picture", function () { zoom.reset(); }));
      var full = document.createElement("a");
      full.href = box.dataset.full; full.textContent = "full size"; full.target = "_blank"; full.rel = "noopener";
      var hint = document.createElement("span");
      hint.textContent = "drag to move · Ctrl+wheel to zoom";
      bar.append(full, hint);
      box.insertBefore(bar, svg);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
