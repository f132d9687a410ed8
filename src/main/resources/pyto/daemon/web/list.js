// The torrent list: one row element per torrent, made once and then patched cell by cell when
// a tick brings new values, so a daemon with a thousand torrents costs the page only what
// changed. Rows the filter hides are taken out of the document; sorting moves only the rows
// that are out of place. Every name is set with textContent: a torrent's name is text chosen
// by strangers, never markup.

import * as fmt from './format.js';
import { category, stateText, progress, warning } from './model.js';

const infinite = (v) => (v === -2 ? Infinity : v < 0 ? -1 : v);

/** key, header, class, sort value; "num" columns are right-aligned with tabular figures. */
const COLUMNS = [
  { key: 'name', label: 'Name', cls: 'c-name', sort: (t) => t.sortName },
  { key: 'size', label: 'Size', cls: 'c-size num', sort: (t) => t.sizeWhenDone || t.totalSize || 0 },
  { key: 'progress', label: 'Progress', cls: 'c-progress', sort: (t) => t.percentDone || 0 },
  { key: 'state', label: 'State', cls: 'c-state', sort: (t) => t.stateText },
  { key: 'down', label: 'Down', cls: 'c-down num', sort: (t) => t.rateDownload || 0 },
  { key: 'up', label: 'Up', cls: 'c-up num', sort: (t) => t.rateUpload || 0 },
  { key: 'eta', label: 'ETA', cls: 'c-eta num', sort: (t) => (t.eta === -2 ? 1e12 : t.eta < 0 ? 1e13 : t.eta) },
  { key: 'peers', label: 'Peers', cls: 'c-peers num', sort: (t) => t.peersConnected || 0 },
  { key: 'ratio', label: 'Ratio', cls: 'c-ratio num', sort: (t) => infinite(t.uploadRatio) },
];

export const SORT_KEYS = COLUMNS.map((c) => [c.key, c.label]);

/** One torrent's row: its element, its cells, and the text each cell shows now. */
class Row {
  constructor(t) {
    this.t = t;
    this.el = document.createElement('div');
    this.el.className = 'row';
    this.el.setAttribute('role', 'row');
    this.el.setAttribute('aria-selected', 'false');
    this.el.dataset.id = String(t.id);
    this.cells = {};
    for (const c of COLUMNS) {
      const cell = document.createElement('div');
      cell.className = c.cls;
      cell.setAttribute('role', 'gridcell');
      this.el.append(cell);
      this.cells[c.key] = cell;
    }
    this.name = span('name');
    this.sub = span('sub');
    this.cells.name.append(this.name, this.sub);
    const bar = span('bar');
    this.fill = span('fill');
    bar.append(this.fill);
    this.pct = span('pct');
    this.cells.progress.append(bar, this.pct);
    this.dot = span('dot');
    this.state = span('st');
    this.cells.state.append(this.dot, this.state);
    this.shown = {}; // what each piece of text or class shows now
    this.visible = false;
  }

  /** Sets what changed since the last render; nothing else is touched. */
  render() {
    const t = this.t;
    const p = progress(t);
    const warn = warning(t);
    const failed = t.error === 3 ? t.errorString || 'failed' : '';
    this.set('name', this.name, t.name || t.hashString || `#${t.id}`);
    if (this.shown.title !== t.name) {
      this.shown.title = t.name;
      this.name.title = t.name || '';
    }
    this.set('sub', this.sub, failed || warn);
    this.set('size', this.cells.size, fmt.size(t.sizeWhenDone || t.totalSize || 0) || '');
    this.set('pct', this.pct, p.kind === 'metadata' ? '' : fmt.percent(p.fraction));
    const width = `${(Math.max(0, Math.min(1, p.fraction)) * 100).toFixed(1)}%`;
    if (this.shown.width !== width) {
      this.shown.width = width;
      this.fill.style.width = width; // CSSOM, which the page's CSP allows (a style attribute it would not)
    }
    const cls = `row k-${p.kind}${failed ? ' failed' : ''}${warn ? ' warn' : ''}`;
    if (this.shown.cls !== cls) {
      this.shown.cls = cls;
      this.el.className = cls;
    }
    this.set('state', this.state, t.stateText);
    this.set('down', this.cells.down, fmt.speed(t.rateDownload));
    this.set('up', this.cells.up, fmt.speed(t.rateUpload));
    this.set('eta', this.cells.eta, t.status === 4 ? fmt.eta(t.eta) : '');
    this.set('peers', this.cells.peers, t.peersConnected ? String(t.peersConnected) : '');
    this.set('ratio', this.cells.ratio, fmt.ratio(t.uploadRatio));
  }

