// Pre-screening list: "select all", and the reason list narrowed to the chosen status.
(function () {
  "use strict";
  var all = document.getElementById("pick-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="pick"]').forEach(function (box) { box.checked = all.checked; });
    });
  }
  var status = document.getElementById("status-select");
  var reason = document.getElementById("reason-select");
  function sync() {
    if (!status || !reason) { return; }
    var needs = false;
    reason.querySelectorAll("option[data-status]").forEach(function (opt) {
      var match = opt.getAttribute("data-status") === status.value;
      opt.hidden = !match;
      if (match) { needs = true; }
    });
    reason.required = needs;
    reason.disabled = !needs;
    if (!needs) { reason.value = ""; }
    else if (reason.selectedOptions.length && reason.selectedOptions[0].hidden) { reason.value = ""; }
  }
  if (status) { status.addEventListener("change", sync); sync(); }
  // Results never computed, or computed for other criteria or another day: bring them up to date
  // with the refresh form (a POST: opening the page with a GET changes nothing on the server).
  var refresh = document.getElementById("refresh-form");
  if (refresh && refresh.getAttribute("data-auto") === "1") { refresh.submit(); }
})();
