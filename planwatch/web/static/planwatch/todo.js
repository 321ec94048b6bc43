/* The acceptance queue: "select all on this page", the count of chosen reports, and the
 * confirmation question naming that count (confirm.js asks it before the form is sent). */
(function () {
  "use strict";
  function init() {
    var form = document.getElementById("queue-form");
    if (!form) return;
    var all = document.getElementById("select-all");
    var picks = Array.prototype.slice.call(form.querySelectorAll("input.pick"));
    var count = document.getElementById("picked-count");
    var button = document.getElementById("btn-accept-selected");
    function update() {
      var n = picks.filter(function (p) { return p.checked; }).length;
      count.textContent = n ? "Đã chọn " + n + " báo cáo." : "Chưa chọn báo cáo nào.";
      form.setAttribute("data-confirm", "Tiếp nhận " + n + " báo cáo đã chọn? Các đơn vị sẽ được thông báo.");
      button.disabled = n === 0;
      if (all) {
        all.checked = n > 0 && n === picks.length;
        all.indeterminate = n > 0 && n < picks.length;
      }
    }
    if (all) {
      all.addEventListener("change", function () {
        picks.forEach(function (p) { p.checked = all.checked; });
        update();
      });
    }
    picks.forEach(function (p) { p.addEventListener("change", update); });
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
