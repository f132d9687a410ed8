// The page's main script: wires the list, the details panel, the dialogs, drag and drop and
// the toolbar to the daemon, and keeps them up to date.
//
// Updates: the first call asks every torrent for the list's fields; then, every
// TICK_MS, only the torrents the daemon calls "recently-active" (those that moved data or
// changed state in the last minute), with only the fields that move, and the ids removed
// lately; a torrent the page does not know yet is asked for in full. Once a minute, and after
// the page was away (a sleeping laptop, a tab in the background), everything is asked for
// again, so that nothing missed stays wrong.

import { Rpc, RpcError } from './rpc.js';
import * as fmt from './format.js';
import { LIST_FIELDS, STAT_FIELDS, FILTERS, canStart, canStop } from './model.js';
import { TorrentList, SORT_KEYS } from './list.js';
import { Details } from './details.js';

const TICK_MS = 1500;
/** The largest .torrent sent: its base64 (4/3 of it) must fit in the daemon's 16 MiB request. */
const MAX_TORRENT_BYTES = 11 * 1024 * 1024;
const FULL_EVERY_MS = 60_000;
const SESSION_EVERY_MS = 10_000;
const $ = (sel) => document.querySelector(sel);

const rpc = new Rpc();
const state = {
  session: {},       // session-get's answer
  lastFull: 0,       // when everything was last asked for
  lastSession: 0,
  lastOk: 0,         // when a tick last went through
  pollError: false,  // the error line shows a failed tick (cleared by the next good one)
  restarts: 0,       // the daemon restarts the list has caught up with (Rpc counts them)
  timer: null,
  ticking: false,
};

const list = new TorrentList($('#rows'), $('#list-head'), onListChange);
const details = new Details(rpc, $('#details'), (e) => showError(e));

// ---- the error line ---------------------------------------------------------------------------

let errorTimer = null;

/** Shows one line at the top; a failed tick's line goes away by itself once ticks work again. */
function showError(e, fromPoll = false) {
  const text = e instanceof RpcError || e instanceof Error ? e.message : String(e);
  $('#error-text').textContent = text;
  $('#error-text').title = text; // the whole of it, when the line cuts it short
  $('#error').hidden = false;
  state.pollError = fromPoll;
  clearTimeout(errorTimer);
  if (!fromPoll) errorTimer = setTimeout(clearError, 15_000);
}

function clearError() {
  $('#error').hidden = true;
  state.pollError = false;
}

$('#error-close').addEventListener('click', clearError);

function setConnection(ok) {
  const c = $('#conn');
  c.classList.toggle('up', ok);
  c.classList.toggle('down', !ok);
  c.title = ok ? 'Connected to the daemon' : 'Not connected to the daemon';
  document.body.dataset.connection = ok ? 'up' : 'down';
}

// ---- polling ----------------------------------------------------------------------------------

async function tick() {
  if (state.ticking) return;
  state.ticking = true;
  try {
    const now = Date.now();
    const full = now - state.lastFull > FULL_EVERY_MS || now - state.lastOk > FULL_EVERY_MS / 2;
    const jobs = [refreshTorrents(full)];
    if (now - state.lastSession > SESSION_EVERY_MS) jobs.push(refreshSession());
    await Promise.all(jobs);
    details.refresh();
    state.lastOk = Date.now();
    setConnection(true);
    if (state.pollError) clearError();
    document.body.dataset.ready = 'true';
  } catch (e) {
    setConnection(false);
    showError(e, true);
  } finally {
    state.ticking = false;
  }
}

async function refreshTorrents(full) {
  const r = await rpc.call('torrent-get', full ? { fields: LIST_FIELDS } : { ids: 'recently-active', fields: STAT_FIELDS });
  if (rpc.restarts !== state.restarts) { // a restarted daemon numbers its torrents anew: the rows' ids are stale
    state.restarts = rpc.restarts;
    list.clear();
    if (!full) {
      await refreshTorrents(true);
      return;
    }
  }
  if (full) {
    state.lastFull = Date.now();
    list.update(r.torrents || [], [], true);
    return;
  }
  const torrents = r.torrents || [];
  // New to the page, or a magnet link whose metadata (and so its name and size) just came.
  const unknown = torrents.filter((t) => {
    const known = list.get(t.id);
    return !known || (known.metadataPercentComplete < 1 && t.metadataPercentComplete >= 1);
  }).map((t) => t.id);
  if (unknown.length) {
    const more = await rpc.call('torrent-get', { ids: unknown, fields: LIST_FIELDS });
    const byId = new Map((more.torrents || []).map((t) => [t.id, t]));
    for (let i = 0; i < torrents.length; i++) {
      if (byId.has(torrents[i].id)) torrents[i] = byId.get(torrents[i].id);
    }
  }
  list.update(torrents, r.removed || []);
}

