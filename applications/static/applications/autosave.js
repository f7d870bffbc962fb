// Draft autosave: 2 s after the last edit, POST the form with X-Autosave; keep the version the server returns so a
// concurrent edit elsewhere is refused ("该申报已被他人修改，请刷新后再编辑") instead of silently overwritten.
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  var stopped = false;

  function show(text, cls) {
    status.textContent = text;
    status.className = cls || "text-muted";
  }

  function refreshPrecheck() {
    fetch(form.dataset.precheckUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html) { document.getElementById("precheck-box").innerHTML = html; } });
  }

  function save() {
    if (stopped) { return; }
    var data = new FormData(form);
    fetch(form.dataset.autosaveUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": data.get("csrfmiddlewaretoken") }
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      if (res.body.ok) {
        form.querySelector("[name=version]").value = res.body.version;
        show(res.body.message + " " + new Date().toLocaleTimeString(), "text-success");
        refreshPrecheck();
      } else if (res.status === 409) {
        stopped = true;
        show(res.body.message, "text-danger fw-semibold");
      } else {
        show(res.body.message || "部分内容有误，未自动保存。", "text-warning");
      }
    }).catch(function () { show("网络异常，未自动保存。", "text-warning"); });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    show("有未保存的修改…");
    timer = setTimeout(save, 2000);
  });
})();
