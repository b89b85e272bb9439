// Conveniences only (the page works without them): n / p jump to the next / previous row where a
// report has sentences alone, f / F to the next / previous row with QA flags.
document.documentElement.classList.add("js");
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "checkbox")) return;
  var selector = { n: ".row.gap", p: ".row.gap", f: ".row.flagged", F: ".row.flagged" }[event.key];
  if (!selector) return;
  var forward = event.key === "n" || event.key === "f";
  var rows = Array.prototype.filter.call(document.querySelectorAll(selector), function (row) {
    return row.offsetParent !== null;  // not hidden by a filter
  });
  // A row jumped to stops its scroll-margin-top below the window's top (under the sticky bar).
  var line = rows.length ? parseFloat(getComputedStyle(rows[0]).scrollMarginTop) || 0 : 0;
  var pick = null;
  for (var i = 0; i < rows.length; i++) {
    var top = rows[i].getBoundingClientRect().top;
    if (forward && top > line + 2) { pick = rows[i]; break; }
    if (!forward && top < line - 2) pick = rows[i];
  }
  if (!pick) return;
  event.preventDefault();
  location.hash = pick.id;  // scrolls (below the sticky bar: scroll-margin-top) and marks it :target
});
