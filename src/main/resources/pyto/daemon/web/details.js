// The details panel of the selected torrent, one tab at a time: general facts, files, peers,
// trackers, and the piece map. Each tick asks the daemon for the open tab's fields of that
// one torrent only, so the heavy fields (files, peers, pieces) cost nothing for the others.
// Everything that comes from a torrent, a tracker or a peer is set with textContent.

import * as fmt from './format.js';
import { stateText } from './model.js';
import { decodeBitfield, countBits, drawPieces } from './pieces.js';

const FIELDS = {
  general: ['id', 'name', 'hashString', 'magnetLink', 'downloadDir', 'totalSize', 'sizeWhenDone', 'haveValid',
    'leftUntilDone', 'pieceCount', 'pieceSize', 'addedDate', 'doneDate', 'activityDate', 'uploadRatio',
    'uploadedEver', 'downloadedEver', 'corruptEver', 'error', 'errorString', 'comment', 'creator', 'dateCreated',
    'isPrivate', 'status', 'percentDone', 'metadataPercentComplete', 'recheckProgress', 'isFinished',
    'rateDownload', 'rateUpload', 'peersConnected', 'eta', 'secondsDownloading', 'secondsSeeding'],
  files: ['id', 'files'],
  fileStats: ['id', 'fileStats'],
  peers: ['id', 'peers'],
  trackers: ['id', 'trackerStats'],
  // piecesInProgress is not Transmission's: a daemon that sends it (a base64 bitfield like
  // "pieces") gets its pieces in progress drawn as downloading; one that does not, leaves it out.
  pieces: ['id', 'pieces', 'pieceCount', 'pieceSize', 'piecesInProgress'],
};

const FLAG_WORDS = {
  D: 'downloading from the peer', d: 'we want to download, the peer chokes us',
  U: 'uploading to the peer', u: 'the peer wants to download, we choke it',
  K: 'the peer unchoked us but we are not interested', '?': 'we unchoked the peer but it is not interested',
  E: 'encrypted', X: 'found by peer exchange', H: 'found through the DHT', I: 'incoming connection', T: 'uTP',
};

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

export class Details {
  /**
   * @param rpc     the Rpc
   * @param root    the panel's element
   * @param onError called with an error a refresh met
   */
  constructor(rpc, root, onError) {
    this.rpc = rpc;
    this.root = root;
    this.onError = onError;
    this.id = null;
    this.tab = 'general';
    this.filesOf = null; // the torrent whose file rows are made
    this.fileRows = [];
    this.peerRows = new Map();
    this.lastPieces = null;
    this.busy = false;
    this.again = false;
    this.tabs = root.querySelectorAll('[role=tab]');
    for (const b of this.tabs) b.addEventListener('click', () => this.openTab(b.dataset.tab));
    root.querySelector('[role=tablist]').addEventListener('keydown', (e) => this.onTabKey(e));
    this.makeFacts();
    window.addEventListener('resize', () => {
      if (this.tab === 'pieces' && this.lastPieces) this.drawMap(this.lastPieces);
    });
  }

  /** Shows the panel for torrent {@code t} (a list row's torrent), or hides it for null. */
  show(t) {
    const id = t ? t.id : null;
    this.root.hidden = id == null;
    if (id === this.id) return;
    this.id = id;
    this.filesOf = null;
    this.lastPieces = null;
    this.peerRows.clear();
    this.q('#d-peers').replaceChildren();
    this.q('#d-trackers').replaceChildren();
    this.q('#d-files').replaceChildren();
    if (id != null) {
      this.fillGeneral(t); // what the list knows already, until the first reply
      this.refresh();
    }
  }

  q(sel) {
    return this.root.querySelector(sel);
  }

  openTab(tab) {
    this.tab = tab;
    for (const b of this.tabs) {
      const on = b.dataset.tab === tab;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
    }
    for (const p of this.root.querySelectorAll('[role=tabpanel]')) p.hidden = p.dataset.panel !== tab;
    this.refresh();
  }

