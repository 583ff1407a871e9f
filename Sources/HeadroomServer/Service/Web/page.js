(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const storageKey = 'headroom.apiKey';
  let apiKey = sessionStorage.getItem(storageKey) || '';
  let planned = false;
  let lastResponse = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function banner(message, kind) {
    const box = $('banner');
    box.replaceChildren(...(Array.isArray(message) ? message : [message]));
    box.className = 'banner ' + (kind || 'info');
    box.hidden = false;
  }

  function showError(error, doing) {
    const message = String(error.message).replace(/[.!?]+$/, '');
    const parts = [el('b', {}, doing + ' failed: '), message];
    if (error.field) parts.push(' (field ', el('code', {}, error.field), ')');
    parts.push('.');
    if (error.status === 401) parts.push(' Check the API key.');
    if (error.status === 403) parts.push(' This key\u2019s role may not do that.');
    banner(parts, 'error');
  }

  function busy(button, on) {
    button.disabled = on;
    button.classList.toggle('busy', on);
  }

  function showKey(state, text) {
    const pill = $('key-status');
    pill.className = 'pill' + (state ? ' ' + state : '');
    pill.textContent = text;
  }

  function setKey(value) {
    apiKey = value.trim();
    if (apiKey) sessionStorage.setItem(storageKey, apiKey);
    else sessionStorage.removeItem(storageKey);
    $('api-key').value = apiKey;
    showKey(apiKey ? '' : 'bad', apiKey ? 'key set' : 'no key');
  }

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json, text/html' };
    if (apiKey) headers['Authorization'] = 'Bearer ' + apiKey;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, cache: 'no-store', credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    lastResponse = response;
    if (!response.ok) {
      const error = new Error(response.status + ' ' + (response.statusText || 'error'));
      error.status = response.status;
      try {
        const detail = JSON.parse(text).error;
        if (detail && detail.message) { error.message = detail.message; error.field = detail.field; }
      } catch (ignored) { /* not JSON */ }
      if (error.status === 401) showKey('bad', 'key refused');
      throw error;
    }
    return text;
  }

  const number = (id) => {
    const text = $(id).value.trim();
    return text === '' ? undefined : Number(text);
  };
  const list = (id) => $(id).value.split(',').map((s) => s.trim()).filter(Boolean);
  const compact = (object) => Object.fromEntries(
    Object.entries(object).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));

  function planBody() {
    const model = $('model').value.trim();
    if (!model) throw Object.assign(new Error('give a model'), { field: 'workload.model' });
    const rate = number('rate');
    if (!(rate > 0)) throw Object.assign(new Error('give a rate above zero'), { field: 'workload.traffic' });
    const traffic = { [$('traffic-kind').value]: rate };
    if (number('requests')) traffic.requests = number('requests');
    const preset = $('preset').value;
    const lengths = preset ? { preset } : {
      input: { dist: 'fixed', value: number('input-tokens') },
      output: { dist: 'fixed', value: number('output-tokens') },
    };
    const slo = compact({
      ttft_ms: number('ttft'), tpot_ms: number('tpot'), e2e_ms: number('e2e'), percentile: number('percentile'),
    });
    const constraints = compact({
      accelerators: list('accelerators'), stacks: list('stacks'), providers: list('providers'),
      regions: list('regions'), budget_per_hour: number('budget'), min_replicas: number('min-replicas'),
    });
    const workload = { model, traffic, lengths };
    if (Object.keys(slo).length) workload.slo = slo;
    if (Object.keys(constraints).length) workload.constraints = constraints;
    return compact({
      workload, top: number('top'), with_cost: $('with-cost').checked || undefined,
      price_book: $('price-book').value.trim() || undefined,
    });
  }

  async function runPlan() {
    const button = $('plan-button');
    let body;
    try { body = planBody(); } catch (error) { showError(error, 'Planning'); return false; }
    busy(button, true);
    banner('Planning ' + body.workload.model + '\u2026', 'info');
    const output = $('plan-output');
    output.dataset.state = 'running';
    const started = performance.now();
    try {
      const html = await api('POST', '/ui/plan', body);
      output.innerHTML = html;
      output.dataset.state = 'ready';
      planned = true;
      // The server's own timing (Server-Timing), else the round trip.
      const timing = /dur=([0-9.]+)/.exec(lastResponse.headers.get('Server-Timing') || '');
      const seconds = ((timing ? Number(timing[1]) : performance.now() - started) / 1000).toFixed(1);
      $('plan-time').textContent = 'planned in ' + seconds + ' s';
      $('banner').hidden = true;
      if (apiKey) showKey('ok', 'key works');
      return true;
    } catch (error) {
      output.dataset.state = 'failed';
      showError(error, 'Planning');
      return false;
    } finally {
      busy(button, false);
    }
  }

  async function savePlan() {
    const name = $('save-name').value.trim();
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(name)) {
      showError(Object.assign(new Error('name the plan with letters, digits, ".", "_" or "-"'),
        { field: 'name' }), 'Saving');
      $('save-name').focus();
      return false;
    }
    const button = $('save-button');
    let body;
    try { body = planBody(); } catch (error) { showError(error, 'Saving'); return false; }
    body.name = name;
    if ($('confidential').checked) body.confidential = true;
    busy(button, true);
    banner('Saving ' + name + '\u2026', 'info');
    try {
      const saved = JSON.parse(await api('POST', '/v1/plans', body));
      banner([el('b', {}, 'Saved '), saved.name + ' version ' + saved.version + '.'], 'ok');
      $('banner').dataset.saved = saved.name + '@' + saved.version;
      await loadPlans(saved.name);
      return true;
    } catch (error) {
      showError(error, 'Saving');
      return false;
    } finally {
      busy(button, false);
    }
  }

  const when = (iso) => {
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  };

  async function loadModels() {
    try {
      const models = JSON.parse(await api('GET', '/v1/catalog/models'));
      $('models').replaceChildren(...models.map((m) => el('option', { value: m.id }, m.name || m.id)));
    } catch (ignored) { /* the list is a convenience */ }
  }

  async function loadPlans(select) {
    const box = $('plans-list');
    if (!apiKey) { box.replaceChildren(el('li', { class: 'muted' }, 'Use a key to list saved plans.')); return; }
    let plans;
    try {
      plans = JSON.parse(await api('GET', '/v1/plans'));
    } catch (error) {
      box.replaceChildren(el('li', { class: 'muted' }, 'Cannot list plans: ' + error.message));
      return;
    }
    if (!planned) showKey('ok', 'key works');
    plans.sort((a, b) => a.name.localeCompare(b.name));
    box.replaceChildren(...(plans.length ? plans.map(planItem)
      : [el('li', { class: 'muted' }, 'No saved plans yet: plan, name it, and press Save as.')]));
    const chooser = $('diff-plan');
    const current = select || chooser.value;
    chooser.replaceChildren(...plans.map((p) => el('option', { value: p.name }, p.name + ' (v' + p.version + ')')));
    if (plans.some((p) => p.name === current)) chooser.value = current;
    await loadVersions();
  }

  function planItem(plan) {
    const versions = el('ul', { class: 'versions', hidden: true });
    const toggle = el('button', { type: 'button', class: 'ghost small' }, 'Versions');
    toggle.addEventListener('click', async () => {
      if (!versions.hidden) { versions.hidden = true; return; }
      await fillVersions(plan.name, versions);
      versions.hidden = false;
    });
    const name = el('button', { type: 'button', class: 'plan-name', title: 'Compare its versions' }, plan.name);
    name.addEventListener('click', async () => { $('diff-plan').value = plan.name; await loadVersions(); });
    return el('li', { 'data-plan': plan.name },
      el('div', { class: 'plan-line' },
        el('div', {}, name, ' ', plan.confidential ? el('span', { class: 'tag' }, 'confidential') : null,
          el('div', { class: 'plan-meta' }, 'v' + plan.version + ' \u00b7 ' + plan.author + ' \u00b7 ' + when(plan.created_at))),
        toggle),
      versions);
  }

  async function fillVersions(name, box) {
    try {
      const versions = JSON.parse(await api('GET', '/v1/plans/' + encodeURIComponent(name) + '/versions'));
      versions.sort((a, b) => b.version - a.version);
      box.replaceChildren(...versions.map((v) => {
        const summary = el('span', { class: 'summary' });
        const item = el('li', {}, el('b', {}, 'v' + v.version), v.author + ', ' + when(v.created_at), summary);
        summarise(name, v.version, summary);
        return item;
      }));
    } catch (error) {
      box.replaceChildren(el('li', {}, error.message));
    }
  }

  async function summarise(name, version, target) {
    try {
      const saved = JSON.parse(await api('GET', '/v1/plans/' + encodeURIComponent(name) + '/versions/' + version));
      const chosen = (saved.plan.candidates || [])[0];
      if (!chosen) { target.textContent = '\u2014 nothing meets the SLO'; return; }
      const cost = typeof chosen.cost_per_hour === 'number'
        ? ', ' + (chosen.currency || '') + ' ' + chosen.cost_per_hour.toFixed(2) + '/h' : '';
      target.textContent = '\u2014 ' + chosen.replicas + '\u00d7 ' + chosen.accelerator + ' tp' + chosen.tp + cost;
    } catch (ignored) { /* the summary is a convenience */ }
  }

  async function loadVersions(from, to) {
    const name = $('diff-plan').value;
    const fromBox = $('diff-from');
    const toBox = $('diff-to');
    if (!name) { fromBox.replaceChildren(); toBox.replaceChildren(); return; }
    try {
      const versions = JSON.parse(await api('GET', '/v1/plans/' + encodeURIComponent(name) + '/versions'))
        .map((v) => v.version).sort((a, b) => a - b);
      const options = () => versions.map((v) => el('option', { value: v }, 'v' + v));
      fromBox.replaceChildren(...options());
      toBox.replaceChildren(...options());
      const last = versions[versions.length - 1];
      fromBox.value = String(from || versions[Math.max(versions.length - 2, 0)]);
      toBox.value = String(to || last);
    } catch (error) {
      showError(error, 'Listing versions');
    }
  }

  function show(value) {
    if (value === null || value === undefined) return el('span', { class: 'none' }, 'absent');
    if (typeof value === 'number') {
      return Number.isInteger(value) ? value.toLocaleString()
        : value.toLocaleString(undefined, { maximumSignificantDigits: 5 });
    }
    if (typeof value === 'string' || typeof value === 'boolean') return String(value);
    const text = JSON.stringify(value);
    return text.length > 120 ? text.slice(0, 117) + '\u2026' : text;
  }

  // An RFC 6901 pointer as people read it: /workload/diurnal/3 -> workload.diurnal[3].
  function readablePath(pointer) {
    const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    return tokens.reduce((text, t) => /^\d+$/.test(t) ? text + '[' + t + ']' : (text ? text + '.' : '') + t, '');
  }

  // A path with line-break opportunities after its dots and before its brackets.
  function breakable(path) {
    return path.split(/(?<=\.)|(?=\[)/).flatMap((part, i) => i ? [el('wbr'), part] : [part]);
  }

  function delta(from, to) {
    if (typeof from !== 'number' || typeof to !== 'number' || from === 0) return '';
    const change = (to - from) / Math.abs(from) * 100;
    return (change > 0 ? '+' : '') + change.toFixed(Math.abs(change) < 10 ? 1 : 0) + '%';
  }

  async function showDiff(name, from, to) {
    const view = $('diff-view');
    const button = $('diff-button');
    if (!name || !from || !to) { showError(new Error('choose a plan and two versions'), 'Comparing'); return false; }
    busy(button, true);
    try {
      const path = '/v1/plans/' + encodeURIComponent(name) + '/diff?from=' + encodeURIComponent(from)
        + '&to=' + encodeURIComponent(to);
      const diff = JSON.parse(await api('GET', path));
      const changes = diff.changes || [];
      const limit = 500;
      const rows = changes.slice(0, limit).map((c) => el('tr', { 'data-path': readablePath(c.path), 'data-pointer': c.path },
        el('td', { class: 'path', title: c.path }, breakable(readablePath(c.path))),
        el('td', { class: 'from' }, show(c.from)),
        el('td', { class: 'to' }, show(c.to)), el('td', { class: 'delta' }, delta(c.from, c.to))));
      const filter = el('input', { type: 'search', placeholder: 'filter paths, e.g. cost' });
      filter.addEventListener('input', () => {
        const wanted = filter.value.trim().toLowerCase();
        for (const row of rows) row.hidden = wanted !== '' && !row.dataset.path.toLowerCase().includes(wanted);
      });
      const close = el('button', { type: 'button', class: 'ghost small' }, 'Close');
      close.addEventListener('click', () => { view.hidden = true; });
      const title = diff.name + ': v' + diff.from + ' \u2192 v' + diff.to;
      const count = changes.length === 0 ? 'no changes'
        : changes.length + (changes.length === 1 ? ' change' : ' changes')
          + (changes.length > limit ? ' (first ' + limit + ' shown)' : '');
      view.replaceChildren(
        el('div', { class: 'diff-head' },
          el('div', {}, el('h2', {}, 'Diff ' + title),
            el('div', { class: 'muted small', id: 'diff-count' }, count,
              diff.redacted ? ' \u00b7 costs redacted for your role' : '')),
          el('div', { class: 'diff-tools' }, changes.length ? filter : null, close)),
        changes.length === 0 ? el('p', { class: 'muted' }, 'The two versions are the same plan.')
          : el('div', { class: 'diff-table-wrap' }, el('table', {},
            el('colgroup', {}, el('col', { class: 'path' }), el('col'), el('col'), el('col', { class: 'change' })),
            el('thead', {}, el('tr', {}, el('th', {}, 'field'), el('th', {}, 'v' + diff.from),
              el('th', {}, 'v' + diff.to), el('th', {}, 'change'))),
            el('tbody', {}, rows))));
      view.hidden = false;
      view.dataset.state = 'ready';
      return true;
    } catch (error) {
      showError(error, 'Comparing');
      return false;
    } finally {
      busy(button, false);
    }
  }

  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    setKey($('api-key').value);
    if (apiKey) { showKey('', 'checking\u2026'); await Promise.all([loadPlans(), loadModels()]); }
  });
  $('forget-key').addEventListener('click', () => { setKey(''); loadPlans(); });
  $('plan-form').addEventListener('submit', (event) => { event.preventDefault(); runPlan(); });
  $('save-button').addEventListener('click', () => savePlan());
  $('refresh-plans').addEventListener('click', () => loadPlans());
  $('diff-plan').addEventListener('change', () => loadVersions());
  $('diff-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showDiff($('diff-plan').value, $('diff-from').value, $('diff-to').value);
  });
  const syncPreset = () => {
    const fixed = $('preset').value === '';
    $('input-tokens').disabled = !fixed;
    $('output-tokens').disabled = !fixed;
  };
  $('preset').addEventListener('change', syncPreset);

  // Inputs from the URL's fragment (never sent to the server), then out of the address bar.
  const params = new URLSearchParams(location.hash.slice(1));
  if ([...params.keys()].length) history.replaceState(null, '', location.pathname + location.search);
  if (params.has('key')) apiKey = params.get('key');
  const fields = {
    model: 'model', rate: 'rate', preset: 'preset', input: 'input-tokens', output: 'output-tokens',
    ttft: 'ttft', tpot: 'tpot', e2e: 'e2e', percentile: 'percentile', accelerators: 'accelerators',
    stacks: 'stacks', providers: 'providers', regions: 'regions', budget: 'budget',
    min_replicas: 'min-replicas', requests: 'requests', top: 'top', price_book: 'price-book', save: 'save-name',
  };
  for (const [param, id] of Object.entries(fields)) if (params.has(param)) $(id).value = params.get(param);
  if (params.has('rpd')) { $('traffic-kind').value = 'requests_per_day'; $('rate').value = params.get('rpd'); }
  if (params.get('cost') === '1') $('with-cost').checked = true;
  if (['accelerators', 'stacks', 'providers', 'regions', 'budget', 'min_replicas', 'price_book', 'cost']
    .some((p) => params.has(p))) $('constraints-box').open = true;
  syncPreset();
  setKey(apiKey);

  (async () => {
    if (apiKey) await Promise.all([loadPlans(params.get('diff') || undefined), loadModels()]);
    if (params.get('autorun') === '1') await runPlan();
    if (params.has('save')) await savePlan();
    if (params.has('diff')) {
      $('diff-plan').value = params.get('diff');
      await loadVersions(params.get('from'), params.get('to'));
      await showDiff(params.get('diff'), params.get('from'), params.get('to'));
    }
    document.body.dataset.autorun = 'done';
  })();
})();
