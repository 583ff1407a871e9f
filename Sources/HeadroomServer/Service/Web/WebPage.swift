/// The page `GET /` serves: one self-contained document (inline style and script, nothing fetched from elsewhere)
/// that plans a workload through `POST /ui/plan`, saves versions through `POST /v1/plans`, lists them, and shows
/// the diff between two versions.
///
/// The API key lives in the tab's `sessionStorage`. For tests and bookmarks the page also takes its inputs from
/// the URL's fragment, which browsers never send to the server: `/#key=hr_…&model=llama-3.1-8b&rate=4&autorun=1`
/// (see ``script`` for every parameter). It removes the fragment from the address bar with
/// `history.replaceState` once read, so the key does not stay in the history.
enum WebPage {
    static let html = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>Headroom · capacity planner</title>
        <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%230b5cad'/%3E%3Cpath d='M3 12h10M4 12V8m3 4V5m3 7V7' stroke='white' stroke-width='1.6'/%3E%3C/svg%3E">
        <style>\#(style)</style>
        </head>
        <body>
        <header class="topbar">
          <div class="brand">
            <span class="logo" aria-hidden="true"></span>
            <span class="brand-name">Headroom</span>
            <span class="brand-sub">capacity planner</span>
          </div>
          <form id="key-form" class="keybox" autocomplete="off">
            <label for="api-key">API key</label>
            <input id="api-key" type="password" placeholder="hr_…" spellcheck="false">
            <button type="submit" class="ghost">Use key</button>
            <button type="button" id="forget-key" class="ghost">Forget</button>
            <span id="key-status" class="pill">no key</span>
          </form>
        </header>
        <div class="layout">
          <aside class="sidebar">
            <form id="plan-form" class="panel" autocomplete="off" novalidate>
              <h2>Workload</h2>
              <label class="field">Model
                <input id="model" list="models" value="llama-3.1-8b" required spellcheck="false">
                <datalist id="models"></datalist>
              </label>
              <div class="row">
                <label class="field">Traffic
                  <select id="traffic-kind">
                    <option value="peak_rps">peak req/s</option>
                    <option value="requests_per_day">requests/day</option>
                  </select>
                </label>
                <label class="field">Rate
                  <input id="rate" type="number" min="0" step="any" value="4" required>
                </label>
              </div>
              <div class="row">
                <label class="field">Lengths
                  <select id="preset">
                    <option value="">fixed</option>
                    <option>chat</option><option>code</option><option>rag</option>
                    <option>agent</option><option>tool-agent</option><option>long-chat</option>
                  </select>
                </label>
                <label class="field">Prompt tokens
                  <input id="input-tokens" type="number" min="1" step="1" value="500">
                </label>
                <label class="field">Output tokens
                  <input id="output-tokens" type="number" min="1" step="1" value="200">
                </label>
              </div>
              <fieldset>
                <legend>Service-level objectives</legend>
                <div class="row">
                  <label class="field">TTFT ms<input id="ttft" type="number" min="0" step="any" value="2000"></label>
                  <label class="field">TPOT ms<input id="tpot" type="number" min="0" step="any" value="100"></label>
                  <label class="field">E2E ms<input id="e2e" type="number" min="0" step="any" placeholder="—"></label>
                </div>
                <label class="field inline">at percentile
                  <select id="percentile">
                    <option value="">p99 (default)</option><option value="95">p95</option>
                    <option value="90">p90</option><option value="50">p50</option>
                  </select>
                </label>
              </fieldset>
              <details id="constraints-box">
                <summary>Constraints and options</summary>
                <label class="field"><span>Accelerators <span class="hint">comma-separated ids</span></span>
                  <input id="accelerators" placeholder="any, e.g. h100-sxm, l40s" spellcheck="false">
                </label>
                <label class="field">Stacks<input id="stacks" placeholder="any, e.g. vllm" spellcheck="false"></label>
                <div class="row">
                  <label class="field">Providers<input id="providers" placeholder="any" spellcheck="false"></label>
                  <label class="field">Regions<input id="regions" placeholder="any" spellcheck="false"></label>
                </div>
                <div class="row">
                  <label class="field">Budget /h<input id="budget" type="number" min="0" step="any" placeholder="—"></label>
                  <label class="field">Min replicas<input id="min-replicas" type="number" min="1" step="1" placeholder="—"></label>
                </div>
                <div class="row">
                  <label class="field">Requests simulated<input id="requests" type="number" min="1" step="1" value="2000"></label>
                  <label class="field">Candidates shown<input id="top" type="number" min="1" step="1" value="10"></label>
                </div>
                <label class="field"><span>Price book <span class="hint">a stored one; bundled prices if empty</span></span>
                  <input id="price-book" placeholder="bundled" spellcheck="false">
                </label>
                <label class="check"><input id="with-cost" type="checkbox"> Add the cost analysis (how to buy it)</label>
              </details>
              <div class="actions">
                <button type="submit" id="plan-button" class="primary">Plan</button>
                <span id="plan-time" class="muted small"></span>
              </div>
              <div class="save-row">
                <input id="save-name" placeholder="plan name" spellcheck="false" aria-label="Plan name">
                <label class="check small"><input id="confidential" type="checkbox"> confidential</label>
                <button type="button" id="save-button">Save as</button>
              </div>
            </form>
            <section class="panel">
              <div class="panel-head">
                <h2>Saved plans</h2>
                <button type="button" id="refresh-plans" class="ghost small">Refresh</button>
              </div>
              <ul id="plans-list" class="plans"><li class="muted">Use a key to list saved plans.</li></ul>
            </section>
            <form id="diff-form" class="panel">
              <h2>Compare versions</h2>
              <label class="field">Plan<select id="diff-plan"></select></label>
              <div class="row">
                <label class="field">From<select id="diff-from"></select></label>
                <label class="field">To<select id="diff-to"></select></label>
              </div>
              <div class="actions"><button type="submit" id="diff-button">Show diff</button></div>
            </form>
          </aside>
          <main class="content">
            <div id="banner" class="banner" role="status" aria-live="polite" hidden></div>
            <section id="diff-view" class="panel diff" hidden></section>
            <section id="plan-output" class="output" data-state="empty">
              <div class="empty">
                <h1>Plan an LLM deployment</h1>
                <ol>
                  <li>Paste an API key at the top right (it stays in this tab only).</li>
                  <li>Describe the workload: model, traffic, token lengths and latency objectives.</li>
                  <li>Press <b>Plan</b> for the cheapest deployments that meet them, with charts; <b>Save as</b> keeps
                    a version you can compare later.</li>
                </ol>
              </div>
            </section>
          </main>
        </div>
        <script>\#(script)</script>
        </body>
        </html>

