// Zones, the project and the site on a map (plotly's bundled JS, no CDN). With a tile
// server configured: plotly's MapLibre map over the tiles. Without one (offline): plain
// SVG axes in longitude/latitude, y scaled by 1/cos(lat) so shapes keep their proportions.
(function () {
  "use strict";
  var COLOURS = { protection: "rgba(200,30,30,0.35)", control: "rgba(230,140,20,0.25)" };
  var LINES = { protection: "#b01818", control: "#d07a00" };

  function rings(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return [geometry.coordinates[0]];
    if (geometry.type === "MultiPolygon") return geometry.coordinates.map(function (p) { return p[0]; });
    return [];
  }

  function trace(ring, name, fill, line) {
    return { type: "scattermap", mode: "lines", fill: "toself", fillcolor: fill,
      line: { color: line, width: 2 }, name: name, hoverinfo: "name",
      lon: ring.map(function (c) { return c[0]; }), lat: ring.map(function (c) { return c[1]; }) };
  }

  function draw(el) {
    var data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    var traces = [], lons = [], lats = [];
    function keep(t) { traces.push(t); lons = lons.concat(t.lon); lats = lats.concat(t.lat); }
    ((data.zones && data.zones.features) || []).forEach(function (f) {
      var p = f.properties || {};
      var label = p.code + " " + p.name + " · " + (el.dataset["label" + (p.kind === "protection" ? "Protection" : "Control")] || p.kind);
      rings(f.geometry).forEach(function (r) { keep(trace(r, label, COLOURS[p.kind], LINES[p.kind])); });
    });
    if (data.project) {
      var label = el.dataset.labelProject || "project";
      if (data.project.type === "Point") {
        keep({ type: "scattermap", mode: "markers", name: label, marker: { size: 14, color: "#1f4fd1" },
          lon: [data.project.coordinates[0]], lat: [data.project.coordinates[1]] });
      } else {
        rings(data.project).forEach(function (r) { keep(trace(r, label, "rgba(31,79,209,0.35)", "#1f4fd1")); });
      }
    }
    if (data.point) {
      keep({ type: "scattermap", mode: "markers", name: el.dataset.labelSite || "site",
        marker: { size: 10, color: "#333" }, lon: [data.point[0]], lat: [data.point[1]] });
    }
    var b = data.bounds || [117.3, 38.6, 118.1, 39.4];
    var minLon = lons.length ? Math.min.apply(null, lons) : b[0], maxLon = lons.length ? Math.max.apply(null, lons) : b[2];
    var minLat = lats.length ? Math.min.apply(null, lats) : b[1], maxLat = lats.length ? Math.max.apply(null, lats) : b[3];
    var span = Math.max(maxLon - minLon, maxLat - minLat, 0.002);
    var zoom = Math.max(1, Math.min(17, Math.log2(360 / span) - 1));
    var layout = { margin: { l: 0, r: 0, t: 0, b: 0 }, showlegend: traces.length < 12, legend: { x: 0, y: 1 } };
    if (data.tiles) {
      layout.map = { style: { version: 8, sources: { t: { type: "raster", tiles: [data.tiles], tileSize: 256,
        attribution: data.attribution || "" } }, layers: [{ id: "t", type: "raster", source: "t" }] },
        center: { lon: (minLon + maxLon) / 2, lat: (minLat + maxLat) / 2 }, zoom: zoom };
    } else {
      traces.forEach(function (t) { t.type = "scatter"; t.x = t.lon; t.y = t.lat; delete t.lon; delete t.lat; });
      var pad = span * 0.15;
      layout.margin = { l: 60, r: 10, t: 10, b: 40 };
      layout.xaxis = { title: { text: "lon" }, range: [minLon - pad, maxLon + pad], zeroline: false };
      layout.yaxis = { title: { text: "lat" }, scaleanchor: "x",
        scaleratio: 1 / Math.cos(((minLat + maxLat) / 2) * Math.PI / 180), zeroline: false };
    }
    Plotly.newPlot(el, traces, layout, { displaylogo: false, responsive: true });
    el.dataset.drawn = String(traces.length);
  }

  function start() { document.querySelectorAll(".culture-map").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