/** Asks again at once for these torrents' list fields (after an action on them). */
async function refreshSome(ids) {
  if (!ids.length) return;
  const r = await rpc.call('torrent-get', { ids, fields: LIST_FIELDS });
  list.update(r.torrents || []);
}

async function refreshSession() {
  const s = await rpc.call('session-get', {
    fields: ['version', 'download-dir', 'download-dir-free-space', 'speed-limit-down', 'speed-limit-down-enabled',
      'speed-limit-up', 'speed-limit-up-enabled', 'start-added-torrents', 'units', 'rpc-version'],
  });
  state.session = s;
  state.lastSession = Date.now();
  fmt.setUnits(s.units);
  showSession();
}

function showSession() {
  const s = state.session;
  $('#version').textContent = s.version ? `pyto daemon ${String(s.version).replace(/^.*\(pyto /, '').replace(/\)$/, '')}` : '';
  $('#free').textContent = s['download-dir-free-space'] >= 0 ? `${fmt.size(s['download-dir-free-space'])} free` : '';
  $('#free').title = s['download-dir'] ? `in ${s['download-dir']}` : '';
  $('#limit-down').textContent = s['speed-limit-down-enabled'] ? `max ${s['speed-limit-down']} ${fmt.speedUnit()}` : '';
  $('#limit-up').textContent = s['speed-limit-up-enabled'] ? `max ${s['speed-limit-up']} ${fmt.speedUnit()}` : '';
}

function schedule() {
  clearInterval(state.timer);
  state.timer = setInterval(tick, TICK_MS);
}

// ---- the list, the toolbar, the status bar ------------------------------------------------

function onListChange() {
  const counts = list.counts();
  for (const [key] of FILTERS) {
    const c = document.querySelector(`[data-filter="${key}"] .count`);
    if (c && c.textContent !== String(counts[key])) c.textContent = String(counts[key]);
  }
  const sel = list.selectedTorrents();
  $('#btn-start').disabled = !sel.some(canStart);
  $('#btn-stop').disabled = !sel.some(canStop);
  $('#btn-remove').disabled = sel.length === 0;
  $('#empty').hidden = list.rows.size > 0;
  $('#no-match').hidden = list.rows.size === 0 || list.order.length > 0;
  let down = 0;
  let up = 0;
  for (const r of list.rows.values()) {
    down += r.t.rateDownload || 0;
    up += r.t.rateUpload || 0;
  }
  $('#total-down').textContent = fmt.speedAlways(down);
  $('#total-up').textContent = fmt.speedAlways(up);
  const shown = list.order.length;
  const all = list.rows.size;
  $('#counts').textContent = `${fmt.count(all)} torrent${all === 1 ? '' : 's'}`
    + (shown !== all ? `, ${fmt.count(shown)} shown` : '')
    + (sel.length > 1 ? `, ${sel.length} selected` : '');
  details.show(list.primary != null && list.selected.has(list.primary) ? list.get(list.primary) : null);
  document.body.classList.toggle('has-details', !$('#details').hidden);
}

function makeFilters() {
  const nav = $('#filters');
  for (const [key, label] of FILTERS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.filter = key;
    b.setAttribute('aria-pressed', key === 'all' ? 'true' : 'false');
    const l = document.createElement('span');
    l.className = 'label';
    l.textContent = label;
    const c = document.createElement('span');
    c.className = 'count';
    c.textContent = '0';
    b.append(l, c);
    b.addEventListener('click', () => {
      for (const o of nav.children) o.setAttribute('aria-pressed', o === b ? 'true' : 'false');
      list.setFilter(key);
    });
    nav.append(b);
  }
  const sel = $('#sort-select');
  for (const [key, label] of SORT_KEYS) {
    for (const desc of [false, true]) {
      const o = document.createElement('option');
      o.value = `${key}:${desc ? 'desc' : 'asc'}`;
      o.textContent = `${label} ${desc ? '↓' : '↑'}`;
      sel.append(o);
    }
  }
  sel.value = `${list.sortKey}:${list.sortDesc ? 'desc' : 'asc'}`;
  sel.addEventListener('change', () => {
    const [key, dir] = sel.value.split(':');
    list.sortBy(key, dir === 'desc');
  });
}

$('#search').addEventListener('input', (e) => list.setSearch(e.target.value));

