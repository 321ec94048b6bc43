// Type-ahead over a table of units: <input data-filter-table="ID"> hides the rows of table#ID
// (or the [data-filter-item] elements of any other #ID) whose first cell does not contain the typed words (accents and case ignored: "tinh khe"
// finds "Xã Tịnh Khê"). A span #<input id>-count says how many rows are left.
(function () {
  "use strict";
  function key(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  function bind(input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    if (!table) return;
    // A table: its rows with cells; any other container: its [data-filter-item] elements.
    var rows = table.tagName === "TABLE"
      ? Array.prototype.filter.call(table.querySelectorAll("tr"), function (tr) { return tr.querySelector("td"); })
        .map(function (tr) { return { tr: tr, key: key(tr.querySelector("td").textContent) }; })
      : Array.prototype.map.call(table.querySelectorAll("[data-filter-item]"), function (el) { return { tr: el, key: key(el.textContent) }; });
    var count = document.getElementById(input.id + "-count");
    input.addEventListener("input", function () {
      var k = key(input.value), n = 0;
      rows.forEach(function (r) {
        var hit = !k || r.key.indexOf(k) >= 0;
        r.tr.hidden = !hit;
        if (hit) n++;
      });
      if (count) count.textContent = k ? n + " / " + rows.length + " đơn vị" : "";
    });
  }
  function ready() { document.querySelectorAll("input[data-filter-table]").forEach(bind); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready); else ready();
})();
