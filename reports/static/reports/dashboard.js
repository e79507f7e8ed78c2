// Draws the dashboard's charts from the JSON the page embeds; the same numbers are in the tables beside them.
(function () {
  "use strict";
  var source = document.getElementById("reports-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#9b1c1c", "#2f6f9f", "#d08c1a", "#3c8d5a", "#7b5aa6", "#6c757d"];

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }

  draw("chart-status", {
    type: "bar",
    data: { labels: data.status.labels, datasets: [{ data: data.status.values, backgroundColor: colours[0] }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-clocks", {
    type: "bar",
    data: {
      labels: data.clocks.labels,
      datasets: data.clocks.series.map(function (series, i) {
        return { label: series.label, data: series.values, backgroundColor: [colours[3], colours[2], colours[0], colours[1]][i] };
      })
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-outcomes", {
    type: "bar",
    data: { labels: data.outcomes.labels, datasets: [{ data: data.outcomes.values, backgroundColor: [colours[3], colours[2], colours[0]] }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-tiers", {
    type: "bar",
    data: { labels: data.tiers.labels, datasets: [{ data: data.tiers.values, backgroundColor: [colours[3], colours[1], colours[2], colours[0]] }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-rewards", {
    type: "bar",
    data: {
      labels: data.rewards.labels,
      datasets: data.rewards.series.map(function (series, i) {
        return { label: series.label, data: series.values, backgroundColor: [colours[2], colours[3], colours[5]][i] };
      })
    },
    options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } }
  });
  if (data.retaliation) {
    draw("chart-retaliation", {
      type: "bar",
      data: { labels: data.retaliation.labels, datasets: [{ data: data.retaliation.values, backgroundColor: colours[4] }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  draw("chart-authority", {
    type: "bar",
    data: { labels: data.authority.labels, datasets: [{ data: data.authority.values, backgroundColor: colours[1] }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-months", {
    type: "line",
    data: {
      labels: data.months.labels,
      datasets: data.months.series.map(function (series, i) {
        var colour = [colours[1], colours[3], colours[0]][i];
        return { label: series.label, data: series.values, borderColor: colour, backgroundColor: colour };
      })
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
}());