/**
 * Torrents are named by info hash in what changes them: a number names another torrent once
 * the daemon restarts, a hash never does.
 */
function names(torrents) {
  return torrents.map((t) => t.hashString || t.id);
}

async function act(method, torrents, args = {}) {
  const ids = names(torrents);
  if (!ids.length) return;
  try {
    await rpc.call(method, { ids, ...args });
    await refreshSome(ids);
  } catch (e) {
    showError(e);
  }
}

$('#btn-start').addEventListener('click', () => act('torrent-start', list.selectedTorrents().filter(canStart)));
$('#btn-stop').addEventListener('click', () => act('torrent-stop', list.selectedTorrents().filter(canStop)));
$('#btn-remove').addEventListener('click', openRemove);
$('#details-close').addEventListener('click', () => list.select(null));

document.addEventListener('keydown', (e) => {
  const typing = e.target.closest('input, textarea, select, dialog');
  if (typing || e.altKey) return;
  if (e.key === 'Delete' && list.selected.size) {
    e.preventDefault();
    openRemove();
  } else if (e.key === 'Escape') {
    list.select(null);
  } else if ((e.ctrlKey || e.metaKey) && e.key === 'a') {
    e.preventDefault();
    list.selectAllVisible();
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    if (e.target.closest('[role=tablist]')) return;
    e.preventDefault();
    list.step(e.key === 'ArrowDown' ? 1 : -1);
  }
});

// ---- adding torrents --------------------------------------------------------------------------

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error(`cannot read ${file.name}`));
    r.readAsDataURL(file);
  });
}

/**
 * Adds .torrent files (sent as base64 metainfo) and magnet links; selects the last one added.
 * @param options download-dir and paused, when the add dialog gave them
 */
async function addTorrents(files, magnets, options = {}) {
  const problems = [];
  const added = [];
  const extra = {};
  if (options.dir && options.dir !== state.session['download-dir']) extra['download-dir'] = options.dir;
  if (options.paused !== undefined) extra.paused = options.paused;
  const one = async (label, args) => {
    try {
      const r = await rpc.call('torrent-add', { ...args, ...extra });
      const t = r['torrent-added'] || r['torrent-duplicate'];
      if (r['torrent-duplicate']) problems.push(`already there: ${t.name}`);
      if (t) added.push(t.id);
    } catch (e) {
      problems.push(`${label}: ${e.message}`);
    }
  };
  for (const f of files) {
    if (f.size > MAX_TORRENT_BYTES) {
      problems.push(`${f.name}: too large to send (the daemon takes requests of 16 MiB at most)`);
      continue;
    }
    let b64;
    try {
      b64 = await readBase64(f);
    } catch (e) {
      problems.push(e.message);
      continue;
    }
    await one(f.name, { metainfo: b64 });
  }
  for (const m of magnets) await one(magnetLabel(m), { filename: m });
  if (problems.length) showError(problems.join('; '));
  if (added.length) {
    await refreshSome(added).catch(showError);
    list.select(added[added.length - 1]);
  }
  return added;
}

/** What to call a magnet link in a message: its display name, else its start. */
function magnetLabel(link) {
  try {
    const dn = new URLSearchParams(link.slice(link.indexOf('?') + 1)).get('dn');
    if (dn) return dn;
  } catch (e) { /* not a query: fall through */ }
  return link.length > 60 ? `${link.slice(0, 60)}…` : link;
}

function magnetLines(text) {
  return String(text || '').split(/\s+/).map((s) => s.trim()).filter((s) => /^magnet:\?/i.test(s));
}

const addDialog = $('#dlg-add');
const fileInput = $('#add-files');

function openAdd() {
  $('#add-form').reset();
  $('#add-file-names').textContent = '';
  $('#add-dir').value = state.session['download-dir'] || '';
  $('#add-start').checked = state.session['start-added-torrents'] !== false;
  addDialog.showModal();
  $('#add-magnets').focus();
}

$('#btn-add').addEventListener('click', openAdd);
$('#add-choose').addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  const names = [...fileInput.files].map((f) => f.name);
  $('#add-file-names').textContent = names.length ? names.join(', ') : '';
});
$('#add-cancel').addEventListener('click', () => addDialog.close());
$('#add-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const files = [...fileInput.files];
  const magnets = magnetLines($('#add-magnets').value);
  const typed = $('#add-magnets').value.trim();
  if (!files.length && !magnets.length) {
    $('#add-hint').textContent = typed ? 'That is not a magnet link (they start with magnet:?).' : 'Choose a .torrent file or paste a magnet link.';
    return;
  }
  addDialog.close();
  await addTorrents(files, magnets, { dir: $('#add-dir').value.trim(), paused: !$('#add-start').checked });
});

