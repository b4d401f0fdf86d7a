/* Kakehashi charts: draws every <canvas data-chart="ID"> from the JSON in <script id="ID">.
   Charts are decorative (their container is aria-hidden); the table next to each is the source
   of truth. Colours come from the Digital Agency design tokens. Needs vendor/chartjs first. */
(function () {
  "use strict";

  function token(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function palette() {
    return {
      primary: token("--color-primitive-blue-900", "#0031d8"),
      secondary: token("--color-primitive-light-blue-500", "#57a4e6"),
      warning: token("--color-primitive-orange-700", "#c74700"),
      target: token("--color-primitive-red-800", "#ce0000"),
      text: token("--color-neutral-solid-gray-800", "#333"),
      grid: token("--color-neutral-solid-gray-100", "#e6e6e6"),
    };
  }

  function datasets(spec, colors) {
    return spec.datasets.map(function (set) {
      var color = colors[set.color] || colors.primary;
      return {
        label: set.label,
        data: set.data,
        backgroundColor: color,
        borderColor: color,
        borderWidth: spec.type === "line" ? 2 : 0,
        borderDash: set.dash ? [6, 4] : undefined,
        pointRadius: spec.type === "line" ? 0 : undefined,
        spanGaps: false,
        tension: 0,
      };
    });
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var colors = palette();
    var horizontal = spec.type === "bar" && spec.horizontal;
    if (horizontal) {
      // One band per row so long Japanese labels stay readable on a phone.
      canvas.parentElement.style.height = Math.max(160, spec.labels.length * 34 + 70) + "px";
    }
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = colors.text;
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets(spec, colors) },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } },
        scales: {
          x: { grid: { color: colors.grid }, beginAtZero: true, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { grid: { color: colors.grid }, beginAtZero: true, ticks: { autoSkip: !horizontal } },
        },
      },
    });
  }

  function init() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
