// survindex report: small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.body.setAttribute("data-js", "ready");
  document.querySelectorAll("input.filter").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-target"));
    if (!table) { return; }
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      table.querySelectorAll("tbody tr").forEach(function (row) {
        row.classList.toggle("hidden", q !== "" && row.textContent.toLowerCase().indexOf(q) < 0);
      });
    });
  });
});
// Map layers (mass / targeted / both): every shape carries each layer's fill as data-fill-<layer>.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("fieldset.layer-toggle").forEach(function (box) {
    var map = document.getElementById(box.getAttribute("data-target"));
    if (!map) { return; }
    box.hidden = false;
    box.addEventListener("change", function (event) {
      var layer = event.target.value;
      map.setAttribute("data-layer", layer);
      map.querySelectorAll("[data-fill-" + layer + "]").forEach(function (el) {
        el.setAttribute("fill", el.getAttribute("data-fill-" + layer));
      });
      map.querySelectorAll("g.legend[data-layer]").forEach(function (g) {
        g.setAttribute("display", g.getAttribute("data-layer") === layer ? "inline" : "none");
      });
    });
  });
});