  onTabKey(e) {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const tabs = [...this.tabs];
    const at = tabs.findIndex((b) => b.dataset.tab === this.tab);
    const next = tabs[(at + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    this.openTab(next.dataset.tab);
    next.focus();
  }

  /** Asks for the open tab's fields of the shown torrent, and shows them. */
  async refresh() {
    if (this.id == null) return;
    if (this.busy) { // once the call in flight is answered, ask again for what is wanted now
      this.again = true;
      return;
    }
    const id = this.id;
    const tab = this.tab;
    const key = tab === 'files' && this.filesOf === id ? 'fileStats' : tab;
    this.busy = true;
    try {
      const r = await this.rpc.call('torrent-get', { ids: [id], fields: FIELDS[key] });
      const t = r.torrents && r.torrents[0];
      if (!t || id !== this.id || tab !== this.tab) return; // gone, or the user moved on meanwhile
      switch (key) {
        case 'general': this.fillGeneral(t); break;
        case 'files': this.makeFiles(t.files || []); break;
        case 'fileStats': this.updateFiles(t.fileStats || []); break;
        case 'peers': this.fillPeers(t.peers || []); break;
        case 'trackers': this.fillTrackers(t.trackerStats || []); break;
        case 'pieces': this.drawMap(t); break;
        default: break;
      }
    } catch (e) {
      this.onError(e);
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    }
  }

  // ---- general ------------------------------------------------------------------------------

  makeFacts() {
    const dl = this.q('#d-facts');
    this.facts = {};
    // Short facts fill the columns; the long ones (paths, hashes, links) take a whole line each.
    const rows = [
      ['error', 'Error', true], ['state', 'State'], ['have', 'Have'], ['transfer', 'Transferred'],
      ['ratio', 'Ratio'], ['speed', 'Speed'], ['peers', 'Peers'], ['eta', 'Remaining'], ['size', 'Size'],
      ['pieces', 'Pieces'], ['added', 'Added'], ['done', 'Completed'], ['created', 'Created'],
      ['private', 'Private'], ['corrupt', 'Corrupt data'], ['dir', 'Location', true], ['hash', 'Info hash', true],
      ['magnet', 'Magnet link', true], ['comment', 'Comment', true],
    ];
    for (const [key, label, wide] of rows) {
      const box = el('div', wide ? 'fact wide' : 'fact');
      box.hidden = true; // until there is something to say
      const dt = el('dt', null, label);
      const dd = el('dd');
      box.dataset.fact = key;
      box.append(dt, dd);
      dl.append(box);
      this.facts[key] = { box, dd };
    }
    const m = this.facts.magnet.dd;
    const box = el('div', 'copybox');
    this.magnet = el('input', 'mono');
    this.magnet.type = 'text';
    this.magnet.readOnly = true;
    this.magnet.setAttribute('aria-label', 'Magnet link');
    this.copyButton = el('button', 'small', 'Copy');
    this.copyButton.type = 'button';
    this.copyButton.addEventListener('click', () => this.copyMagnet());
    box.append(this.magnet, this.copyButton);
    m.append(box);
    this.facts.hash.dd.classList.add('mono');
    this.facts.dir.dd.classList.add('mono');
  }

  fact(key, text) {
    const f = this.facts[key];
    f.box.hidden = text === '' || text == null;
    if (!f.box.hidden && key !== 'magnet') setText(f.dd, text);
  }

  fillGeneral(t) {
    setText(this.q('#d-name'), t.name || t.hashString || '');
    this.q('#d-name').title = t.name || '';
    const meta = t.metadataPercentComplete === undefined || t.metadataPercentComplete >= 1;
    this.fact('state', stateText(t));
    this.fact('error', t.errorString || '');
    this.facts.error.dd.classList.toggle('bad', t.error === 3);
    const total = t.sizeWhenDone || t.totalSize || 0;
    if (t.haveValid !== undefined && meta) {
      this.fact('have', `${fmt.size(t.haveValid) || '0 B'} of ${fmt.size(total)} (${fmt.percent(t.percentDone)})`);
    } else {
      this.fact('have', meta ? fmt.percent(t.percentDone) : 'waiting for the metadata from peers');
    }
    this.fact('transfer', t.downloadedEver === undefined ? ''
      : `${fmt.size(t.downloadedEver) || '0 B'} down, ${fmt.size(t.uploadedEver) || '0 B'} up`);
    this.fact('ratio', t.uploadRatio === undefined ? '' : fmt.ratio(t.uploadRatio));
    this.fact('speed', t.rateDownload || t.rateUpload
      ? `↓ ${fmt.speedAlways(t.rateDownload)}  ↑ ${fmt.speedAlways(t.rateUpload)}` : 'idle');
    this.fact('peers', t.peersConnected === undefined ? '' : `${t.peersConnected} connected`);
    this.fact('eta', t.status === 4 && t.eta !== undefined ? fmt.eta(t.eta) : '');
    this.fact('dir', t.downloadDir || '');
    this.fact('size', meta && t.totalSize ? `${fmt.size(t.totalSize)} (${fmt.count(t.totalSize)} bytes)` : '');
    this.fact('pieces', t.pieceCount ? `${fmt.count(t.pieceCount)} × ${fmt.size(t.pieceSize)}` : '');
    this.fact('hash', t.hashString || '');
    this.fact('magnet', t.magnetLink || '');
    if (this.magnet.value !== (t.magnetLink || '')) this.magnet.value = t.magnetLink || '';
    this.fact('added', fmt.date(t.addedDate));
    this.fact('done', fmt.date(t.doneDate));
    const created = [t.creator, fmt.date(t.dateCreated)].filter(Boolean).join(', ');
    this.fact('created', created);
    this.fact('comment', t.comment || '');
    this.fact('private', t.isPrivate ? 'yes: trackers only, no DHT or peer exchange' : '');
    this.fact('corrupt', t.corruptEver ? fmt.size(t.corruptEver) : '');
  }

  async copyMagnet() {
    const text = this.magnet.value;
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch (e) { /* fall back below */ }
    if (!ok) {
      this.magnet.focus();
      this.magnet.select();
      try {
        ok = document.execCommand('copy');
      } catch (e) {
        ok = false;
      }
    }
    this.copyButton.textContent = ok ? 'Copied' : 'Select and copy';
    setTimeout(() => { this.copyButton.textContent = 'Copy'; }, 1500);
  }

  // ---- files ----------------------------------------------------------------------------------

  makeFiles(files) {
    const body = this.q('#d-files');
    this.fileRows = files.map((f) => {
      const tr = el('tr');
      const name = el('td', 'wrap', f.name);
      const size = el('td', 'num', fmt.size(f.length) || '0 B');
      const prog = el('td', 'prog');
      const box = el('span', 'progress');
      const bar = el('span', 'bar');
      const fill = el('span', 'fill');
      bar.append(fill);
      const pct = el('span', 'pct');
      box.append(bar, pct);
      prog.append(box);
      tr.append(name, size, prog);
      return { tr, fill, pct, length: f.length, done: -1 };
    });
    body.replaceChildren(...this.fileRows.map((r) => r.tr));
    this.q('#d-files-none').hidden = files.length > 0;
    this.updateFiles(files);
    if (files.length > 0) this.filesOf = this.id; // until then (a magnet), ask for the names again
  }

  updateFiles(stats) {
    stats.forEach((s, i) => {
      const r = this.fileRows[i];
      if (!r || r.done === s.bytesCompleted) return;
      r.done = s.bytesCompleted;
      const f = r.length > 0 ? s.bytesCompleted / r.length : 1;
      r.fill.style.width = `${(f * 100).toFixed(1)}%`;
      r.tr.classList.toggle('complete', f >= 1);
      setText(r.pct, fmt.percent(f));
    });
  }

  // ---- peers ----------------------------------------------------------------------------------

  fillPeers(peers) {
    const body = this.q('#d-peers');
    const rate = (p) => (p.rateToClient || 0) + (p.rateToPeer || 0);
    peers.sort((a, b) => rate(b) - rate(a)
      || String(a.address).localeCompare(String(b.address)) || a.port - b.port);
    const rows = peers.map((p) => {
      const key = `${p.address} ${p.port}`;
      let r = this.peerRows.get(key);
      if (!r) {
        r = { tr: el('tr'), cells: [] };
        for (const cls of ['mono', 'wrap', 'mono flags', 'num', 'num', 'num']) {
          const td = el('td', cls);
          r.cells.push(td);
          r.tr.append(td);
        }
        this.peerRows.set(key, r);
      }
      const address = String(p.address).includes(':') ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`;
      setText(r.cells[0], address);
      setText(r.cells[1], p.clientName || '');
      setText(r.cells[2], p.flagStr || '');
      r.cells[2].title = [...(p.flagStr || '')].map((c) => `${c}: ${FLAG_WORDS[c] || c}`).join('\n');
      setText(r.cells[3], fmt.percent(p.progress));
      setText(r.cells[4], fmt.speed(p.rateToClient));
      setText(r.cells[5], fmt.speed(p.rateToPeer));
      r.key = key;
      return r;
    });
    const keep = new Set(rows.map((r) => r.key));
    for (const key of [...this.peerRows.keys()]) if (!keep.has(key)) this.peerRows.delete(key);
    reorder(body, rows.map((r) => r.tr));
    this.q('#d-peers-none').hidden = peers.length > 0;
  }

  // ---- trackers -------------------------------------------------------------------------------

  fillTrackers(stats) {
    const body = this.q('#d-trackers');
    const rows = stats.map((s) => {
      const tr = el('tr');
      const status = s.announceState === 3 ? 'Announcing…'
        : s.lastAnnounceSucceeded ? 'Working'
          : s.hasAnnounced ? `Error: ${s.lastAnnounceResult || 'no answer'}` : 'Not announced yet';
      const cells = [
        [String(s.tier + 1), 'num'],
        [s.announce || s.host || '', 'mono wrap'],
        [status, s.hasAnnounced && !s.lastAnnounceSucceeded ? 'bad wrap' : 'wrap'],
        [fmt.relative(s.lastAnnounceTime), ''],
        [fmt.relative(s.nextAnnounceTime), ''],
        [s.seederCount >= 0 ? String(s.seederCount) : '', 'num'],
        [s.leecherCount >= 0 ? String(s.leecherCount) : '', 'num'],
        [s.hasAnnounced ? String(s.lastAnnouncePeerCount) : '', 'num'],
      ];
      for (const [text, cls] of cells) tr.append(el('td', cls, text));
      return tr;
    });
    body.replaceChildren(...rows);
    this.q('#d-trackers-none').hidden = stats.length > 0;
  }

  // ---- pieces ---------------------------------------------------------------------------------

  drawMap(t) {
    this.lastPieces = t;
    const canvas = this.q('#d-map');
    const legend = this.q('#d-legend');
    const count = t.pieceCount || 0;
    this.q('#d-pieces-none').hidden = count > 0;
    canvas.hidden = count === 0;
    legend.hidden = count === 0;
    if (count === 0) return;
    const have = decodeBitfield(t.pieces);
    const busy = t.piecesInProgress === undefined ? null : decodeBitfield(t.piecesInProgress);
    const { group } = drawPieces(canvas, count, have, busy);
    const got = countBits(have, count);
    const inProgress = busy ? countBits(busy, count) : 0;
    setText(this.q('#d-have'), `Have ${fmt.count(got)}`);
    const dl = this.q('#d-downloading');
    dl.hidden = busy == null;
    setText(dl, `Downloading ${fmt.count(inProgress)}`);
    setText(this.q('#d-missing'), `Missing ${fmt.count(count - got - inProgress)}`);
    setText(this.q('#d-piece-size'), `${fmt.count(count)} pieces × ${fmt.size(t.pieceSize)}`
      + (group > 1 ? `, ${fmt.count(group)} a square` : ''));
  }
}

/** Puts {@code wanted} into {@code parent} in that order, moving only what is out of place. */
function reorder(parent, wanted) {
  let cursor = parent.firstElementChild;
  for (const e of wanted) {
    if (e === cursor) cursor = cursor.nextElementSibling;
    else parent.insertBefore(e, cursor);
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
}
