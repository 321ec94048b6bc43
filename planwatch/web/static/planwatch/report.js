/* The report page: nothing typed is lost.
 *
 * - Every change is kept at once in localStorage ("pending" cells), then sent by itself
 *   (only the changed cells, with the report's version) to the autosave URL. The answer names
 *   the cells saved and the invalid ones (marked with their Vietnamese message); only cells
 *   whose text did not change meanwhile leave the pending set.
 * - A lost connection (server down, offline) keeps the pending cells and retries; after a
 *   reload the page offers them back ("Khôi phục") when they differ from what is saved.
 * - Leaving with pending cells asks first (beforeunload). Forms that navigate away (evidence
 *   upload/removal, workflow) save pending cells first.
 * - A save refused because someone else saved first stops autosave (no retry with the old
 *   version) and keeps what was typed; the server never answers with cell values, so a save
 *   never replaces what the person typed.
 * - Ratio indicators: the percentage is computed as the counts are typed.
 * - On a phone the report header starts collapsed, and so does the site menu.
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var reportId = form.dataset.report;
  var url = form.dataset.autosaveUrl;
  var KEY = "planwatch:report:" + reportId;
  var statusBox = document.getElementById("autosave-status");
  var versionInput = form.querySelector("input[name=version]");
  var CELL = /^(t|i)\d+_|^general_/;
  var pending = {};
  var stored = {}; // the value of each cell as the server holds it (page load, then saves)
  var inflight = null;
  var timer = null;
  var stopped = form.dataset.stopped === "1";
  var leaving = false;
  var DELAY = 700;
  var RETRY = 2000;

  function cells() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && CELL.test(el.name) && el.type !== "file" && el.form === form;
    });
  }
  function field(name) {
    return form.elements.namedItem(name);
  }
  function csrf() {
    var el = form.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }
  function count() {
    return Object.keys(pending).length;
  }

  // ---------------------------------------------------------------- local copy
  function readStore() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "null");
    } catch (e) {
      return null;
    }
  }
  function persist() {
    try {
      if (count()) {
        localStorage.setItem(KEY, JSON.stringify({ values: pending, at: Date.now(), version: versionInput.value }));
      } else {
        localStorage.removeItem(KEY);
      }
    } catch (e) {
      /* storage full or disabled: the server copy is all we have */
    }
  }

  // ---------------------------------------------------------------- status and marks
  function say(html, cls) {
    statusBox.innerHTML = html;
    statusBox.className = "small " + (cls || "");
  }
  function markPending(name, on) {
    var el = field(name);
    if (el && el.classList) el.classList.toggle("cell-pending", !!on);
  }
  function markError(name, msg) {
    var el = field(name);
    if (!el || !el.id) return;
    var id = "err-" + el.id;
    var box = document.getElementById(id);
    if (msg) {
      if (!box) {
        box = document.createElement("span");
        box.id = id;
        box.className = "errorlist cell-error";
        el.insertAdjacentElement("afterend", box);
      }
      box.textContent = msg;
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", id);
    } else {
      if (box) box.remove();
      el.removeAttribute("aria-invalid");
      if (el.getAttribute("aria-describedby") === id) el.removeAttribute("aria-describedby");
    }
  }

  // ---------------------------------------------------------------- saving
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(flush, delay === undefined ? DELAY : delay);
  }

  function flush() {
    if (stopped || !count()) return Promise.resolve(true);
    if (inflight) return inflight.then(flush);
    clearTimeout(timer);
    var sent = {};
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf());
    body.append("version", versionInput.value);
    Object.keys(pending).forEach(function (name) {
      sent[name] = pending[name];
      body.append(name, pending[name]);
    });
    inflight = fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf() },
    })
      .then(function (resp) {
        var type = resp.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          var err = new Error("HTTP " + resp.status);
          err.status = resp.status;
          throw err;
        }
        return resp.json();
      })
      .then(function (data) {
        inflight = null;
        if (data.conflict) {
          stopped = true;
          say(data.html, "");
          return false;
        }
        if (data.version !== undefined) versionInput.value = data.version;
        (data.saved || []).forEach(function (name) {
          if (name in sent) stored[name] = sent[name];
          if (name in sent && pending[name] === sent[name]) {
            delete pending[name];
            markPending(name, false);
          }
          markError(name, null);
        });
        var errors = data.errors || {};
        Object.keys(errors).forEach(function (name) {
          if (name !== "__all__") markError(name, errors[name]);
        });
        persist();
        say(data.html, "");
        var again = Object.keys(pending).some(function (n) {
          return !(n in sent) || pending[n] !== sent[n];
        });
        if (again) schedule();
        return !count();
      })
      .catch(function (err) {
        inflight = null;
        if (err && err.status) {
          // A non-JSON answer: refused (403/404), a server error, or the login page after the
          // session ended. The cells stay in localStorage either way.
          var why = err.status === 200 ? "phiên đăng nhập đã hết, hãy đăng nhập lại" : "lỗi " + err.status;
          say(
            '<span class="errorlist" id="autosave-failed">Chưa lưu được (' + why +
              "). Nội dung bạn nhập vẫn được giữ trên máy này và sẽ được đề nghị khôi phục khi bạn mở lại báo cáo.</span>"
          );
          return false;
        }
        say(
          '<span class="errorlist" id="autosave-offline">Mất kết nối tới máy chủ: ' + count() +
            " ô chưa lưu được giữ trên máy này và sẽ tự lưu khi có kết nối lại.</span>"
        );
        schedule(RETRY);
        return false;
      });
    return inflight;
  }

  // ---------------------------------------------------------------- typing
  function changed(el) {
    if (!el.name || !CELL.test(el.name) || el.form !== form) return;
    if (!(el.name in pending) && stored[el.name] === el.value) return; // e.g. "change" after a saved "input"
    pending[el.name] = el.value;
    markPending(el.name, true);
    persist();
    if (!stopped) {
      if (!inflight) say('<span id="autosave-pending">Đang chờ lưu…</span>', "muted");
      schedule();
    }
  }
  form.addEventListener("input", function (e) {
    changed(e.target);
    ratioFor(e.target);
  });
  form.addEventListener("change", function (e) {
    changed(e.target);
  });
  form.addEventListener("submit", function () {
    // "Lưu nháp" posts the whole page: it is a save; the local copy stays until the page
    // that answers shows these values as saved.
    leaving = true;
  });

  window.addEventListener("beforeunload", function (e) {
    if (leaving || (!count() && !inflight)) return;
    e.preventDefault();
    e.returnValue = "";
    return "";
  });
  window.addEventListener("online", function () {
    schedule(0);
  });

  // Forms that leave the page (evidence, workflow): save pending cells first. What could not
  // be saved stays in localStorage and is offered back on the next page.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (!(f instanceof HTMLFormElement) || f === form || !f.classList.contains("flush-first")) return;
    if (e.defaultPrevented) return;
    if (!count() && !inflight) {
      leaving = true;
      return;
    }
    e.preventDefault();
    say('<span id="autosave-pending">Đang lưu trước khi tiếp tục…</span>', "muted");
    flush().then(function () {
      leaving = true;
      f.submit();
    });
  });

  // ---------------------------------------------------------------- ratio as typed
  function parseVN(s) {
    s = (s || "").trim().replace(/\s/g, "").replace(/%$/, "");
    if (!s) return null;
    if (!/^\d{1,3}(\.\d{3})*(,\d+)?$|^\d+(,\d+)?$/.test(s)) return NaN;
    return parseFloat(s.replace(/\./g, "").replace(",", "."));
  }
  var fmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  function ratioFor(el) {
    var m = /^i(\d+)_(numerator|denominator)$/.exec(el.name || "");
    if (m) ratio(m[1], true);
  }
  function ratio(id, typed) {
    var out = document.getElementById("ratio-" + id);
    if (!out) return;
    var num = parseVN((field("i" + id + "_numerator") || {}).value);
    var den = parseVN((field("i" + id + "_denominator") || {}).value);
    if (num === null || den === null) {
      out.textContent = "";
      return;
    }
    if (isNaN(num) || isNaN(den) || den <= 0) {
      out.textContent = "Chưa tính được tỷ lệ";
      return;
    }
    var pct = Math.round((num / den) * 10000) / 100;
    out.textContent = "= " + fmt.format(pct) + "%";
    var value = field("i" + id + "_value");
    if (typed && value && value.value !== fmt.format(pct)) {
      value.value = fmt.format(pct).replace(/\u00a0/g, "");
      changed(value);
    }
  }
  document.querySelectorAll("output.ratio-out").forEach(function (out) {
    ratio(out.id.slice("ratio-".length), false);
  });

  // ---------------------------------------------------------------- restore offer
  function label(el) {
    return el.getAttribute("aria-label") || el.name;
  }
  function offerRestore() {
    var local = readStore();
    if (!local || !local.values) return;
    var differ = {};
    Object.keys(local.values).forEach(function (name) {
      var el = field(name);
      if (!el) return;
      if (el.value !== local.values[name]) differ[name] = local.values[name];
    });
    if (!Object.keys(differ).length) {
      persist();
      return;
    }
    var box = document.getElementById("restore");
    var when = new Date(local.at);
    document.getElementById("restore-text").textContent =
      Object.keys(differ).length + " ô bạn đã nhập lúc " +
      when.toLocaleTimeString("vi-VN") + " ngày " + when.toLocaleDateString("vi-VN") +
      " chưa được lưu lên máy chủ (mất kết nối hoặc trang bị đóng). Khôi phục để đưa chúng vào báo cáo và lưu.";
    var list = document.getElementById("restore-list");
    list.innerHTML = "";
    Object.keys(differ).forEach(function (name) {
      var li = document.createElement("li");
      var text = differ[name];
      li.textContent = label(field(name)) + ": “" + (text.length > 120 ? text.slice(0, 120) + "…" : text) + "”";
      list.appendChild(li);
    });
    box.hidden = false;
    document.getElementById("restore-yes").onclick = function () {
      Object.keys(differ).forEach(function (name) {
        var el = field(name);
        el.value = differ[name];
        changed(el);
        ratioFor(el);
      });
      box.hidden = true;
      schedule(0);
      var first = field(Object.keys(differ)[0]);
      if (first) first.focus();
    };
    document.getElementById("restore-no").onclick = function () {
      Object.keys(differ).forEach(function (name) {
        delete pending[name];
      });
      persist();
      box.hidden = true;
    };
  }
  if (form.dataset.unsaved === "1") {
    offerRestore();
    // This page answers a refused "Lưu nháp" and shows what was typed, not what is saved:
    // every cell is pending (saved cell by cell unless autosave is stopped by a conflict).
    cells().forEach(function (el) {
      pending[el.name] = el.value;
    });
    persist();
    if (!stopped) schedule(0);
  } else {
    cells().forEach(function (el) {
      stored[el.name] = el.value;
    });
    offerRestore();
  }

  // ---------------------------------------------------------------- phone
  if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) {
    var head = document.getElementById("report-head");
    if (head) head.open = false;
    var top = document.querySelector("header.top");
    if (top && !top.querySelector(".menu-toggle")) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "secondary menu-toggle";
      btn.textContent = "Trình đơn";
      btn.setAttribute("aria-expanded", "false");
      btn.onclick = function () {
        var open = top.classList.toggle("menu-open");
        btn.setAttribute("aria-expanded", open ? "true" : "false");
      };
      var brand = top.querySelector(".brand");
      (brand || top.firstChild).insertAdjacentElement("afterend", btn);
      top.classList.add("collapsible");
    }
  }
})();
