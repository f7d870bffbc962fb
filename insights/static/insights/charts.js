// 统计分析 (insights/): draws each chart of the page from the json_script payload #insights-data into #chart-<id>.
// The numbers are also in the table under each chart; without JavaScript the tables remain.
(function () {
  "use strict";
  var source = document.getElementById("insights-data");
  if (!source || typeof window.echarts === "undefined") return;
  var charts = JSON.parse(source.textContent);
  var drawn = [];
  charts.forEach(function (c) {
    var box = document.getElementById("chart-" + c.id);
    if (!box || !c.categories.length) return;
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    var series = c.series.slice(0, c.plotted).map(function (s) {
      return {
        name: s.name,
        type: c.kind,
        stack: c.stacked ? "total" : undefined,
        connectNulls: false,
        data: s.data.map(function (v) { return v === null ? null : Number(v); })
      };
    });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: c.categories, axisLabel: { interval: 0, rotate: c.categories.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", name: c.unit },
      series: series
    });
    box.dataset.rendered = "1";
    drawn.push(chart);
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { chart.resize(); });
  });
})();
