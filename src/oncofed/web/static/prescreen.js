// Pre-screening list: "select all", the reason list narrowed to the chosen status, the automatic
// refresh of stale results, and keyboard work: j / k (or arrows) move between rows, x or space ticks
// the row, a ticks every row of the page, s goes to the status, Enter there applies; [ and ] change page.
(function () {
  "use strict";
  var all = document.getElementById("pick-all");
  var boxes = function () { return Array.prototype.slice.call(document.querySelectorAll('input[name="pick"]')); };
  var counter = document.getElementById("picked-count");
  function count() {
    if (!counter) { return; }
    var n = boxes().filter(function (b) { return b.checked; }).length;
    counter.textContent = n ? n + " ✓" : "";
  }
  if (all) {
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
      count();
    });
  }
  document.addEventListener("change", function (e) { if (e.target && e.target.name === "pick") { count(); } });
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
  // keyboard
  var table = document.getElementById("candidates");
  var rows = table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr")) : [];
  var current = -1;
  function focusRow(i) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r) { r.classList.remove("kb-current"); });
    rows[current].classList.add("kb-current");
    rows[current].focus();
  }
  function typing(e) {
    var tag = (e.target && e.target.tagName) || "";
    return tag === "INPUT" && e.target.type !== "checkbox" || tag === "SELECT" || tag === "TEXTAREA";
  }
  function go(id) { var a = document.getElementById(id); if (a) { window.location.href = a.href; } }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || typing(e)) { return; }
    var k = e.key;
    if (k === "j" || k === "ArrowDown") { focusRow(current + 1); e.preventDefault(); }
    else if (k === "k" || k === "ArrowUp") { focusRow(current - 1); e.preventDefault(); }
    else if ((k === "x" || k === " ") && current >= 0) {
      var box = rows[current].querySelector('input[name="pick"]');
      if (box) { box.checked = !box.checked; count(); }
      e.preventDefault();
    } else if (k === "a" && all) { all.checked = !all.checked; all.dispatchEvent(new Event("change")); e.preventDefault(); }
    else if (k === "s" && status) { status.focus(); e.preventDefault(); }
    else if (k === "]") { go("page-next"); }
    else if (k === "[") { go("page-prev"); }
  });
  // Results never computed, or computed for other criteria or another day: bring them up to date
  // with the refresh form (a POST: opening the page with a GET changes nothing on the server).
  var refresh = document.getElementById("refresh-form");
  if (refresh && refresh.getAttribute("data-auto") === "1") { refresh.submit(); }
})();
