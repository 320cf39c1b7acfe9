// The console's insight pages: draws the dashboard's charts with uPlot (served from /console/assets) from the
// JSON data block the server wrote, and sends the knowledge page's forms with fetch (JSON bodies).
(function () {
  'use strict';
  var dataEl = document.getElementById('insight-data');
  if (dataEl && window.uPlot) {
    var d = JSON.parse(dataEl.textContent);
    var xs = d.days.map(function (day) { return Date.parse(day + 'T00:00:00+08:00') / 1000; });
    var width = function (el) { return Math.max(280, el.clientWidth || 300); };
    var draw = function (id, series, data) {
      var el = document.getElementById(id);
      if (!el || xs.length === 0) return;
      new window.uPlot({ width: width(el), height: 220, series: [{ label: d.labels.day }].concat(series), axes: [{}, {}], scales: { x: { time: true } } }, [xs].concat(data), el);
    };
    draw('chart-conversations', [{ label: d.labels.conversations, stroke: '#0b5cad', width: 2 }], [d.conversations]);
    draw('chart-rates', [
      { label: d.labels.answered, stroke: '#1b7f3b', width: 2 },
      { label: d.labels.clarified, stroke: '#b26a00', width: 2 },
      { label: d.labels.declined, stroke: '#b00020', width: 2 },
    ], [d.answered, d.clarified, d.declined]);
  }
  var msgEl = document.getElementById('insight-messages');
  var messages = msgEl ? JSON.parse(msgEl.textContent) : { saved: 'OK', failed: '{problem}' };
  document.querySelectorAll('form[data-action]').forEach(function (form) {
    var csrfMeta = document.querySelector('meta[name="csrf-token"]');
    var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var out = form.querySelector('output');
      var body;
      if (form.classList.contains('entry')) {
        try { body = { entry: JSON.parse(form.elements.entry.value) }; } catch (e) { out.textContent = messages.failed.replace('{problem}', e.message); return; }
      } else if (form.classList.contains('paraphrase')) {
        body = { entryId: form.elements.entryId.value, lang: form.elements.lang.value, text: form.elements.text.value };
      }
      fetch(form.getAttribute('data-action'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: Object.assign(body ? { 'content-type': 'application/json' } : {}, csrf ? { 'x-csrf-token': csrf } : {}),
        body: body ? JSON.stringify(body) : undefined,
      }).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (json) {
          out.textContent = res.ok ? messages.saved : messages.failed.replace('{problem}', json.problem || json.error || res.status);
        });
      }, function (err) { out.textContent = messages.failed.replace('{problem}', err.message); });
    });
  });
})();
