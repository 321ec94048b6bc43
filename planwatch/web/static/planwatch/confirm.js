/* Confirmation before a form submits.
 *
 * Any <form data-confirm="Câu hỏi?"> (optional data-confirm-ok="Nhãn nút") — or a submit
 * button carrying data-confirm itself — asks in an accessible modal <dialog> before the
 * submission goes ahead. We listen in the capture phase on the document, so the question is
 * asked before htmx (which listens on the form) sees the submit; after "OK" the form is
 * re-submitted with requestSubmit(submitter), which lets htmx or the browser proceed normally
 * and keeps the clicked button's name/value.
 */
(function () {
  "use strict";
  var approved = new WeakSet();
  var dialog = null;

  function build() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "pw-confirm";
    dialog.id = "pw-confirm";
    dialog.setAttribute("aria-labelledby", "pw-confirm-title");
    dialog.setAttribute("aria-describedby", "pw-confirm-question");
    dialog.innerHTML =
      '<form method="dialog">' +
      '<h2 id="pw-confirm-title">Xác nhận</h2>' +
      '<p id="pw-confirm-question"></p>' +
      '<div class="pw-confirm-actions">' +
      '<button type="submit" value="cancel" class="secondary pw-confirm-cancel" autofocus>Hủy</button>' +
      '<button type="submit" value="ok" class="pw-confirm-ok">Đồng ý</button>' +
      "</div></form>";
    document.body.appendChild(dialog);
    return dialog;
  }

  function ask(question, okLabel, danger) {
    var d = build();
    d.querySelector("#pw-confirm-question").textContent = question;
    var ok = d.querySelector(".pw-confirm-ok");
    ok.textContent = okLabel || "Đồng ý";
    ok.classList.toggle("danger", !!danger);
    d.returnValue = "";
    return new Promise(function (resolve) {
      d.addEventListener(
        "close",
        function () {
          resolve(d.returnValue === "ok");
        },
        { once: true }
      );
      d.showModal();
      d.querySelector(".pw-confirm-cancel").focus();
    });
  }

  function pick(form, submitter, name) {
    if (submitter && submitter.hasAttribute(name)) return submitter.getAttribute(name);
    return form.getAttribute(name);
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      if (form.closest("dialog.pw-confirm")) return;
      var submitter = event.submitter || null;
      var question = pick(form, submitter, "data-confirm");
      if (!question) return;
      if (approved.has(form)) {
        approved.delete(form);
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      var okLabel = pick(form, submitter, "data-confirm-ok");
      var danger = (pick(form, submitter, "data-confirm-danger") !== null);
      ask(question, okLabel, danger).then(function (yes) {
        if (!yes) {
          if (submitter && submitter.focus) submitter.focus();
          return;
        }
        approved.add(form);
        if (form.requestSubmit) {
          // A submitter that is not a submit button of this form cannot be passed on.
          var ok = submitter && submitter.form === form && submitter.type === "submit";
          form.requestSubmit(ok ? submitter : undefined);
        } else {
          form.submit();
        }
      });
    },
    true
  );

  // Exposed for pages that need to ask outside a form submit (e.g. a link): returns a Promise<bool>.
  window.planwatchConfirm = function (question, okLabel, danger) {
    return ask(question, okLabel, danger);
  };
})();
