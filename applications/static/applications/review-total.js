// Live weighted total on the score sheet (issue 9 item 8): sum(weight × (score − min) / (max − min)) / sum(weight) ×
// 100, the same formula as services.reviews.weighted_total, which recomputes it on the server (this is a preview).
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  var out = document.getElementById("live-total-value");
  if (!form || !out) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.score-input"));

  function update() {
    var weights = 0, total = 0, missing = 0, invalid = false;
    inputs.forEach(function (input) {
      var w = parseFloat(input.dataset.weight), lo = parseFloat(input.dataset.min), hi = parseFloat(input.dataset.max);
      weights += w;
      if (input.value === "") { missing += 1; return; }
      var v = parseFloat(input.value);
      if (isNaN(v) || v < lo || v > hi) { invalid = true; input.classList.add("is-invalid"); return; }
      input.classList.remove("is-invalid");
      total += w * (v - lo) / (hi - lo);
    });
    if (invalid) { out.textContent = "有分数超出范围"; return; }
    if (weights <= 0) { out.textContent = "—"; return; }
    if (missing === inputs.length) { out.textContent = "—（还有 " + missing + " 项未评分）"; return; }
    var text = (total / weights * 100).toFixed(2);
    out.textContent = missing ? text + "（还有 " + missing + " 项未评分）" : text;
  }

  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
})();
