// Conveniences only (the page works without them): n / p jump to the next / previous row where a
// report has sentences alone, f / F to the next / previous row with QA flags.
document.documentElement.classList.add("js");
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "checkbox")) return;
  var want = { n: "gap", p: "gap", f: "flagged", F: "flagged" }[event.key];
  if (!want) return;
  var forward = event.key === "n" || event.key === "f";
  var checked = function (id) { var box = document.getElementById(id); return box && box.checked; };
  // Only rows the filters leave visible.
  var gap = want === "gap" || checked("f-gaps"), flagged = want === "flagged" || checked("f-flags");
  var rows = document.querySelectorAll(".row" + (gap ? ".gap" : "") + (flagged ? ".flagged" : ""));
  if (!rows.length) return;
  // A row jumped to stops its scroll-margin-top below the window's top (under the sticky bar).
  var line = parseFloat(getComputedStyle(rows[0]).scrollMarginTop) || 0;
  var bound = forward ? line + 2 : line - 2;
  // Rows are in document order, so their tops grow: the first row below `bound`, by bisection
  // (each position asked for costs a layout of the rows around it).
  var lo = 0, hi = rows.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (rows[mid].getBoundingClientRect().top > bound) hi = mid; else lo = mid + 1;
  }
  var pick = forward ? rows[lo] : rows[lo - 1];
  if (!pick) return;
  event.preventDefault();
  location.hash = pick.id;  // scrolls (below the sticky bar: scroll-margin-top) and marks it :target
});
