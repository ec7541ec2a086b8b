// Draws one plotly chart per sensor from the JSON in #sensor-series (no inline scripts: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("sensor-series");
  var target = document.getElementById("charts");
  if (!node || !target || typeof Plotly === "undefined") { return; }
  JSON.parse(node.textContent).forEach(function (s, i) {
    var div = document.createElement("div");
    div.id = "chart-" + i;
    div.className = "card";
    target.appendChild(div);
    var traces = [{x: s.x, y: s.y, mode: "lines", name: s.code}];
    [["level1", "#d98b00"], ["level2", "#c0392b"]].forEach(function (pair) {
      if (s[pair[0]] !== null && s.x.length) {
        traces.push({x: [s.x[0], s.x[s.x.length - 1]], y: [s[pair[0]], s[pair[0]]],
                     mode: "lines", name: pair[0], line: {dash: "dot", color: pair[1]}});
      }
    });
    Plotly.newPlot(div, traces, {title: s.code + " (" + s.unit + ")", height: 260,
                                 margin: {t: 40, l: 50, r: 20, b: 40}}, {displaylogo: false});
  });
});
