// The actor page's map: country outlines (Natural Earth via world-atlas), the actor and a line to each
// partner. Everything is served by the package: no tile server, no CDN.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { worldCopyJump: false, attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix("Leaflet · Natural Earth");
  map.setView([36, 138], 3);
  var colours = { sister: "#c0392b", friendship: "#2874a6", twinning: "#7d3c98" };
  // The page's language: notes and vocabulary labels come from the page (data-labels), as text.
  var labels = {};
  try { labels = JSON.parse(el.getAttribute("data-labels") || "{}"); } catch (e) { labels = {}; }
  var words = labels.vocabulary || {};
  function say(key, fallback, n) {
    return String(labels[key] || fallback).replace("{n}", String(n));
  }
  function label(value) { return words[value] || String(value || "").replace(/_/g, " "); }
  function tip(text) { var span = document.createElement("span"); span.textContent = text; return span; }

  function shift(geometry, dx) {
    function move(c) { return typeof c[0] === "number" ? [c[0] + dx, c[1]] : c.map(move); }
    return { type: geometry.type, coordinates: move(geometry.coordinates) };
  }

  function drawWorld(topology) {
    var land = topojson.feature(topology, topology.objects.countries);
    var style = { color: "#8a9aa8", weight: 0.6, fillColor: "#f4f1e8", fillOpacity: 1 };
    [0, 360, -360].forEach(function (dx) {
      var copy = { type: "FeatureCollection", features: land.features.map(function (f) {
        return { type: "Feature", properties: f.properties, geometry: shift(f.geometry, dx) };
      }) };
      L.geoJSON(copy, { style: style, interactive: false }).addTo(map);
    });
  }

  function drawTies(data) {
    var home = null, bounds = [];
    data.features.forEach(function (f) { if (f.properties.role === "self") { home = f.geometry.coordinates; } });
    var note = document.getElementById("map-note");
    if (!home) { if (note) { note.textContent = say("no_coordinates", "This actor has no coordinates: no map."); } return; }
    function near(lon) { while (lon - home[0] > 180) { lon -= 360; } while (home[0] - lon > 180) { lon += 360; } return lon; }
    var lines = 0;
    data.features.forEach(function (f) {
      var p = f.properties, g = f.geometry;
      if (g.type === "LineString") {
        var a = g.coordinates[0], b = g.coordinates[1];
        L.polyline([[a[1], a[0]], [b[1], near(b[0])]], { color: colours[p.kind] || "#d35400", weight: 2.5,
          opacity: 1, className: "tie-line" }).bindTooltip(tip(p.partner + " · " + label(p.kind) + (p.start ? " · " + ((labels.starts || {})[p.tie_id] || p.start) : ""))).addTo(map);
        lines += 1;
      } else if (g.type === "Point") {
        var ll = [g.coordinates[1], p.role === "self" ? g.coordinates[0] : near(g.coordinates[0])];
        bounds.push(ll);
        L.circleMarker(ll, { radius: p.role === "self" ? 7 : 4, color: p.role === "self" ? "#17324d" : "#444",
          fillColor: p.role === "self" ? "#f1c40f" : "#fff", fillOpacity: 1, weight: 2 })
          .bindTooltip(tip(p.name || "")).addTo(map);
      }
    });
    el.setAttribute("data-lines", String(lines));
    if (note) {
      note.textContent = (lines === 1 ? say("one_line", "1 tie line drawn", 1) : say("lines", "{n} tie lines drawn", lines)) +
        (data.unplaced ? say("separator", "; ") + say("unplaced", "{n} partners without coordinates not drawn", data.unplaced) : "") + say("end", ".");
    }
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 }); }
    else { map.setView([home[1], home[0]], 5); }
  }

  fetch(el.getAttribute("data-world")).then(function (r) { return r.json(); }).then(function (world) {
    drawWorld(world);
    return fetch(el.getAttribute("data-map"), { credentials: "same-origin" });
  }).then(function (r) { return r.json(); }).then(function (data) {
    drawTies(data);
    el.setAttribute("data-ready", "true");
  }).catch(function (error) {
    el.setAttribute("data-ready", "error");
    var note = document.getElementById("map-note");
    if (note) { note.textContent = say("failed", "The map could not be drawn:") + " " + error; }
  });
})();
