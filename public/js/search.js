// Search page: loads Pagefind on demand, builds filter selects from the index, renders results with the ownership badge.
// Excerpts are rebuilt from text nodes and <mark> only: nothing from the index is inserted as HTML.
(function () {
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var filtersBox = document.getElementById('search-filters');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  if (!form || !input) return;
  var pf = null;
  var selects = {};
  var WORDS = { new: 'new reference', borrowed: 'borrowed reference', 'always-null': 'always NULL', 'no-object': 'not an object', unknown: 'unknown' };

  function load() {
    if (!pf) {
      pf = import('/pagefind/pagefind.js').then(function (m) {
        return m.options({ excerptLength: 24 }).then(function () { return m.filters(); }).then(function (f) { buildFilters(f); return m; });
      });
    }
    return pf;
  }
  function buildFilters(all) {
    Object.keys(all).sort().forEach(function (name) {
      var label = document.createElement('label');
      label.textContent = name;
      var sel = document.createElement('select');
      sel.name = 'f-' + name;
      var any = document.createElement('option');
      any.value = '';
      any.textContent = 'any';
      sel.appendChild(any);
      Object.keys(all[name]).sort().forEach(function (v) {
        var o = document.createElement('option');
        o.value = v;
        o.textContent = v + ' (' + all[name][v] + ')';
        sel.appendChild(o);
      });
      var fromUrl = new URLSearchParams(location.search).get('f-' + name);
      if (fromUrl) sel.value = fromUrl;
      sel.addEventListener('change', run);
      label.appendChild(sel);
      filtersBox.appendChild(label);
      selects[name] = sel;
    });
  }
  function safeExcerpt(html, into) {
    var doc = new DOMParser().parseFromString('<p>' + html + '</p>', 'text/html');
    doc.body.firstChild.childNodes.forEach(function (n) {
      if (n.nodeType === 3) into.appendChild(document.createTextNode(n.textContent));
      else if (n.nodeName === 'MARK') { var m = document.createElement('mark'); m.textContent = n.textContent; into.appendChild(m); }
      else into.appendChild(document.createTextNode(n.textContent || ''));
    });
  }
  var seq = 0;
  function run() {
    var q = input.value.trim();
    var filters = {};
    Object.keys(selects).forEach(function (k) { if (selects[k].value) filters[k] = selects[k].value; });
    var params = new URLSearchParams();
    if (q) params.set('q', q);
    Object.keys(filters).forEach(function (k) { params.set('f-' + k, filters[k]); });
    history.replaceState(null, '', '?' + params.toString());
    var my = ++seq;
    if (!q && !Object.keys(filters).length) { list.textContent = ''; status.textContent = 'Type a name or words.'; return; }
    status.textContent = 'Searching…';
    load().then(function (m) { return m.search(q || null, { filters: filters }); }).then(function (res) {
      if (my !== seq) return;
      return Promise.all(res.results.slice(0, 30).map(function (r) { return r.data(); })).then(function (items) {
        if (my !== seq) return;
        list.textContent = '';
        items.forEach(function (d) {
          var li = document.createElement('li');
          var a = document.createElement('a');
          a.href = d.url;
          a.textContent = (d.meta && d.meta.title) || d.url;
          li.appendChild(a);
          var r = d.meta && d.meta.returns;
          if (r) {
            var b = document.createElement('span');
            b.className = 'b b-' + r.replace(/[^a-z-]/g, '');
            b.textContent = WORDS[r] || r;
            li.appendChild(document.createTextNode(' '));
            li.appendChild(b);
          }
          var p = document.createElement('p');
          safeExcerpt(d.excerpt || '', p);
          li.appendChild(p);
          list.appendChild(li);
        });
        status.textContent = res.results.length + ' result' + (res.results.length === 1 ? '' : 's') + (res.results.length > 30 ? ' (first 30 shown)' : '');
      });
    }).catch(function () { status.textContent = 'Search is not available (the index is built by npm run build).'; });
  }
  var timer;
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 150); });
  input.addEventListener('focus', load, { once: true });
  form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
  var q0 = new URLSearchParams(location.search).get('q');
  if (q0) input.value = q0;
  var hasFilter = /[?&]f-/.test(location.search);
  if (q0 || hasFilter) load().then(run);
})();
