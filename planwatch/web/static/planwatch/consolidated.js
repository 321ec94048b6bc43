// The consolidated table: typing in "Tìm nhiệm vụ hoặc đơn vị" hides the task rows that match
// neither by their own text nor by one of their units (accent-free, as the server's ?q=);
// a task found through its units opens them and shows only those. Ticking a box reloads.
(function () {
  "use strict";
  function key(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  function ready() {
    var form = document.getElementById("con-filters");
    var input = document.getElementById("con-q");
    var table = document.getElementById("consolidated");
    if (!form || !input || !table) return;
    var note = document.getElementById("con-shown");
    var noteHtml = note ? note.innerHTML : "";
    // Keys computed once: a province table has ~1.500 unit lines.
    var tasks = Array.prototype.map.call(table.querySelectorAll("tbody tr[data-code]"), function (tr) {
      var cell = tr.querySelector("td[data-key]");
      return {
        tr: tr, key: cell ? cell.getAttribute("data-key") : "", details: tr.querySelector("details.units"),
        units: Array.prototype.map.call(tr.querySelectorAll("li[data-org]"), function (li) {
          var name = li.querySelector("strong");
          return { li: li, key: name ? key(name.textContent) : "" };
        })
      };
    });
    var groups = table.querySelectorAll("tbody tr.group");
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", function () { form.submit(); });
    });
    var openAll = document.getElementById("con-open-all");
    var closeAll = document.getElementById("con-close-all");
    function setAll(open) {
      tasks.forEach(function (t) { if (t.details && !t.tr.hidden) t.details.open = open; });
    }
    if (openAll) { openAll.hidden = false; openAll.addEventListener("click", function () { setAll(true); }); }
    if (closeAll) { closeAll.hidden = false; closeAll.addEventListener("click", function () { setAll(false); }); }
    function apply() {
      var k = key(input.value);
      var shown = 0;
      tasks.forEach(function (t) {
        var own = !k || t.key.indexOf(k) >= 0;
        var hits = 0;
        t.units.forEach(function (u) {
          var hit = own || (u.key && u.key.indexOf(k) >= 0);
          u.li.hidden = !hit;
          if (hit) hits++;
        });
        t.tr.hidden = !(own || hits);
        if (t.details && k && !own && hits) t.details.open = true;
        if (!t.tr.hidden) shown++;
      });
      // a group heading stays only above a visible task
      groups.forEach(function (g) {
        var n = g.nextElementSibling, any = false;
        while (n && !n.classList.contains("group")) {
          if (!n.hidden) { any = true; break; }
          n = n.nextElementSibling;
        }
        g.hidden = !any;
      });
      if (!note) return;
      if (k) note.textContent = shown + " trong " + tasks.length + " nhiệm vụ khớp với “" + input.value.trim() + "”.";
      else note.innerHTML = noteHtml;
    }
    input.addEventListener("input", apply);
    form.addEventListener("submit", function (e) {
      // typing already filtered the table; a submit only reloads for the boxes
      if (document.activeElement === input) { e.preventDefault(); apply(); }
    });
    if (input.value) apply();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready); else ready();
})();
