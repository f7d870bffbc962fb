/* Confirmation of irreversible actions (issue 9 item 4), without inline script (CSP).
 * A form[data-confirm] with a hidden input name="confirmed": when the chosen target (radio name="target") is one of
 * data-confirm-when (space-separated; empty = always), submitting opens #confirm-modal (partials/confirm_modal.html);
 * 确认办理 sets confirmed=1 and submits. Without JavaScript the server answers with its confirmation page instead.
 * data-reason-required lists the targets whose reason box is required: the box is marked as such when chosen. */
(function () {
  "use strict";

  function chosen(form) {
    var radio = form.querySelector('input[name="target"]:checked');
    if (radio) return { value: radio.value, label: (form.querySelector('label[for="' + radio.id + '"]') || {}).textContent || radio.value };
    var fixed = form.querySelector('input[name="target"]');
    return fixed ? { value: fixed.value, label: form.dataset.confirmLabel || "" } : { value: "", label: form.dataset.confirmLabel || "" };
  }

  function words(text) {
    return (text || "").split(/\s+/).filter(Boolean);
  }

  function markReason(form) {
    var note = form.querySelector('[name="note"]');
    if (!note) return;
    var needed = words(form.dataset.reasonRequired).indexOf(chosen(form).value) !== -1;
    note.setAttribute("aria-required", needed ? "true" : "false");
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.matches("form[data-confirm]") && event.target.name === "target") markReason(form);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]")) return;
    var confirmed = form.querySelector('input[name="confirmed"]');
    if (!confirmed || confirmed.value === "1") return;
    var choice = chosen(form);
    var when = words(form.dataset.confirmWhen);
    if (form.dataset.confirmWhen !== undefined && when.length && when.indexOf(choice.value) === -1) return;
    if (form.dataset.confirmWhen !== undefined && !when.length && form.querySelector('input[name="target"]')) return;
    var note = form.querySelector('[name="note"]');
    // a required reason left empty: let the server refuse it and say so beside the box (no dialog for a refusal)
    if (note && !note.value.trim() && words(form.dataset.reasonRequired).indexOf(choice.value) !== -1) return;
    var modalElement = document.getElementById("confirm-modal");
    if (!modalElement || !window.bootstrap) return; // no dialog: the server's confirmation page
    event.preventDefault();
    var label = choice.label.trim();
    modalElement.querySelector("[data-confirm-text]").textContent =
      form.dataset.confirmMessage || ("您确定要「" + label + "」吗？提交后不能撤销。");
    modalElement.querySelector("[data-confirm-detail]").textContent = note && note.value.trim() ? "理由/意见：" + note.value.trim() : "";
    var modal = window.bootstrap.Modal.getOrCreateInstance(modalElement);
    modalElement.querySelector("[data-confirm-ok]").onclick = function () {
      confirmed.value = "1";
      modal.hide();
      form.submit();
    };
    modal.show();
  });
})();
