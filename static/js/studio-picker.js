/* Studio picker of 发起推荐申报: tom-select (npm, served locally) over select[data-studio-picker], searching the
 * options already on the page (the active studios). No inline script (CSP). */
(function () {
  "use strict";
  if (!window.TomSelect) return;
  Array.prototype.forEach.call(document.querySelectorAll("select[data-studio-picker]"), function (select) {
    new window.TomSelect(select, { maxOptions: 50, allowEmptyOption: false, placeholder: "输入工作室名称或系部搜索" });
  });
})();
