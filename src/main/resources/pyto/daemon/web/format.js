// How numbers look on the page: sizes and rates in the units the daemon announces in
// session-get ("units": 1000-byte kB, as Transmission counts), durations, dates, ratios.
// Pure functions; every result is plain text, set with textContent.

const units = {
  sizeBytes: 1000,
  size: ['kB', 'MB', 'GB', 'TB'],
  speedBytes: 1000,
  speed: ['kB/s', 'MB/s', 'GB/s', 'TB/s'],
};

/** Takes session-get's "units" object, when the daemon sends one. */
export function setUnits(u) {
  if (!u) return;
  if (u['size-bytes'] > 0 && Array.isArray(u['size-units']) && u['size-units'].length === 4) {
    units.sizeBytes = u['size-bytes'];
    units.size = u['size-units'].map(String);
  }
  if (u['speed-bytes'] > 0 && Array.isArray(u['speed-units']) && u['speed-units'].length === 4) {
    units.speedBytes = u['speed-bytes'];
    units.speed = u['speed-units'].map(String);
  }
}

export function speedUnit() {
  return units.speed[0];
}

function scaled(n, base, names, bytesName) {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < base) return `${Math.round(n)} ${bytesName}`;
  let v = n / base;
  let i = 0;
  while (v >= base && i < names.length - 1) {
    v /= base;
    i++;
  }
  const digits = v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${v.toFixed(digits)} ${names[i]}`;
}

/** 1234567 -> "1.23 MB". */
export function size(bytes) {
  return scaled(bytes, units.sizeBytes, units.size, 'B');
}

/** Bytes a second; empty for nothing, so that idle columns stay quiet. */
export function speed(bytesPerSecond) {
  if (!bytesPerSecond) return '';
  return scaled(bytesPerSecond, units.speedBytes, units.speed, 'B/s');
}

/** The same, but "0 B/s" rather than nothing (for totals). */
export function speedAlways(bytesPerSecond) {
  return speed(bytesPerSecond) || '0 B/s';
}

/** A fraction 0..1 as "42.1%" (one decimal below 100, none at 100). */
export function percent(fraction) {
  if (!Number.isFinite(fraction)) return '';
  const p = Math.max(0, Math.min(1, fraction)) * 100;
  if (p >= 100) return '100%';
  return `${Math.floor(p * 10) / 10}%`.replace(/^(\d+)%$/, '$1.0%');
}

/** Seconds as "42s", "3m 07s", "2h 05m", "3d 04h". */
export function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  const two = (n) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${two(Math.floor((s % 86400) / 3600))}h`;
}

/** Transmission's eta: -1 not available, -2 unknown. */
export function eta(seconds) {
  if (seconds === -2) return '∞';
  if (seconds == null || seconds < 0) return '';
  return duration(seconds);
}

/** Transmission's ratio: -1 nothing moved, -2 infinite. */
export function ratio(r) {
  if (r === -2) return '∞';
  if (r == null || r < 0) return '—';
  return r.toFixed(r < 10 ? 2 : 1);
}

/** Seconds since the epoch as a local date and time; "" for 0 (never). */
export function date(epochSeconds) {
  if (!epochSeconds || epochSeconds <= 0) return '';
  return new Date(epochSeconds * 1000).toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

/** "12s ago", "in 3m 07s", relative to now (seconds since the epoch). */
export function relative(epochSeconds, nowSeconds = Date.now() / 1000) {
  if (!epochSeconds || epochSeconds <= 0) return '';
  const d = epochSeconds - nowSeconds;
  if (Math.abs(d) < 1) return 'now';
  return d > 0 ? `in ${duration(d)}` : `${duration(-d)} ago`;
}

/** A count with thousands separators. */
export function count(n) {
  return Number.isFinite(n) ? n.toLocaleString() : '';
}
