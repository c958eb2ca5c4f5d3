// "/" focuses the search box (unless typing in a field). On the search page, search.js does the rest.
document.addEventListener('keydown', function (e) {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
  var t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  var box = document.getElementById('q') || document.getElementById('site-search');
  if (box) { e.preventDefault(); box.focus(); box.select && box.select(); }
});
