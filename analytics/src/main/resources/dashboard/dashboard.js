/*
 * esp-router dashboard: draws uPlot charts and tables from the JSON routes of the API, every 10 s.
 *
 * Data (all same-origin, with the session cookie; the CSRF token of <meta name="csrf-token"> goes in
 * X-CSRF-Token on every POST):
 *   GET /v1/stats/providers  provider_stats per step: counts and rates per provider (global)
 *   GET /v1/stats/failures   failure events newest first (the tenant's own, or every tenant's for the operator)
 *   GET /v1/stats/pipeline   this process's last 30 min: throughput, latency, lag, DLQ depth, weights
 *   GET /v1/stats/weights    weights over time per channel and domain group and the reason of each big change,
 *                            kept by this process's learner (docs/CONTRACTS.md § Dashboard); where it does not
 *                            answer, the process's own samples of the weight gauges are shown
 *   GET /v1/providers        breaker, limiter, weight and window counts now
 *   GET /v1/dlq, POST /v1/dlq/{id}/requeue   a tenant's dead letters
 *   GET /v1/campaigns        campaign progress, once this build serves it (extension point: renderCampaigns)
 *
 * Every chart element gets data-points (non-null values drawn) and data-series (lines) so a test
 * can tell a drawn chart from an empty one; window.espDashboard exposes the uPlot objects.
 */
