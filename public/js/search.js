// Search page: loads Pagefind on demand, builds filter selects from the index, renders results with the ownership badge.
// Names first: an exact API name (any case) leads, then the names the query starts, then Pagefind's results; a query
// that finds nothing gets "did you mean" from the names (edit distance). Enter on an exact name opens its page.
// Results come 30 at a time with a button for more. Excerpts are rebuilt from text nodes and <mark> only: nothing
// from the index is inserted as HTML.
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
  var PAGE = 30;
  var namesPromise = null;

  // [name, return ownership, steals (1/0), out-parameter (1/0), deprecated since, Limited API since] of every API page.
  function loadNames() {
    if (!namesPromise) namesPromise = fetch('/search-names.json').then(function (r) { return r.ok ? r.json() : []; }).catch(function () { return []; });
    return namesPromise;
  }
  // The name as typed wins over one that differs only in case (PyObject_Malloc, not PyObject_MALLOC).
  function exactName(names, q) {
    var lower = q.toLowerCase();
    var anyCase = null;
    for (var i = 0; i < names.length; i++) {
      if (names[i][0] === q) return names[i];
      if (!anyCase && names[i][0].toLowerCase() === lower) anyCase = names[i];
    }
    return anyCase;
  }
  // Levenshtein distance, stopping early past `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev = [], cur = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (cur[j] < best) best = cur[j];
      }
      if (best > limit) return limit + 1;
      prev = cur;
    }
    return prev[b.length];
  }
  function nearMisses(names, q) {
    var lower = q.toLowerCase();
    var limit = Math.max(1, Math.min(3, Math.floor(lower.length / 5)));
    return names
      .map(function (n) { return { n: n, d: distance(lower, n[0].toLowerCase(), limit) }; })
      .filter(function (x) { return x.d <= limit; })
      .sort(function (x, y) { return x.d - y.d || (x.n[0] < y.n[0] ? -1 : 1); })
      .slice(0, 5)
      .map(function (x) { return x.n; });
  }
  function addBadge(li, cls, text) {
    var b = document.createElement('span');
    b.className = 'b ' + cls;
    b.textContent = text;
    li.appendChild(document.createTextNode(' '));
    li.appendChild(b);
  }
  // flags: { steals, out, deprecated (a version or ''), limited (a version or '') }.
  function badge(li, ownership, flags) {
    if (ownership) addBadge(li, 'b-' + ownership.replace(/[^a-z-]/g, ''), WORDS[ownership] || ownership);
    if (flags.steals) addBadge(li, 'b-stolen', 'steals');
    if (flags.out) addBadge(li, 'b-out-new', 'out-parameter');
    if (flags.deprecated) addBadge(li, 'b-unknown', 'deprecated ' + flags.deprecated);
    if (flags.limited) addBadge(li, 'b-unknown', 'Limited API ' + flags.limited);
  }
  // One result: its link and badges; `text` fills the paragraph beneath (given the paragraph), when given.
  function resultItem(href, title, ownership, flags, text) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = href;
    a.textContent = title;
    li.appendChild(a);
    badge(li, ownership, flags);
    if (text) {
      var p = document.createElement('p');
      text(p);
      li.appendChild(p);
    }
    return li;
  }
  function nameItem(n, note) {
    return resultItem('/api/' + n[0] + '/', n[0], n[1], { steals: n[2], out: n[3], deprecated: n[4], limited: n[5] }, note ? function (p) { p.textContent = note; } : null);
  }

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
  var shown = 0;
  var moreButton = null;
  // The next `count` (default 30) of Pagefind's results, loaded (their data fetched) before they are drawn.
  function nextPage(results, count) {
    return Promise.all(results.slice(shown, shown + (count || PAGE)).map(function (r) { return r.data(); }));
  }
  /** A query's first results come in two steps: the first few as soon as they are loaded, then the rest of the page. */
  var FIRST = 5;
  // Draws loaded results, less those already listed by name, and the button for the next page.
  // `partial`: more of this page is on its way, so no button yet (a click now would load the same results twice).
  function drawPage(items, results, listed, partial) {
    items.forEach(function (d) {
      shown++;
      if (listed[d.url]) return;
      var meta = d.meta || {};
      var flags = { steals: meta.steals === 'yes', out: meta.out === 'yes', deprecated: meta.deprecated || '', limited: meta.limited || '' };
      list.appendChild(resultItem(d.url, meta.title || d.url, meta.returns, flags, function (p) { safeExcerpt(d.excerpt || '', p); }));
    });
    if (moreButton) moreButton.remove();
    moreButton = null;
    if (shown < results.length && !partial) {
      moreButton = document.createElement('button');
      moreButton.type = 'button';
      moreButton.id = 'search-more';
      moreButton.textContent = 'Show ' + Math.min(PAGE, results.length - shown) + ' more of ' + (results.length - shown);
      moreButton.addEventListener('click', function () {
        nextPage(results).then(function (more) { drawPage(more, results, listed); });
      });
      list.after(moreButton);
    }
  }
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
    // Busy until the whole first page is drawn (names, then Pagefind's results in two steps).
    list.setAttribute('aria-busy', 'true');
    var searched = load().then(function (m) { return m.search(q || null, { filters: filters }); });
    var noFilter = !Object.keys(filters).length;
    var exact = null;
    var prefixed = [];
    var listed = {};
    loadNames().then(function (names) {
      if (my !== seq) return null;
      // Names first, as soon as the name list is here (Pagefind takes longer): Pagefind's results are appended below
      // them, so nothing already shown moves. Names lead only a plain query: with filters, Pagefind's answer is
      // the one that respects them.
      exact = q && noFilter ? exactName(names, q) : null;
      var lower = q.toLowerCase();
      prefixed = q && noFilter ? names.filter(function (n) { return n !== exact && n[0].toLowerCase().indexOf(lower) === 0; }).slice(0, 10) : [];
      list.textContent = '';
      if (moreButton) moreButton.remove();
      moreButton = null;
      if (exact) { list.appendChild(nameItem(exact, 'Exact name. Press Enter to open it.')); listed['/api/' + exact[0] + '/'] = true; }
      prefixed.forEach(function (n) { list.appendChild(nameItem(n, '')); listed['/api/' + n[0] + '/'] = true; });
      return searched.then(function (res) {
        shown = 0;
        return nextPage(res.results, FIRST).then(function (items) { return { names: names, res: res, items: items }; });
      });
    }).then(function (found) {
      if (my !== seq || !found) return;
      var res = found.res;
      // A query that names nothing gets the names it nearly spells, before any page that merely mentions it
      // (a misspelt name still finds text on pages: PyCFuncton_Type).
      var near = !exact && !prefixed.length && q && (!res.results.length || /^[A-Za-z_][\w.]*$/.test(q)) ? nearMisses(found.names, q) : [];
      near.forEach(function (n) { list.appendChild(nameItem(n, 'Did you mean this name?')); listed['/api/' + n[0] + '/'] = true; });
      if (!exact && !prefixed.length && !res.results.length && q) {
        status.textContent = 'No results for “' + q + '”.' + (near.length ? ' Did you mean:' : '');
        return;
      }
      var count = Math.max(res.results.length, (exact ? 1 : 0) + prefixed.length);
      status.textContent = count + ' result' + (count === 1 ? '' : 's') + (exact ? ': the exact name first' : near.length ? '. Did you mean one of the names first?' : '');
      var rest = shown + found.items.length < res.results.length;
      drawPage(found.items, res.results, listed, rest);
      if (rest) {
        return nextPage(res.results, PAGE - FIRST).then(function (more) { if (my === seq) drawPage(more, res.results, listed); });
      }
    }).catch(function () { status.textContent = 'Search is not available (the index is built by npm run build).'; })
      .then(function () { if (my === seq) list.removeAttribute('aria-busy'); });
  }
  var timer;
  // A short pause after a keystroke: names are drawn as soon as it ends, so it is most of the wait.
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 80); });
  // Both indexes start loading when the box is focused, before the first query.
  input.addEventListener('focus', function () { load(); loadNames(); }, { once: true });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var q = input.value.trim();
    // Enter on an exact API name opens its page.
    loadNames().then(function (names) {
      var exact = q ? exactName(names, q) : null;
      if (exact) location.href = '/api/' + exact[0] + '/';
      else run();
    });
  });
  var q0 = new URLSearchParams(location.search).get('q');
  if (q0) input.value = q0;
  var hasFilter = /[?&]f-/.test(location.search);
  if (q0 || hasFilter) load().then(run);
})();
