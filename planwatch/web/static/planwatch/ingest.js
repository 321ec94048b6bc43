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

// "Xem trong văn bản gốc": mark the row's text in the original text pane and scroll to it.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  function escape(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function find(text) {
    var pre = document.getElementById("source-text");
    if (!pre || !text) return;
    var full = pre.textContent;
    var words = text.trim().split(/\s+/);
    var match = null;
    for (var n = Math.min(words.length, 8); n >= 2 && !match; n -= 2) {
      match = new RegExp(words.slice(0, n).map(escape).join("\\s+")).exec(full);
    }
    pre.textContent = full; // drops an earlier mark
    if (!match) {
      pre.focus();
      return;
    }
    var range = document.createRange();
    range.setStart(pre.firstChild, match.index);
    range.setEnd(pre.firstChild, match.index + match[0].length);
    var mark = document.createElement("mark");
    range.surroundContents(mark);
    mark.scrollIntoView({block: "center"});
    pre.focus({preventScroll: true});
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("button.find-source");
    if (button) find(button.dataset.find);
  });
})();