  set(key, el, text) {
    if (this.shown[key] !== text) {
      this.shown[key] = text;
      el.textContent = text;
    }
  }
}

function span(cls) {
  const s = document.createElement('span');
  s.className = cls;
  return s;
}

export class TorrentList {
  /**
   * @param rowsEl   where the rows go
   * @param headEl   the header row (its buttons sort)
   * @param onChange called after the selection or the shown rows changed
   */
  constructor(rowsEl, headEl, onChange) {
    this.rowsEl = rowsEl;
    this.headEl = headEl;
    this.onChange = onChange;
    this.rows = new Map(); // id -> Row
    this.selected = new Set();
    this.primary = null; // the torrent the details panel shows
    this.anchor = null;  // where a shift-click range starts
    this.filter = 'all';
    this.search = '';
    const saved = readSort();
    this.sortKey = saved.key;
    this.sortDesc = saved.desc;
    this.order = []; // the visible rows, in the order shown
    this.makeHead();
    rowsEl.addEventListener('click', (e) => this.onClick(e));
  }

  makeHead() {
    for (const c of COLUMNS) {
      const cell = document.createElement('div');
      cell.className = c.cls;
      cell.setAttribute('role', 'columnheader');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      b.dataset.sort = c.key;
      b.textContent = c.label;
      b.addEventListener('click', () => this.sortBy(c.key));
      cell.append(b);
      this.headEl.append(cell);
    }
    this.showSort();
  }

  showSort() {
    for (const cell of this.headEl.children) {
      const key = cell.firstElementChild.dataset.sort;
      cell.setAttribute('aria-sort', key === this.sortKey ? (this.sortDesc ? 'descending' : 'ascending') : 'none');
    }
  }

  /** Sorts by a column; the same column again turns the order round. */
  sortBy(key, desc) {
    if (desc === undefined) {
      desc = key === this.sortKey ? !this.sortDesc : ['down', 'up', 'peers', 'ratio', 'size'].includes(key);
    }
    this.sortKey = key;
    this.sortDesc = desc;
    try {
      localStorage.setItem('pyto.sort', JSON.stringify({ key, desc }));
    } catch (e) { /* private mode: the order is not kept */ }
    this.showSort();
    this.layout();
  }

  setFilter(f) {
    this.filter = f;
    this.layout();
  }

  setSearch(text) {
    this.search = text.trim().toLowerCase();
    this.layout();
  }

  has(id) {
    return this.rows.has(id);
  }

  get(id) {
    const r = this.rows.get(id);
    return r ? r.t : null;
  }

  all() {
    return Array.from(this.rows.values(), (r) => r.t);
  }

  selectedTorrents() {
    return Array.from(this.selected, (id) => this.get(id)).filter(Boolean);
  }

  /**
   * Merges a reply's torrents into the rows: new ones are made, known ones patched, ids in
   * {@code removed} dropped. With {@code full}, the reply holds every torrent, so a row it
   * does not name is gone too.
   */
  update(torrents, removed = [], full = false) {
    const seen = full ? new Set() : null;
    for (const fresh of torrents) {
      let row = this.rows.get(fresh.id);
      if (row && fresh.hashString && row.t.hashString && fresh.hashString !== row.t.hashString) {
        this.drop(fresh.id); // the id names another torrent now
        row = null;
      }
      if (row) {
        Object.assign(row.t, fresh);
      } else {
        row = new Row({ ...fresh });
        this.rows.set(fresh.id, row);
      }
      seen?.add(fresh.id);
      const t = row.t;
      t.sortName = (t.name || '').toLocaleLowerCase();
      t.stateText = stateText(t);
      t.category = category(t);
      row.render();
    }
    const gone = full ? [...this.rows.keys()].filter((id) => !seen.has(id)) : removed;
    for (const id of gone) this.drop(id);
    this.layout();
  }

  drop(id) {
    const row = this.rows.get(id);
    if (!row) return;
    row.el.remove();
    this.rows.delete(id);
    this.selected.delete(id);
    if (this.primary === id) this.primary = null;
  }

