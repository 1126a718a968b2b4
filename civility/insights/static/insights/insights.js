// Draws the charts of the insights pages with Chart.js (served from node_modules, never a
// CDN). The data sits in <script type="application/json"> next to each canvas; every chart
// has the same figures as a table beside it, so the page works without JavaScript.
(function () {
  function draw() {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.source);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var kind = canvas.dataset.chart;
      new Chart(canvas, {
        type: kind,
        data: {
          labels: data.labels,
          datasets: [{ label: data.label, data: data.values, spanGaps: true,
                       borderColor: "#b42318", backgroundColor: "rgba(180,35,24,0.35)" }],
        },
        options: {
          maintainAspectRatio: false,
          indexAxis: kind === "bar" ? "y" : "x",
          scales: kind === "bar" ? { x: { min: 0, max: 100 } } : { y: { min: 0, max: 100 } },
          plugins: { legend: { display: false } },
        },
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