        """#

    static let style = #"""

        :root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --brand: #0b5cad;
          --brand-dark: #094a8c; --ok: #1a7f37; --okbg: #dafbe1; --crit: #cf222e; --critbg: #ffebe9;
          --info: #0969da; --infobg: #ddf4ff; --warn: #9a6700; --warnbg: #fff8c5; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #eef1f4;
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        .topbar { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; justify-content: space-between;
          gap: 16px; padding: 10px 20px; background: #fff; border-bottom: 1px solid var(--line); }
        .brand { display: flex; align-items: baseline; gap: 10px; }
        .logo { width: 22px; height: 22px; border-radius: 5px; align-self: center; background: var(--brand);
          background-image: linear-gradient(to top, #fff 0 2px, transparent 2px),
            linear-gradient(90deg, transparent 5px, #fff 5px 7px, transparent 7px 10px, #fff 10px 12px, transparent 12px 15px,
            #fff 15px 17px, transparent 17px);
          background-size: 16px 2px, 22px 12px; background-position: 3px 16px, 0 4px; background-repeat: no-repeat; }
        .brand-name { font-weight: 700; font-size: 18px; }
        .brand-sub { color: var(--muted); }
        .keybox { display: flex; align-items: center; gap: 8px; }
        .keybox label { font-weight: 600; }
        .keybox input { width: 260px; }
        .pill { border-radius: 999px; padding: 2px 10px; font-size: 12px; border: 1px solid var(--line); background: var(--soft);
          color: var(--muted); white-space: nowrap; }
        .pill.ok { color: var(--ok); background: var(--okbg); border-color: var(--ok); }
        .pill.bad { color: var(--crit); background: var(--critbg); border-color: var(--crit); }
        .layout { display: grid; grid-template-columns: 360px minmax(0, 1fr); gap: 18px; padding: 18px 20px 40px;
          max-width: 1640px; margin: 0 auto; align-items: start; }
        .sidebar { display: flex; flex-direction: column; gap: 14px; }
        .panel { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
        .panel h2 { font-size: 15px; margin: 0 0 10px; }
        .panel-head { display: flex; align-items: center; justify-content: space-between; }
        .panel-head h2 { margin: 0; }
        fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 10px 0; padding: 6px 10px 10px; }
        legend { color: var(--muted); font-size: 12px; padding: 0 4px; }
        .field { display: flex; flex-direction: column; gap: 3px; font-size: 12px; font-weight: 600; color: var(--muted);
          margin: 6px 0; min-width: 0; flex: 1; }
        .field.inline { flex-direction: row; align-items: center; gap: 8px; white-space: nowrap; }
        .hint { font-weight: 400; }
        .row { display: flex; gap: 8px; }
        input, select, button { font: inherit; color: var(--ink); }
        input, select { width: 100%; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff;
          font-weight: 400; font-size: 14px; min-width: 0; }
        input:focus, select:focus { outline: 2px solid #80b6f0; border-color: var(--brand); }
        input:disabled { background: var(--soft); color: var(--muted); }
        .check { display: flex; align-items: center; gap: 6px; margin: 8px 0 2px; font-size: 13px; }
        .check input { width: auto; }
        details { border-top: 1px solid var(--line); margin-top: 10px; padding-top: 8px; }
        summary { cursor: pointer; font-weight: 600; font-size: 13px; }
        button { border: 1px solid var(--line); background: var(--soft); border-radius: 6px; padding: 6px 14px;
          cursor: pointer; font-weight: 600; font-size: 13px; white-space: nowrap; }
        button:hover { border-color: var(--muted); }
        button:disabled { opacity: .55; cursor: progress; }
        button.primary { background: var(--brand); border-color: var(--brand-dark); color: #fff; padding: 7px 26px; }
        button.primary:hover { background: var(--brand-dark); }
        button.ghost { background: #fff; }
        button.small, .small { font-size: 12px; }
        button.small { padding: 3px 10px; }
        .actions { display: flex; align-items: center; gap: 12px; margin-top: 12px; }
        .save-row { display: flex; align-items: center; gap: 8px; margin-top: 12px; padding-top: 12px;
          border-top: 1px solid var(--line); }
        .save-row .check { margin: 0; white-space: nowrap; }
        .muted { color: var(--muted); }
        .busy::after { content: ""; display: inline-block; width: 11px; height: 11px; margin-left: 8px; vertical-align: -1px;
          border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%; animation: spin .8s linear infinite; }
        @keyframes spin { to { transform: rotate(360deg); } }
        .plans { list-style: none; margin: 10px 0 0; padding: 0; max-height: 320px; overflow: auto; }
        .plans > li { border-top: 1px solid var(--line); padding: 7px 2px; }
        .plans > li:first-child { border-top: 0; }
        .plan-line { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
        .plan-name { font-weight: 600; background: none; border: 0; padding: 0; color: var(--brand); cursor: pointer;
          text-align: left; font-size: 14px; overflow: hidden; text-overflow: ellipsis; }
        .plan-meta { color: var(--muted); font-size: 12px; }
        .versions { list-style: none; margin: 6px 0 0 10px; padding: 0; font-size: 12px; }
        .versions li { display: flex; gap: 8px; align-items: baseline; padding: 2px 0; color: var(--muted); }
        .versions li b { color: var(--ink); min-width: 28px; }
        .versions .summary { color: var(--ink); }
        .tag { font-size: 11px; border-radius: 4px; padding: 0 5px; background: var(--warnbg); color: var(--warn);
          border: 1px solid var(--warn); }
        .content { min-width: 0; display: flex; flex-direction: column; gap: 14px; }
        .banner { border-radius: 8px; padding: 9px 14px; border: 1px solid var(--info); background: var(--infobg); }
        .banner.ok { border-color: var(--ok); background: var(--okbg); }
        .banner.error { border-color: var(--crit); background: var(--critbg); }
        .banner code { font-size: 12px; }
        .output { background: #fff; border: 1px solid var(--line); border-radius: 10px; min-height: 320px; }
        #plan-output .hr-report { max-width: none; padding: 22px 26px 30px; background: transparent; }
        .empty { padding: 40px 44px; max-width: 760px; }
        .empty h1 { font-size: 24px; margin: 0 0 14px; }
        .empty li { margin: 8px 0; }
        .diff h2 { margin: 0; }
        .diff-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 8px; }
        .diff-tools { display: flex; align-items: center; gap: 8px; }
        .diff-tools input { width: 220px; }
        .diff-table-wrap { max-height: 460px; overflow: auto; border: 1px solid var(--line); border-radius: 8px; }
        .diff table { border-collapse: collapse; width: 100%; font-size: 12.5px; table-layout: fixed; }
        .diff col.path { width: 32%; }
        .diff col.change { width: 64px; }
        .diff th, .diff td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        .diff thead th { position: sticky; top: 0; background: var(--soft); }
        .diff td.path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
        .diff td.from, .diff td.to { overflow-wrap: anywhere; }
        .diff td.from { color: var(--crit); }
        .diff td.to { color: var(--ok); }
        .diff td.delta { white-space: nowrap; color: var(--muted); text-align: right; }
        .diff .none { color: var(--muted); font-style: italic; }
        @media (max-width: 980px) {
          .layout { grid-template-columns: 1fr; }
          .topbar { flex-wrap: wrap; }
          .keybox input { width: 180px; }
        }

        """#

    /// The page's script. URL-fragment parameters (all optional): `key`, `model`, `rate` (peak req/s) or `rpd`
    /// (requests/day), `preset`, `input`, `output`, `ttft`, `tpot`, `e2e`, `percentile`, `accelerators`, `stacks`,
    /// `providers`, `regions`, `budget`, `min_replicas`, `requests`, `top`, `price_book`, `cost=1`; then
    /// `autorun=1` plans, `save=NAME` saves the form's plan as a version of NAME, and `diff=NAME&from=N&to=M`
    /// shows a diff. `document.body.dataset.autorun` becomes `done` when they have all run.
    static let script = #"""

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
              const rows = changes.slice(0, limit).map((c) => el('tr', { 'data-path': c.path },
                el('td', { class: 'path' }, breakable(c.path)), el('td', { class: 'from' }, show(c.from)),
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

        """#
}
