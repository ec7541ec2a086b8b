// Indicator chart by subdistrict: series, target line and projection interval.
// Data comes from a json_script tag (not executed), so CSP's script-src 'self' holds.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("chart");
    var src = document.getElementById("chart-data");
    if (!el || !src || !window.Plotly) { return; }
    var data = JSON.parse(src.textContent);
    var traces = data.series.map(function (s, i) {
      return {x: s.points.map(function (p) { return p[0]; }),
              y: s.points.map(function (p) { return p[1]; }),
              name: s.name, mode: "lines", line: {width: i === 0 ? 3 : 1.2}};
    });
    var shapes = [];
    if (data.target !== null && data.kind !== "annual_flow") {
      shapes.push({type: "line", xref: "paper", x0: 0, x1: 1, y0: data.target, y1: data.target,
                   line: {color: "#b3261e", dash: "dash", width: 1.5}});
    }
    if (data.projection && data.last) {
      traces.push({x: [data.last[0], data.projection.when], y: [data.last[1], data.projection.value],
                   name: "projection", mode: "lines+markers", line: {dash: "dot", color: "#444"},
                   error_y: {type: "data", symmetric: false, array: [0, data.projection.upper - data.projection.value],
                             arrayminus: [0, data.projection.value - data.projection.lower]}});
    }
    window.Plotly.newPlot(el, traces, {title: {text: data.title}, shapes: shapes,
      margin: {t: 40, r: 10, b: 40, l: 50}, yaxis: {title: {text: data.unit}},
      legend: {orientation: "h"}}, {displaylogo: false, responsive: true});
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); }
  else { draw(); }
})();
// Print button on the printable report (no inline handlers under CSP).
document.addEventListener("click", function (e) {
  if (e.target && e.target.matches && e.target.matches("[data-print]")) { window.print(); }
});
// Progress report form: post to the chosen measure's URL.
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (form && form.id === "report-form") {
    var select = form.querySelector("[data-report-item]");
    if (select) { form.action = select.value; }
  }
});
