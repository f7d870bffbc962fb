/* Member picker (issue 9 item 6): tom-select (npm, served locally) on every select[data-member-picker] of a form
 * with data-member-search-url. People are searched by name, 工号 or 系部 on the server (JSON, at most 20, permission-
 * checked); the ones who cannot be chosen (read-only roles, officers who would be conflicted) are shown disabled with
 * the reason. The same person in both member lists is refused here with a message, and by the server on save.
 * No inline script (CSP). */
(function () {
  "use strict";
  if (!window.TomSelect) return;
  var form = document.querySelector("form[data-member-search-url]");
  if (!form) return;
  var url = form.dataset.memberSearchUrl;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-member-picker]"));
  var pickers = [];

  function selectedIds() {
    var ids = [];
    pickers.forEach(function (p) { ids = ids.concat(p.getValue()); });
    return ids;
  }

  function say(picker, text) {
    var box = picker.wrapper.parentNode.querySelector(".member-picker-message");
    if (!box) {
      box = document.createElement("div");
      box.className = "member-picker-message invalid-feedback d-block";
      box.setAttribute("role", "alert");
      picker.wrapper.insertAdjacentElement("afterend", box);
    }
    box.textContent = text;
  }

  function escape(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  selects.forEach(function (select) {
    var picker = new window.TomSelect(select, {
      plugins: { remove_button: { title: "移除" } },
      valueField: "id",
      labelField: "label",
      searchField: ["name", "username", "unit", "label"],
      maxOptions: 20,
      loadThrottle: 300,
      shouldLoad: function (query) { return query.trim().length > 0; },
      load: function (query, callback) {
        var params = new URLSearchParams({ q: query, selected: selectedIds().join(",") });
        fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (body) { callback(body.results); })
          .catch(function () { callback(); });
      },
      render: {
        option: function (item) {
          var reason = item.disabled && item.reason ? '<div class="small text-danger">不可选择：' + escape(item.reason) + "</div>" : "";
          return '<div class="py-1' + (item.disabled ? " text-muted" : "") + '"><span>' + escape(item.name || item.label) +
            "</span> <span class=\"small text-muted\">" + escape(item.username ? item.username + (item.unit ? " · " + item.unit : "") : "") +
            "</span>" + reason + "</div>";
        },
        item: function (item) { return "<div>" + escape(item.label) + "</div>"; },
        no_results: function () { return '<div class="no-results">未找到匹配的人员（可输入姓名、工号或系部）</div>'; },
        loading: function () { return '<div class="p-2 small text-muted">正在查找…</div>'; }
      },
      onItemAdd: function (value) {
        var self = this;
        var twice = pickers.some(function (other) { return other !== self && other.getValue().indexOf(value) !== -1; });
        if (twice) {
          var option = self.options[value];
          self.removeItem(value, true);
          say(self, "「" + (option ? option.name || option.label : value) + "」已在另一成员角色中，同一人只能担任一种角色。");
        } else {
          say(self, "");
        }
        self.setTextboxValue("");
        select.dispatchEvent(new Event("input", { bubbles: true })); // autosave and the live pre-check
      },
      onItemRemove: function () { select.dispatchEvent(new Event("input", { bubbles: true })); }
    });
    // tom-select moves the <label> to its own combobox and keeps the original <select> (visually hidden, tabindex -1)
    // only to submit the values: hide it from assistive technology too, or a screen reader meets an unnamed
    // duplicate list (axe: select-name).
    select.setAttribute("aria-hidden", "true");
    pickers.push(picker);
  });
})();
