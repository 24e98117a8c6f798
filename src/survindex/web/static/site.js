// survindex: progressive enhancement only (no inline script; CSP script-src 'self').
document.addEventListener("click", function (event) {
  var shape = event.target.closest ? event.target.closest("[data-iso3]") : null;
  if (!shape || event.target.closest("a")) { return; }
  var iso3 = shape.getAttribute("data-iso3");
  if (/^[A-Z]{3}$/.test(iso3 || "")) { window.location.href = "/country/" + iso3; }
});
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.value === "reject") {
    var reason = event.target.querySelector("input[name=reason]");
    if (reason && !reason.value.trim()) { event.preventDefault(); reason.focus(); reason.placeholder = "a reason is required"; }
  }
});
// Map layers (mass / targeted / both) on /targeted: each shape carries each layer's fill as data-fill-<layer>.
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
