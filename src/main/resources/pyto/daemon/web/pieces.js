// The piece map: one square per piece on a <canvas>, coloured have, downloading or missing.
// "pieces" is Transmission's base64 bitfield (BEP 3's bitfield: piece 0 is the high bit of
// the first byte). A torrent with more pieces than the map has room for gets one square per
// group of pieces, shaded by how many of the group we have.

/** The bits of a base64 bitfield, as bytes; empty for anything that is not one. */
export function decodeBitfield(b64) {
  if (!b64) return new Uint8Array(0);
  try {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch (e) {
    return new Uint8Array(0);
  }
}

export function bit(bytes, i) {
  const byte = bytes[i >> 3];
  return byte !== undefined && (byte & (0x80 >> (i & 7))) !== 0;
}

/** How many of the first {@code count} bits are set. */
export function countBits(bytes, count) {
  let n = 0;
  for (let i = 0; i < count; i++) if (bit(bytes, i)) n++;
  return n;
}

const MAX_HEIGHT = 320; // CSS pixels: more pieces than fit get grouped

/**
 * Draws the map into {@code canvas}, as wide as its parent.
 * @param have        bitfield bytes of verified pieces
 * @param downloading bitfield bytes of pieces in progress, or null when the daemon does not say
 */
export function drawPieces(canvas, count, have, downloading) {
  const width = Math.max(100, Math.floor(canvas.parentElement.clientWidth));
  const style = getComputedStyle(canvas);
  const colours = {
    have: style.getPropertyValue('--piece-have').trim() || '#2563eb',
    downloading: style.getPropertyValue('--piece-downloading').trim() || '#f59e0b',
    missing: style.getPropertyValue('--piece-missing').trim() || '#e5e7eb',
  };
  let cell = Math.floor(Math.sqrt((width * MAX_HEIGHT) / Math.max(1, count)));
  cell = Math.max(4, Math.min(16, cell));
  const cols = Math.max(1, Math.floor(width / cell));
  const maxRows = Math.floor(MAX_HEIGHT / cell);
  const group = Math.max(1, Math.ceil(count / (cols * maxRows)));
  const squares = Math.ceil(count / group);
  const rows = Math.max(1, Math.ceil(squares / cols));
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(cols * cell * ratio);
  canvas.height = Math.round(rows * cell * ratio);
  canvas.style.width = `${cols * cell}px`;
  canvas.style.height = `${rows * cell}px`;
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, cols * cell, rows * cell);
  const gap = cell >= 6 ? 1 : 0;
  for (let s = 0; s < squares; s++) {
    const first = s * group;
    const last = Math.min(count, first + group);
    let got = 0;
    let busy = false;
    for (let p = first; p < last; p++) {
      if (bit(have, p)) got++;
      else if (downloading && bit(downloading, p)) busy = true;
    }
    const x = (s % cols) * cell;
    const y = Math.floor(s / cols) * cell;
    g.fillStyle = colours.missing;
    g.fillRect(x, y, cell - gap, cell - gap);
    if (got > 0) {
      g.globalAlpha = got === last - first ? 1 : 0.25 + (0.6 * got) / (last - first);
      g.fillStyle = colours.have;
      g.fillRect(x, y, cell - gap, cell - gap);
      g.globalAlpha = 1;
    }
    if (busy && got < last - first) {
      g.fillStyle = colours.downloading;
      g.fillRect(x, y, cell - gap, cell - gap);
    }
  }
  return { group };
}
