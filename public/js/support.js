// The reader's support range (oldest Python, Limited API or not), chosen once: kept in local storage and in the URL
// (?min=3.9&limited=1, which wins, so a link carries it), and answered on every API page. The chosen Python version
// of the version switch is kept the same way (?v=3.13).
(function () {
  var KEY = 'capi-refs-range';
  var VERSION_KEY = 'capi-refs-version';
  var box = document.getElementById('support');
  var form = document.getElementById('support-form');
  var answer = document.getElementById('support-answer');
  var params = new URLSearchParams(location.search);

  function stored(key) { try { return JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { return null; } }
  function store(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: the URL still carries it */ } }
  function setParam(name, value) {
    var p = new URLSearchParams(location.search);
    if (value) p.set(name, value); else p.delete(name);
    var q = p.toString();
    history.replaceState(null, '', location.pathname + (q ? '?' + q : '') + location.hash);
  }
  // '3.9' < '3.10': compare as numbers part by part.
  function before(a, b) {
    var x = a.split('.').map(Number), y = b.split('.').map(Number);
    return x[0] !== y[0] ? x[0] < y[0] : x[1] < y[1];
  }

  if (box && form && answer) {
    var saved = stored(KEY) || {};
    var range = { min: params.get('min') || saved.min || '', limited: params.has('limited') ? params.get('limited') === '1' : !!saved.limited };
    function say() {
      var d = box.dataset;
      var parts = [];
      if (range.min) {
        // When it came: the docs' "Added in", else the first dataset version that has it (older than the oldest: unknown).
        var since = d.added || (d.firstSeen === d.oldest ? '' : d.firstSeen);
        if (!since) parts.push('Usable from ' + range.min + ': yes (in CPython since ' + d.oldest + ' or earlier).');
        else if (!before(range.min, since)) parts.push('Usable from ' + range.min + ': yes (' + (d.added ? 'added in ' : 'first in the dataset in ') + since + ').');
        // pythoncapi_compat.h covers its oldest supported Python up to the version that added the name.
        else if (d.compatBefore && !before(range.min, d.compatOldest)) parts.push('Usable from ' + range.min + ': yes with pythoncapi_compat.h, which provides it before ' + d.compatBefore + ' (CPython added it in ' + since + ').');
        else parts.push('Usable from ' + range.min + ': no, ' + (d.added ? 'added in ' : 'first in the dataset in ') + since + '.');
        if (d.lastSeen !== d.newest) parts.push('Gone after ' + d.lastSeen + '.');
      }
      if (range.limited) {
        if (!d.stableSince) parts.push('In the Limited API: no.');
        else if (range.min && before(range.min, d.stableSince)) parts.push('In the Limited API: only from ' + d.stableSince + '.');
        else parts.push('In the Limited API: yes, since ' + d.stableSince + '.');
      }
      if (parts.length) answer.textContent = parts.join(' ');
    }
    form.elements.min.value = range.min || '3.9';
    form.elements.limited.checked = range.limited;
    form.addEventListener('change', function () {
      range = { min: form.elements.min.value, limited: form.elements.limited.checked };
      store(KEY, range);
      setParam('min', range.min);
      setParam('limited', range.limited ? '1' : '');
      say();
    });
    say();
  }

  // The version switch: the choice is kept here; the page's inline script (src/lib/site/inline-scripts.ts) restores
  // it before the first paint.
  document.querySelectorAll('.vswitch input[type=radio]').forEach(function (r) {
    r.addEventListener('change', function () {
      if (!r.checked) return;
      store(VERSION_KEY, r.value);
      setParam('v', r.value);
    });
  });
})();
