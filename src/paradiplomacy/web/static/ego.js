// The ego network page: nodes on rings by distance from the centre, ties as lines (plain SVG).
(function () {
  "use strict";
  var svg = document.getElementById("ego");
  if (!svg) { return; }
  var NS = "http://www.w3.org/2000/svg";
  function add(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    svg.appendChild(node);
    return node;
  }
  fetch(svg.getAttribute("data-ego"), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (ego) {
    var rings = {}, where = {}, cx = 450, cy = 320;
    ego.nodes.forEach(function (n) { var d = n.distance || 0; (rings[d] = rings[d] || []).push(n); });
    Object.keys(rings).forEach(function (d) {
      var list = rings[d], r = Number(d) * 140;
      list.forEach(function (n, i) {
        var a = 2 * Math.PI * i / list.length;
        where[n.key] = [cx + r * Math.cos(a), cy + r * Math.sin(a)];
      });
    });
    ego.edges.forEach(function (e) {
      var a = where[e.source_key], b = where[e.target_key];
      if (a && b) { add("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: "#9ab", "stroke-width": 1 }); }
    });
    ego.nodes.forEach(function (n) {
      var p = where[n.key]; if (!p) { return; }
      var c = add("circle", { cx: p[0], cy: p[1], r: n.distance ? 5 : 9, fill: n.distance ? "#2874a6" : "#f1c40f", stroke: "#17324d" });
      c.appendChild(add("title", {}, n.name || n.key));
      if ((rings[n.distance || 0] || []).length <= 40) {
        add("text", { x: p[0] + 7, y: p[1] + 4, "font-size": 10 }, n.name || n.key);
      }
    });
  });
})();