(function () {
  'use strict';

  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var operator = document.body.getAttribute('data-operator') === 'true';
  var PALETTE = {
    sendgrid: '#1a73e8', postmark: '#f5a623', socketlabs: '#7b3fb6', sparkpost: '#e8453c',
    meta: '#2e9e5b', telegram: '#27a7e7'
  };
  var EXTRA = ['#555', '#a0522d', '#008b8b', '#b8860b', '#c71585'];
  var REFRESH_MS = 10000;
  var charts = {};
  var state = { loads: 0, errors: [], requeued: [] };
  window.espDashboard = { charts: charts, state: state };

  function $(id) { return document.getElementById(id); }

  function color(name, i) { return PALETTE[name] || EXTRA[i % EXTRA.length]; }

  function fetchJson(path, options) {
    options = options || {};
    options.credentials = 'same-origin';
    options.headers = Object.assign({ 'Accept': 'application/json' }, options.headers || {});
    return fetch(path, options).then(function (r) {
      // Signed out (expired, revoked key): back to the form. Other roles' routes keep their answer.
      if (r.status === 401 && path.indexOf('/v1/stats/') === 0) {
        window.location.href = '/login';
        throw new Error('signed out');
      }
      return r.json().catch(function () { return {}; }).then(function (body) {
        return { status: r.status, body: body };
      });
    });
  }

  function minutes() { return parseInt($('range').value, 10); }

  function rangeQuery(mins) {
    var to = new Date();
    var from = new Date(to.getTime() - mins * 60000);
    return 'from=' + encodeURIComponent(from.toISOString()) + '&to=' + encodeURIComponent(to.toISOString());
  }

  function pct(v, digits) { return v == null ? '–' : (v * 100).toFixed(digits == null ? 1 : digits) + ' %'; }

  function num(v) { return v == null ? '–' : (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en') : (+v.toFixed(2)).toString()); }

  /**
   * Draws (or redraws) a time series chart. series: [{label, values, color, scale}]; scales: uPlot
   * scales; axes: extra y axes. Nulls are gaps (no data), never zeros.
   */
  function draw(id, xs, series, opts) {
    opts = opts || {};
    var el = $(id);
    var points = 0;
    series.forEach(function (s) { s.values.forEach(function (v) { if (v != null) { points++; } }); });
    el.setAttribute('data-points', String(points));
    el.setAttribute('data-series', String(series.length));
    var key = series.map(function (s) { return s.label; }).join('|') + '#' + (opts.key || '');
    var data = [xs].concat(series.map(function (s) { return s.values; }));
    var existing = charts[id];
    if (existing && existing.key === key) {
      existing.plot.setData(data);
    } else {
      if (existing) { existing.plot.destroy(); }
      el.textContent = '';
      var plot = new uPlot({
        width: Math.max(300, el.clientWidth),
        height: 230,
        scales: Object.assign({ x: { time: true } }, opts.scales || {}),
        legend: { live: true },
        cursor: { points: { size: 5 } },
        series: [{}].concat(series.map(function (s) {
          // Sparse series (a few minutes of data, isolated samples between gaps) show their points,
          // which a line alone would not draw.
          var drawn = s.values.filter(function (v) { return v != null; }).length;
          return {
            label: s.label, stroke: s.color, fill: s.color + '10', width: 1.5, scale: s.scale || 'y', spanGaps: false,
            points: { show: drawn < 100, size: 5, fill: s.color },
            value: function (u, v) { return v == null ? '–' : (s.format || num)(v); }
          };
        })),
        axes: [{}].concat(opts.axes || [{ values: function (u, vals) { return vals.map(opts.format || num); } }]),
        plugins: opts.plugins || []
      }, data, el);
      charts[id] = { plot: plot, key: key };
    }
    var empty = el.querySelector('.empty');
    if (points === 0) {
      if (!empty) {
        empty = document.createElement('div');
        empty.className = 'empty';
        el.appendChild(empty);
      }
      empty.textContent = opts.emptyText || 'no data in this range yet';
    } else if (empty) {
      empty.remove();
    }
  }

  // --- providers now (breaker, limiter, weight; window rates, priors marked)

  function rateCell(td, n, d, prior) {
    if (d > 0) {
      td.textContent = pct(n / d, 2);
      td.title = n + ' of ' + d + (prior != null ? '; smoothed for the weight: ' + pct(prior, 2) : '');
    } else {
      td.textContent = 'prior';
      td.className += ' prior';
      td.title = 'no data in the window: the weight uses the prior' + (prior != null ? ' (' + pct(prior, 2) + ')' : '');
    }
  }

  function loadProviders() {
    return fetchJson('/v1/providers').then(function (r) {
      var body = $('providers').querySelector('tbody');
      body.textContent = '';
      (r.body.providers || []).forEach(function (p) {
        var w = p.window || {};
        var rates = p.rates || {};
        var resolved = (w.delivered || 0) + (w.bounced || 0) + (w.bounced_recipient || 0) + (w.failed || 0)
          + (w.failed_recipient || 0);
        var tr = document.createElement('tr');
        tr.setAttribute('data-provider', p.name);
        var cells = [];
        for (var i = 0; i < 10; i++) {
          var td = document.createElement('td');
          if (i >= 3) { td.className = 'num'; }
          tr.appendChild(td);
          cells.push(td);
        }
        cells[0].textContent = p.name + (p.enabled ? '' : ' (disabled)');
        cells[1].textContent = p.channel;
        cells[2].textContent = p.breaker.replace('_', '-') + (p.excluded ? ' · ' + p.excluded : '');
        cells[2].className = 'breaker-' + p.breaker;
        var rl = p.rate_limit || {};
        cells[3].textContent = (rl.current_per_sec == null ? '–' : num(rl.current_per_sec)) + ' / ' + num(rl.configured_per_sec);
        cells[3].title = 'current (adaptive) / configured calls per second';
        var bar = document.createElement('span');
        bar.className = 'bar';
        bar.style.width = Math.round((p.weight || 0) / 10) + 'px';
        cells[4].appendChild(bar);
        cells[4].appendChild(document.createTextNode(String(p.weight)));
        cells[5].textContent = num(w.sent || 0);
        rateCell(cells[6], w.delivered || 0, resolved, null);
        rateCell(cells[7], (w.bounced || 0) + (w.bounced_recipient || 0), resolved, rates.failure);
        rateCell(cells[8], w.complained || 0, w.delivered || 0, rates.complaint);
        rateCell(cells[9], w.opened || 0, w.delivered || 0, rates.open);
        body.appendChild(tr);
      });
      $('providers').setAttribute('data-rows', String(body.children.length));
    });
  }

  // --- rates and sends over time (provider_stats)

  var lastStats = null;

  function loadStats() {
    var group = $('rate-group').value;
    var q = '/v1/stats/providers?' + rangeQuery(minutes()) + (group ? '&domain_group=' + group : '');
    return fetchJson(q).then(function (r) {
      if (r.status !== 200) {
        lastStats = { t: [], providers: {}, error: (r.body.error || {}).message };
      } else {
        lastStats = r.body;
      }
      drawRates();
      drawSent();
    });
  }

  function drawRates() {
    var kind = $('rate-kind').value;
    var names = Object.keys(lastStats.providers || {});
    draw('chart-rates', lastStats.t, names.map(function (n, i) {
      return { label: n, values: lastStats.providers[n].rates[kind], color: color(n, i), format: function (v) { return pct(v, 2); } };
    }), {
      key: kind, emptyText: lastStats.error || 'no provider reports in this range yet',
      // From 0 to a little above the highest rate drawn (complaint rates of 0.1 % stay readable).
      scales: { y: { range: function (u, min, max) { return [0, Math.min(1, Math.max(0.001, (max || 0) * 1.15))]; } } },
      axes: [{ size: 72, values: function (u, vals) { return vals.map(function (v) { return pct(v, v < 0.01 ? 2 : 1); }); } }]
    });
  }

  function drawSent() {
    var perMinute = (lastStats.step_seconds || 60) / 60;
    var names = Object.keys(lastStats.providers || {});
    draw('chart-sent', lastStats.t, names.map(function (n, i) {
      return { label: n, values: lastStats.providers[n].sent.map(function (v) { return v / perMinute; }), color: color(n, i) };
    }), { emptyText: lastStats.error || 'nothing sent in this range yet' });
  }

  // --- weights over time: the learner's history with its big changes marked, else this process's samples

  var weightData = null;
  var weightMarks = [];

  /** Dashed vertical lines at the selected series' big changes, in the provider's colour. */
  function marksPlugin() {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      weightMarks.forEach(function (m) {
        var x = u.valToPos(m.t, 'x', true);
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) { return; }
        ctx.strokeStyle = m.color;
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
      });
      ctx.restore();
    }] } };
  }

  function loadWeights(pipeline) {
    return fetchJson('/v1/stats/weights?' + rangeQuery(minutes())).then(function (r) {
      if (r.status === 200 && r.body.weights) {
        weightData = { t: r.body.t, weights: r.body.weights, changes: r.body.changes || [],
          source: 'this process\'s learner, sampled every ' + r.body.sample_seconds + ' s; dashed lines: big changes' };
      } else {
        weightData = { t: pipeline.t, weights: pipeline.weights || {}, changes: [],
          source: 'this process, last 30 min (sampled every ' + pipeline.step_seconds + ' s)' };
      }
      $('weights-source').textContent = weightData.source;
      var select = $('weights-series');
      var keys = Object.keys(weightData.weights).sort();
      var current = select.value;
      if (select.options.length !== keys.length || keys.some(function (k, i) { return select.options[i].value !== k; })) {
        select.textContent = '';
        keys.forEach(function (k) {
          var o = document.createElement('option');
          o.value = k;
          o.textContent = k.replace('/', ' · ');
          select.appendChild(o);
        });
        if (keys.indexOf(current) >= 0) { select.value = current; }
      }
      drawWeights();
    });
  }

  function seriesOf(change) {
    return change.channel === 'email' ? 'email/' + change.domain_group : change.channel;
  }

  function drawWeights() {
    var key = $('weights-series').value;
    var series = weightData.weights[key] || {};
    var names = Object.keys(series).sort();
    var changes = weightData.changes.filter(function (c) { return seriesOf(c) === key; });
    weightMarks = changes.map(function (c) {
      return { t: Date.parse(c.t) / 1000, color: color(c.provider, names.indexOf(c.provider)) };
    });
    // One sample (a process just started) would make uPlot spread the time axis over years: a gap
    // five minutes before it gives the axis a span.
    var xs = weightData.t;
    var lead = xs.length === 1 ? [null] : [];
    if (lead.length) { xs = [xs[0] - 300].concat(xs); }
    draw('chart-weights', xs, names.map(function (n, i) {
      return { label: n, values: lead.concat(series[n]), color: color(n, i) };
    }), {
      key: key, scales: { y: { range: [0, 1000] } }, plugins: [marksPlugin()],
      emptyText: 'no weights sampled yet'
    });
    $('chart-weights').setAttribute('data-changes', String(changes.length));
    var list = $('weight-changes');
    list.textContent = '';
    changes.slice(-20).reverse().forEach(function (c) {
      var li = document.createElement('li');
      li.setAttribute('data-kind', c.kind);
      li.textContent = c.t.substring(11, 19) + ' ' + c.provider + ' ' + c.weight_before + ' → ' + c.weight + ': '
        + c.reason;
      li.style.color = color(c.provider, names.indexOf(c.provider));
      list.appendChild(li);
    });
    list.setAttribute('data-rows', String(list.children.length));
  }

  // --- throughput, latency, lag and DLQ depth (this process)

  function loadPipeline() {
    return fetchJson('/v1/stats/pipeline').then(function (r) {
      var p = r.body;
      draw('chart-latency', p.t, [
        { label: 'recipients sent /s', values: p.sent_per_sec, color: '#1a73e8', scale: 'rate' },
        { label: 'provider call p50 ms', values: p.latency_p50_ms, color: '#2e9e5b', scale: 'ms' },
        { label: 'provider call p99 ms', values: p.latency_p99_ms, color: '#e8453c', scale: 'ms' }
      ], {
        scales: { rate: {}, ms: {} },
        axes: [{ scale: 'rate', size: 50, values: function (u, v) { return v.map(num); } },
          { scale: 'ms', side: 1, size: 70, grid: { show: false }, values: function (u, v) { return v.map(function (x) { return num(x) + ' ms'; }); } }],
        emptyText: 'no router in this process, or no samples yet'
      });
      draw('chart-lag', p.t, [
        { label: 'router lag (records)', values: p.router_lag_records, color: '#7b3fb6' },
        { label: 'analytics lag (records)', values: p.analytics_lag_records, color: '#f5a623' },
        { label: 'dead letters waiting', values: p.dlq_depth, color: '#b3261e' }
      ], { emptyText: 'no samples yet' });
      return p;
    });
  }

  // --- recent failures

  function loadFailures() {
    var q = '/v1/stats/failures?limit=50&' + rangeQuery(parseInt($('failure-window').value, 10));
    if ($('failure-provider').value) { q += '&provider=' + $('failure-provider').value; }
    if ($('failure-type').value) { q += '&type=' + $('failure-type').value; }
    return fetchJson(q).then(function (r) {
      var body = $('failures').querySelector('tbody');
      body.textContent = '';
      var list = r.body.failures || [];
      list.forEach(function (f) {
        var tr = document.createElement('tr');
        [f.at.replace('T', ' ').replace('Z', ''), f.provider || '', f.type, f.recipient_side ? 'recipient' : 'provider',
          f.message_id, f.reason || ''].forEach(function (v) {
          var td = document.createElement('td');
          td.textContent = v;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      if (list.length === 0) {
        var tr = document.createElement('tr');
        var td = document.createElement('td');
        td.colSpan = 6;
        td.className = 'note';
        td.textContent = r.status === 200 ? 'No failures in this window.' : ((r.body.error || {}).message || 'unavailable');
        tr.appendChild(td);
        body.appendChild(tr);
      }
      $('failures').setAttribute('data-rows', String(list.length));
      $('failures').setAttribute('data-newest', list.length ? list[0].at : '');
    });
  }

  // --- dead letters (a tenant's; requeue through the API with the session's CSRF token)

  function loadDlq(pipeline) {
    var depth = pipeline && pipeline.dlq_depth && pipeline.dlq_depth.length
      ? pipeline.dlq_depth[pipeline.dlq_depth.length - 1] : null;
    if (operator) {
      $('dlq-note').textContent = 'Dead letters waiting, all tenants: ' + (depth == null ? 'unknown in this process' : num(depth))
        + '. They are listed and requeued per tenant: sign in with the tenant\'s API key.';
      $('dlq').setAttribute('data-rows', '0');
      return Promise.resolve();
    }
    return fetchJson('/v1/dlq?limit=20').then(function (r) {
      var body = $('dlq').querySelector('tbody');
      body.textContent = '';
      if (r.status !== 200) {
        $('dlq-note').textContent = r.status === 404
          ? 'Dead letters are served by the router role, which this process does not run.'
          : ((r.body.error || {}).message || 'unavailable');
        return;
      }
      var list = r.body.data || [];
      $('dlq-note').textContent = list.length ? '' : 'No dead letters.';
      list.forEach(function (d) {
        var tr = document.createElement('tr');
        [d.id, d.channel, d.provider || '', String(d.attempts), d.reason, d.last_error || '', d.dead_at].forEach(function (v) {
          var td = document.createElement('td');
          td.textContent = v;
          tr.appendChild(td);
        });
        var td = document.createElement('td');
        var b = document.createElement('button');
        b.className = 'requeue';
        b.textContent = 'Requeue';
        b.addEventListener('click', function () { requeue(d.id, b); });
        td.appendChild(b);
        tr.appendChild(td);
        body.appendChild(tr);
      });
      $('dlq').setAttribute('data-rows', String(list.length));
    });
  }

  function requeue(id, button) {
    button.disabled = true;
    fetchJson('/v1/dlq/' + encodeURIComponent(id) + '/requeue', { method: 'POST', headers: { 'X-CSRF-Token': csrf } })
      .then(function (r) {
        if (r.status === 202) {
          state.requeued.push(id);
        }
        button.textContent = r.status === 202 ? 'Requeued' : 'Failed (' + r.status + ')';
      });
  }

  // --- campaigns: extension point (docs/CONTRACTS.md § Dashboard)

  /**
   * Campaign progress, per API.md § Campaigns, once GET /v1/campaigns answers with
   * {"data": [{"id","name","state","progress":{"sent","total"}}]}: one row per campaign with a pause
   * button (POST /v1/campaigns/{id}/pause with X-CSRF-Token). Until then the panel says so.
   */
  function renderCampaigns(list) {
    var box = $('campaigns');
    box.textContent = '';
    if (!list.length) {
      box.textContent = 'No campaigns.';
      return;
    }
    var table = document.createElement('table');
    list.forEach(function (c) {
      var tr = document.createElement('tr');
      var p = c.progress || {};
      [c.name || c.id, c.state, (p.sent || 0) + ' / ' + (p.total || 0)].forEach(function (v) {
        var td = document.createElement('td');
        td.textContent = v;
        tr.appendChild(td);
      });
      var td = document.createElement('td');
      if (c.state === 'sending') {
        var b = document.createElement('button');
        b.textContent = 'Pause';
        b.addEventListener('click', function () {
          b.disabled = true;
          fetchJson('/v1/campaigns/' + encodeURIComponent(c.id) + '/pause', { method: 'POST', headers: { 'X-CSRF-Token': csrf } })
            .then(function (r) { b.textContent = r.status < 300 ? 'Paused' : 'Failed (' + r.status + ')'; });
        });
        td.appendChild(b);
      }
      tr.appendChild(td);
      table.appendChild(tr);
    });
    box.appendChild(table);
  }

  function loadCampaigns() {
    if (operator) {
      $('campaigns').textContent = 'Campaigns belong to tenants: sign in with a tenant\'s key to follow and pause them.';
      return Promise.resolve();
    }
    return fetchJson('/v1/campaigns?limit=10').then(function (r) {
      if (r.status === 200 && Array.isArray(r.body.data)) {
        renderCampaigns(r.body.data);
      } else {
        $('campaigns').textContent = 'Campaign progress appears here once this build serves GET /v1/campaigns.';
      }
    });
  }

  // --- wiring

  function fillProviderFilter() {
    ['sendgrid', 'postmark', 'socketlabs', 'sparkpost', 'meta', 'telegram'].forEach(function (p) {
      var o = document.createElement('option');
      o.value = p;
      o.textContent = p;
      $('failure-provider').appendChild(o);
    });
  }

  function refresh() {
    var pipeline = loadPipeline();
    return Promise.all([
      loadProviders(), loadStats(), loadFailures(), loadCampaigns(),
      pipeline.then(loadWeights), pipeline.then(loadDlq)
    ]).then(function () {
      state.loads++;
      $('updated').textContent = 'updated ' + new Date().toISOString().substring(11, 19) + ' UTC';
    }, function (err) {
      state.errors.push(String(err));
      $('updated').textContent = 'update failed: ' + err;
    });
  }

  function start() {
    fillProviderFilter();
    $('range').addEventListener('change', refresh);
    $('rate-kind').addEventListener('change', drawRates);
    $('rate-group').addEventListener('change', loadStats);
    $('weights-series').addEventListener('change', drawWeights);
    ['failure-provider', 'failure-type', 'failure-window'].forEach(function (id) {
      $(id).addEventListener('change', loadFailures);
    });
    window.addEventListener('resize', function () {
      Object.keys(charts).forEach(function (id) {
        charts[id].plot.setSize({ width: Math.max(300, $(id).clientWidth), height: 230 });
      });
    });
    refresh();
    setInterval(refresh, REFRESH_MS);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
