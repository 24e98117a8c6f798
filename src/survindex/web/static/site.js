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
