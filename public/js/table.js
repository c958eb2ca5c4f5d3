// The API table with JavaScript: rows are read from the <noscript> table's text (with scripting on, it is plain text),
// filtered and sorted in memory; at most LIMIT rows are in the DOM until "Show all". No framework; text only.
(function () {
  var form = document.getElementById('table-filters');
  var live = document.getElementById('table-live');
  var table = document.getElementById('api-table');
  var count = document.getElementById('table-count');
  var more = document.getElementById('table-more');
  var src = document.getElementById('table-noscript');
  if (!form || !table || !src) return;
  var LIMIT = 100;
  var data = [];
  var tbody = table.tBodies[0];
  var shown = [];
  var all = false;
  form.hidden = false;
  live.hidden = false;

  function decode(s) {
    return s.replace(/&(amp|lt|gt|quot|#39);/g, function (m, e) { return { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }[e]; });
  }
  function parseRows(html) {
    var C = '<td>([^<]*)</td>';
    var re = new RegExp('<tr><td><a href="[^"]*">([^<]*)</a></td>' + C + C + C + C + C + C + C + '</tr>', 'g');
    var out = [], m;
    while ((m = re.exec(html))) out.push([decode(m[1]), m[2], m[3], m[4], decode(m[5]), m[6], m[7], decode(m[8])]);
    return out;
  }
  function yes(v) { return v !== '' && v !== 'no' && v !== 'not recorded'; }
  function row(d) {
    var tr = document.createElement('tr');
    for (var i = 0; i < 8; i++) {
      var td = document.createElement('td');
      if (i === 0) {
        var a = document.createElement('a');
        a.href = '/api/' + d[0] + '/';
        a.textContent = d[0];
        td.appendChild(a);
      } else td.textContent = d[i];
      // On a phone each row is a card: the cell says which column it is.
      td.setAttribute('data-label', table.tHead.rows[0].cells[i].textContent);
      tr.appendChild(td);
    }
    return tr;
  }
  function render() {
    var n = all ? shown.length : Math.min(shown.length, LIMIT);
    var frag = document.createDocumentFragment();
    for (var i = 0; i < n; i++) frag.appendChild(row(shown[i]));
    tbody.textContent = '';
    tbody.appendChild(frag);
    more.hidden = n >= shown.length;
    more.textContent = 'Show all ' + shown.length;
    count.textContent = shown.length + ' of ' + data.length + ' APIs' + (n < shown.length ? ' (first ' + n + ' shown)' : '');
  }
  function apply() {
    if (!data.length) data = parseRows(src.textContent);
    var f = new FormData(form);
    var q = String(f.get('q') || '').toLowerCase();
    var kind = f.get('kind'), ret = f.get('returns'), st = f.get('steals'), stable = f.get('stable'),
      thread = f.get('thread'), dep = f.get('deprecated'), page = f.get('page');
    shown = data.filter(function (d) {
      return (!q || d[0].toLowerCase().indexOf(q) >= 0) && (!kind || d[1] === kind) && (!ret || d[2] === ret) &&
        (!st || (st === 'yes') === (d[3] === 'yes')) &&
        (!stable || (stable === 'yes' ? yes(d[4]) : d[4] === 'no')) &&
        (!thread || d[5] === thread) && (!dep || (dep === 'yes') === (d[6] !== '')) && (!page || d[7] === page);
    });
    if (sortCol >= 0) sortShown();
    all = false;
    render();
  }
  var sortCol = -1, asc = true;
  function sortShown() {
    var k = sortCol;
    shown.sort(function (a, b) {
      var r = a[k] < b[k] ? -1 : a[k] > b[k] ? 1 : a[0] < b[0] ? -1 : 1;
      return asc ? r : -r;
    });
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  more.addEventListener('click', function () { all = true; render(); });
  var ths = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(ths, function (th, i) {
    th.firstChild.addEventListener('click', function () {
      asc = sortCol === i ? !asc : true;
      sortCol = i;
      Array.prototype.forEach.call(ths, function (o) { o.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      sortShown();
      render();
    });
  });
  var params = new URLSearchParams(location.search);
  params.forEach(function (v, k) { if (form.elements[k]) form.elements[k].value = v; });
  // First rows in a task of their own, so that parsing the page and building the table are not one long task.
  setTimeout(apply, 0);
})();
