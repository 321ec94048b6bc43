/* Monitoring charts (ECharts, vendored). Overview: status pies and a stacked bar per child unit,
   each slice/bar a link to its list. Indicator page: history, targets, baseline trajectory,
   projection, and the aligned chain. No build step. */
(function () {
  "use strict";
  var COLOURS = {
    done_on_time: "#1e8e3e", done_late: "#e37400", in_progress: "#1a73e8", not_started: "#9aa0a6",
    due_soon: "#f9ab00", overdue: "#d93025", reported: "#34a853", not_reported: "#c5221f",
    achieved: "#1e8e3e", on_track: "#1a73e8", behind: "#f9ab00", missed: "#d93025", no_data: "#9aa0a6", no_target: "#dadce0"
  };
  function vn(x, d) {
    if (x === null || x === undefined) return "—";
    return Number(x).toLocaleString("vi-VN", { maximumFractionDigits: d === undefined ? 2 : d });
  }
  function esc(x) {
    return String(x === null || x === undefined ? "" : x).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }
  function vnDate(iso) { /* "2026-10-31" or a timestamp → "31/10/2026" */
    var d = typeof iso === "string" ? new Date(iso + "T00:00:00") : new Date(iso);
    var dd = ("0" + d.getDate()).slice(-2), mm = ("0" + (d.getMonth() + 1)).slice(-2);
    return dd + "/" + mm + "/" + d.getFullYear();
  }
  function axisDate(v) { /* time-axis ticks: "2030" at a year's start, else "T10/2026" */
    var d = new Date(v);
    return d.getMonth() === 0 && d.getDate() === 1 ? String(d.getFullYear()) : "T" + (d.getMonth() + 1) + "/" + d.getFullYear();
  }
  function axisNumber(v) { return vn(v); }
  function pie(el, data, base) {
    if (!el) return;
    /* SVG: the legend's words stay text (readable, selectable, testable). A plain legend wraps
       onto as many lines as it needs under the ring: every status is named in full (a
       scrolling legend cut the last one to "chưa…"). */
    var c = echarts.init(el, null, { renderer: "svg" });
    c.setOption({
      tooltip: { trigger: "item", formatter: function (p) { return esc(p.name) + ": " + vn(p.value, 0) + " (" + vn(p.percent, 1) + "%)"; } },
      legend: { type: "plain", orient: "horizontal", left: "center", bottom: 0, itemGap: 14, itemWidth: 14, itemHeight: 10,
        formatter: function (name) { return name; } },
      series: [{ type: "pie", radius: ["32%", "58%"], center: ["50%", "40%"],
        data: data.map(function (d) { return { name: d.name, value: d.value, key: d.key, itemStyle: { color: COLOURS[d.key] } }; }),
        label: { formatter: function (p) { return vn(p.value, 0); } } }]
    });
    c.on("click", function (p) { window.location = base + "?trang_thai=" + p.data.key; });
    window.addEventListener("resize", function () { c.resize(); });
  }
  function overview() {
    var node = document.getElementById("monitoring-chart");
    if (!node) return;
    var data = JSON.parse(node.textContent);
    var links = document.getElementById("monitoring-links").dataset;
    pie(document.getElementById("chart-tasks"), data.tasks, links.tasks);
    pie(document.getElementById("chart-indicators"), data.indicators, links.indicators);
    var el = document.getElementById("chart-children");
    if (!el || !data.children.names.length) return;
    var c = echarts.init(el);
    var names = data.children.names.slice().reverse();
    c.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "plain", left: "center" },
      grid: { left: 200, right: 20, top: 70, bottom: 20 },
      xAxis: { type: "value", axisLabel: { formatter: axisNumber } },
      yAxis: { type: "category", data: names, axisLabel: { width: 190, overflow: "truncate" } },
      series: data.children.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "all", data: s.data.slice().reverse(), itemStyle: { color: COLOURS[s.key] } };
      })
    });
    window.addEventListener("resize", function () { c.resize(); });
  }
  function indicator() {
    var el = document.getElementById("indicator-chart");
    if (!el) return;
    fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
      document.getElementById("indicator-status").textContent = d.status_label;
      document.getElementById("indicator-status").className = "badge " + ({ achieved: "green", on_track: "blue", behind: "amber", missed: "red" }[d.status] || "");
      document.getElementById("indicator-reason").textContent = d.reason;
      var unit = d.unit || "";
      var series = [{ name: "Giá trị đã báo cáo", type: "line", symbolSize: 7, data: d.history.map(function (p) { return [p.on, p.value]; }), itemStyle: { color: "#1a73e8" } }];
      if (d.trajectory && d.trajectory.length) {
        series.push({ name: d.trajectory_from === "baseline" ? "Lộ trình từ giá trị cơ sở" : "Lộ trình từ số liệu đầu tiên",
          type: "line", symbol: "none", lineStyle: { type: "dotted", width: 2 }, itemStyle: { color: "#9aa0a6" },
          data: d.trajectory.map(function (p) { return [p.on, p.value]; }) });
      }
      if (d.projection) {
        series.push({ name: "Dự báo theo xu hướng", type: "line", lineStyle: { type: "dashed" }, itemStyle: { color: "#f9ab00" },
          data: d.projection.map(function (p) { return [p.on, p.value]; }) });
      }
      var marks = d.targets.filter(function (t) { return t.value !== null; }).map(function (t) {
        return { name: String(t.year), value: [t.year + "-12-31", t.kind === "range" ? (t.value + t.max) / 2 : t.value], raw: t.raw };
      });
      series.push({ name: "Mục tiêu theo mốc", type: "scatter", symbol: "diamond", symbolSize: 16, itemStyle: { color: "#d93025" },
        data: marks, label: { show: true, position: "top", formatter: function (p) { return p.data.name + ": " + p.data.raw; } } });
      var table = document.getElementById("indicator-history");
      table.innerHTML = "<tr><th>Kỳ</th><th>Giá trị</th><th>Tử số / mẫu số</th><th>Số đơn vị</th></tr>" + d.history.map(function (p) {
        return "<tr><td>" + p.on.slice(5, 7) + "/" + p.on.slice(0, 4) + "</td><td class='num'>" + vn(p.value) + "</td><td class='num'>" +
          (p.num !== null ? vn(p.num) + " / " + vn(p.den) : "") + "</td><td class='num'>" + p.contributors + "</td></tr>";
      }).join("") + (d.history.length ? "" : "<tr><td colspan='4' class='muted'>Chưa có số liệu được tiếp nhận.</td></tr>");
      var chain = document.getElementById("indicator-chain");
      chain.innerHTML = "<tr><th>Cấp</th><th>Chỉ tiêu</th><th>Giá trị mới nhất</th><th>Trạng thái</th></tr>" + d.chain.map(function (x) {
        var label = esc(x.code) + ". " + esc(x.name);
        var name = x.self ? "<strong>" + label + "</strong>" : "<a href='/chi-tieu/" + Number(x.id) + "/'>" + label + "</a>";
        return "<tr><td>" + esc(x.owner) + "</td><td>" + name + "</td><td class='num'>" + (x.latest_text === null ? "—" : esc(x.latest_text) + " " + esc(x.unit || "")) +
          (x.on ? " <span class='small muted'>" + x.on.slice(5, 7) + "/" + x.on.slice(0, 4) + "</span>" : "") + "</td><td>" + esc(x.status_label) + "</td></tr>";
      }).join("");
      var c = echarts.init(el);
      c.setOption({
        tooltip: { trigger: "item", formatter: function (p) { return esc(p.seriesName) + "<br>" + (p.data.raw ? "Mục tiêu " + esc(p.data.name) + ": " + esc(p.data.raw) : vnDate(p.value[0]) + ": " + vn(p.value[1]) + " " + esc(unit)); } },
        legend: { top: 0 },
        grid: { left: 60, right: 30, top: 40, bottom: 40 },
        xAxis: { type: "time", axisLabel: { formatter: axisDate, hideOverlap: true } },
        yAxis: { type: "value", name: unit, inverse: d.direction === "lower", scale: true, axisLabel: { formatter: axisNumber } },
        dataZoom: [{ type: "inside" }],
        series: series
      });
      window.addEventListener("resize", function () { c.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { overview(); indicator(); });
})();