// Dropped .torrent files, or a dragged magnet link, are added at once with the defaults.
let dragDepth = 0;
const dropHint = $('#drop');
function dragged(e) {
  const types = e.dataTransfer ? [...e.dataTransfer.types] : [];
  return types.includes('Files') || types.includes('text/uri-list') || types.includes('text/plain');
}
document.addEventListener('dragenter', (e) => {
  if (!dragged(e)) return;
  e.preventDefault();
  dragDepth++;
  dropHint.hidden = false;
});
document.addEventListener('dragover', (e) => {
  if (!dragged(e)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
});
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) dropHint.hidden = true;
});
document.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  dropHint.hidden = true;
  const files = [...(e.dataTransfer.files || [])].filter((f) => /\.torrent$/i.test(f.name)
    || f.type === 'application/x-bittorrent');
  const magnets = magnetLines(e.dataTransfer.getData('text/uri-list') || e.dataTransfer.getData('text/plain'));
  if (!files.length && !magnets.length) {
    showError('Only .torrent files and magnet links can be added here.');
    return;
  }
  addTorrents(files, magnets);
});

// A magnet link pasted anywhere but in a text field is added at once.
document.addEventListener('paste', (e) => {
  if (e.target.closest('input, textarea, dialog')) return;
  const magnets = magnetLines(e.clipboardData && e.clipboardData.getData('text'));
  if (magnets.length) {
    e.preventDefault();
    addTorrents([], magnets);
  }
});

// ---- removing ---------------------------------------------------------------------------------

const removeDialog = $('#dlg-remove');

function openRemove() {
  const sel = list.selectedTorrents();
  if (!sel.length) return;
  $('#remove-what').textContent = sel.length === 1 ? `Remove “${sel[0].name}”?` : `Remove ${sel.length} torrents?`;
  $('#remove-data').checked = false;
  removeDialog.showModal();
  $('#remove-cancel').focus();
}

$('#remove-cancel').addEventListener('click', () => removeDialog.close());
$('#remove-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const sel = list.selectedTorrents();
  const withData = $('#remove-data').checked;
  removeDialog.close();
  try {
    await rpc.call('torrent-remove', { ids: names(sel), 'delete-local-data': withData });
    list.update([], sel.map((t) => t.id));
  } catch (err) {
    showError(err);
  }
});

// ---- speed limits -----------------------------------------------------------------------------

const limitsDialog = $('#dlg-limits');

function openLimits() {
  const s = state.session;
  for (const dir of ['down', 'up']) {
    $(`#lim-${dir}-on`).checked = !!s[`speed-limit-${dir}-enabled`];
    $(`#lim-${dir}`).value = s[`speed-limit-${dir}`] ?? '';
    $(`#lim-${dir}`).disabled = !s[`speed-limit-${dir}-enabled`];
  }
  for (const u of document.querySelectorAll('.speed-unit')) u.textContent = fmt.speedUnit();
  limitsDialog.showModal();
}

for (const dir of ['down', 'up']) {
  $(`#lim-${dir}-on`).addEventListener('change', (e) => {
    $(`#lim-${dir}`).disabled = !e.target.checked;
    if (e.target.checked) $(`#lim-${dir}`).focus();
  });
}
$('#btn-limits').addEventListener('click', openLimits);
$('#limits-cancel').addEventListener('click', () => limitsDialog.close());
$('#limits-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const args = {};
  for (const dir of ['down', 'up']) {
    const on = $(`#lim-${dir}-on`).checked;
    args[`speed-limit-${dir}-enabled`] = on;
    const v = Number($(`#lim-${dir}`).value);
    if (on) {
      if (!Number.isInteger(v) || v < 1) {
        $('#limits-hint').textContent = `A limit is a whole number of ${fmt.speedUnit()}, 1 or more.`;
        return;
      }
      args[`speed-limit-${dir}`] = v;
    }
  }
  limitsDialog.close();
  try {
    await rpc.call('session-set', args);
    await refreshSession();
  } catch (err) {
    showError(err);
  }
});
for (const d of [addDialog, removeDialog, limitsDialog]) {
  d.addEventListener('close', () => {
    for (const h of d.querySelectorAll('.hint')) h.textContent = '';
  });
}

// ---- start ------------------------------------------------------------------------------------

makeFilters();
setConnection(true);
tick();
schedule();
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) tick(); // back from the background: catch up at once
});
