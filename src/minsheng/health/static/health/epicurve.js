// Epidemic curve: weekly reports stacked by subdistrict, with the detector's expected value
// and threshold for the chosen area. Data comes from the json_script block (CSP: no inline JS).
(function () {
  function draw() {
    var holder = document.getElementById("epicurve");
    var source = document.getElementById("epicurve-data");
    if (!holder || !source || typeof Plotly === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var traces = data.series.map(function (s) {
      return { type: "bar", name: s.area, x: data.dates, y: s.counts };
    });
    if (data.upper && data.upper.length) {
      traces.push({ type: "scatter", mode: "lines", name: data.labels.expected, x: data.dates,
                    y: data.expected, line: { color: "#555", dash: "dot" } });
      traces.push({ type: "scatter", mode: "lines", name: data.labels.upper, x: data.dates,
                    y: data.upper, line: { color: "#c0392b", width: 2 } });
      var ax = [], ay = [];
      data.alarm.forEach(function (a, i) { if (a) { ax.push(data.dates[i]); ay.push(data.total[i]); } });
      traces.push({ type: "scatter", mode: "markers", name: "\u2691", x: ax, y: ay,
                    marker: { color: "#c0392b", size: 9, symbol: "triangle-down" } });
    }
    Plotly.newPlot(holder, traces, {
      barmode: "stack", margin: { t: 20, r: 10, b: 40, l: 40 },
      legend: { orientation: "h" }, xaxis: { type: "date" }
    }, { responsive: true, displaylogo: false });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); }
  else { draw(); }
})();
