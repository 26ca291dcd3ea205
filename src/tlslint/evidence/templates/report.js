"use strict";
(function () {
  var boxes = document.querySelectorAll("input[data-filter-status]");
  var text = document.getElementById("filter-text");
  var shown = document.getElementById("filter-shown");
  function apply() {
    var wanted = {};
    boxes.forEach(function (box) { wanted[box.getAttribute("data-filter-status")] = box.checked; });
    var needle = (text.value || "").trim().toLowerCase();
    var count = 0;
    document.querySelectorAll(".req").forEach(function (item) {
      var visible = wanted[item.getAttribute("data-status")] !== false &&
        (!needle || item.textContent.toLowerCase().indexOf(needle) !== -1);
      item.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = String(count);
  }
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  apply();
})();
