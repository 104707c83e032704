/* Pan and zoom for an inline <svg> with a viewBox: drag to pan, wheel to zoom around the pointer
   (with Ctrl/Cmd only when `modifier` is set, so a page still scrolls). A drag never counts as a
   click on what it started on. Returns { reset() }. */
function gaPanZoom(svg, options) {
  "use strict";
  options = options || {};
  var home = null;
  function box() { return svg.viewBox.baseVal; }
  function save() { var b = box(); home = [b.x, b.y, b.width, b.height]; }
  function set(x, y, w, h) { svg.setAttribute("viewBox", [x, y, w, h].join(" ")); }
  function toUser(clientX, clientY) {
    var pt = svg.createSVGPoint(), ctm = svg.getScreenCTM();
    pt.x = clientX; pt.y = clientY;
    return ctm ? pt.matrixTransform(ctm.inverse()) : pt;
  }
  if (!svg.getAttribute("viewBox")) {
    var w = parseFloat(svg.getAttribute("width")) || 100, h = parseFloat(svg.getAttribute("height")) || 100;
    set(0, 0, w, h);
  }
  save();
  svg.addEventListener("wheel", function (event) {
    if (options.modifier && !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    var factor = Math.exp(Math.max(-60, Math.min(60, event.deltaY)) * 0.004);
    var p = toUser(event.clientX, event.clientY), b = box();
    var width = b.width * factor;
    if (width < home[2] / 40 || width > home[2] * 20) return;
    set(p.x - (p.x - b.x) * factor, p.y - (p.y - b.y) * factor, width, b.height * factor);
  }, { passive: false });
  var drag = null, dragged = false;
  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) return;
    var b = box(), ctm = svg.getScreenCTM();
    drag = { x: event.clientX, y: event.clientY, bx: b.x, by: b.y, scale: ctm ? ctm.a : 1, id: event.pointerId };
    dragged = false;
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!dragged) { dragged = true; svg.setPointerCapture(drag.id); svg.style.cursor = "grabbing"; }
    var b = box();
    set(drag.bx - dx / drag.scale, drag.by - dy / drag.scale, b.width, b.height);
  });
  function end() { drag = null; svg.style.cursor = ""; }
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  svg.addEventListener("click", function (event) {
    if (dragged) { event.preventDefault(); event.stopPropagation(); dragged = false; }
  }, true);
  return {
    reset: function () { set(home[0], home[1], home[2], home[3]); },
    zoom: function (factor) {
      var b = box(), cx = b.x + b.width / 2, cy = b.y + b.height / 2;
      set(cx - b.width * factor / 2, cy - b.height * factor / 2, b.width * factor, b.height * factor);
    },
    rehome: save
  };
}