  /** Forgets every row (a restarted daemon numbers its torrents anew). */
  clear() {
    for (const id of [...this.rows.keys()]) this.drop(id);
    this.anchor = null;
  }

  /** Per filter, how many torrents fall under it. */
  counts() {
    const c = { all: this.rows.size, downloading: 0, seeding: 0, stopped: 0, metadata: 0, failed: 0 };
    for (const r of this.rows.values()) c[r.t.category]++;
    return c;
  }

  matches(t) {
    return (this.filter === 'all' || t.category === this.filter)
      && (!this.search || t.sortName.includes(this.search));
  }

  /** Filters, sorts, and moves only the rows that are not where they belong. */
  layout() {
    const col = COLUMNS.find((c) => c.key === this.sortKey) || COLUMNS[0];
    const dir = this.sortDesc ? -1 : 1;
    const visible = [];
    for (const r of this.rows.values()) {
      const show = this.matches(r.t);
      if (show) visible.push(r);
      else if (r.visible) r.el.remove();
      r.visible = show;
    }
    const key = new Map(visible.map((r) => [r, col.sort(r.t)]));
    visible.sort((a, b) => {
      const x = key.get(a);
      const y = key.get(b);
      let d = typeof x === 'string' ? x.localeCompare(y, undefined, { numeric: true }) : x - y;
      if (d === 0) d = a.t.sortName.localeCompare(b.t.sortName, undefined, { numeric: true }) || a.t.id - b.t.id;
      return d * dir;
    });
    let cursor = this.rowsEl.firstElementChild;
    for (const r of visible) {
      if (r.el === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        this.rowsEl.insertBefore(r.el, cursor);
      }
    }
    while (cursor) { // anything left over is not a visible row any more
      const next = cursor.nextElementSibling;
      cursor.remove();
      cursor = next;
    }
    this.order = visible;
    this.onChange();
  }

  onClick(e) {
    const rowEl = e.target.closest('.row');
    if (!rowEl) return;
    const id = Number(rowEl.dataset.id);
    if (e.shiftKey && this.anchor != null) {
      this.selectRange(this.anchor, id, e.ctrlKey || e.metaKey);
    } else if (e.ctrlKey || e.metaKey) {
      if (this.selected.has(id)) this.selected.delete(id);
      else this.selected.add(id);
      this.anchor = id;
      this.primary = this.selected.has(id) ? id : [...this.selected].pop() ?? null;
    } else {
      this.selected = new Set([id]);
      this.anchor = id;
      this.primary = id;
    }
    this.showSelection();
  }

  selectRange(from, to, add) {
    const ids = this.order.map((r) => r.t.id);
    let a = ids.indexOf(from);
    let b = ids.indexOf(to);
    if (a < 0 || b < 0) return;
    if (a > b) [a, b] = [b, a];
    if (!add) this.selected.clear();
    ids.slice(a, b + 1).forEach((id) => this.selected.add(id));
    this.primary = to;
  }

  /** Selects one torrent (or none, with null), as a plain click would. */
  select(id) {
    this.selected = id == null ? new Set() : new Set([id]);
    this.primary = id;
    this.anchor = id;
    this.showSelection();
    if (id != null) this.rows.get(id)?.el.scrollIntoView({ block: 'nearest' });
  }

  selectAllVisible() {
    this.selected = new Set(this.order.map((r) => r.t.id));
    if (this.primary == null && this.order.length) this.primary = this.order[0].t.id;
    this.showSelection();
  }

  /** Moves the selection one visible row up or down (arrow keys). */
  step(delta) {
    if (!this.order.length) return;
    const ids = this.order.map((r) => r.t.id);
    const at = ids.indexOf(this.primary);
    const next = at < 0 ? (delta > 0 ? 0 : ids.length - 1) : Math.max(0, Math.min(ids.length - 1, at + delta));
    this.select(ids[next]);
  }

  showSelection() {
    for (const [id, r] of this.rows) {
      const sel = this.selected.has(id) ? 'true' : 'false';
      if (r.el.getAttribute('aria-selected') !== sel) r.el.setAttribute('aria-selected', sel);
    }
    this.onChange();
  }
}

function readSort() {
  try {
    const s = JSON.parse(localStorage.getItem('pyto.sort') || 'null');
    if (s && COLUMNS.some((c) => c.key === s.key)) return { key: s.key, desc: !!s.desc };
  } catch (e) { /* nothing saved, or not readable */ }
  return { key: 'name', desc: false };
}
