// "Nhập văn bản" review screen. A cell's edit form is built when "Sửa" is clicked instead of
// being sent with every cell (a 60-page plan has thousands of cells). Without JavaScript the
// "Sửa" link opens the page with that cell's form, rendered by the server.
(function () {
  "use strict";

  function openForm(link) {
    var cell = link.closest(".dcell");
    var tpl = document.getElementById("cell-form-template");
    if (!cell || !tpl || !window.htmx) return false;
    var d = cell.dataset;
    var form = tpl.content.firstElementChild.cloneNode(true);
    form.querySelector("[name=section]").value = d.section;
    form.querySelector("[name=row]").value = d.row || "";
    form.querySelector("[name=field]").value = d.field;
    form.setAttribute("hx-target", d.target || "closest tr");
    var id = cell.id + "-v";
    var label = form.querySelector("label");
    label.htmlFor = id;
    label.textContent = d.label + (d.hint ? " (" + d.hint + ")" : "");
    var input = document.createElement(d.long ? "textarea" : "input");
    input.id = id;
    input.name = "value";
    input.value = d.value || "";
    if (d.long) input.rows = 3;
    label.insertAdjacentElement("afterend", input);
    link.hidden = true;
    link.insertAdjacentElement("afterend", form);
    window.htmx.process(form);
    input.focus();
    return true;
  }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.edit-link");
    if (link && openForm(link)) {
      ev.preventDefault();
      return;
    }
    var cancel = ev.target.closest("button.cell-cancel");
    if (cancel) {
      ev.preventDefault();
      var form = cancel.closest("form");
      var edit = form.parentElement.querySelector("a.edit-link");
      form.remove();
      if (edit) {
        edit.hidden = false;
        edit.focus();
      }
    }
  });
})();
