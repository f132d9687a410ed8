// What the page makes of a torrent-get torrent: its state (one of the filters), the words for
// it, and the fields the page asks for. Pure functions.

/** Asked for every torrent at the first load, and for torrents the page does not know yet. */
export const LIST_FIELDS = [
  'id', 'name', 'hashString', 'totalSize', 'addedDate',
  'status', 'error', 'errorString', 'percentDone', 'metadataPercentComplete', 'recheckProgress',
  'rateDownload', 'rateUpload', 'eta', 'peersConnected', 'uploadRatio', 'sizeWhenDone',
  'leftUntilDone', 'isFinished',
];

/**
 * Asked every tick, of the "recently-active" torrents only: what moves. The name and size
 * change only when a magnet link's metadata arrives; the page asks for LIST_FIELDS then.
 */
export const STAT_FIELDS = [
  'id', 'status', 'error', 'errorString', 'percentDone', 'metadataPercentComplete', 'recheckProgress',
  'rateDownload', 'rateUpload', 'eta', 'peersConnected', 'uploadRatio', 'sizeWhenDone',
  'leftUntilDone', 'isFinished',
];

/** Transmission's status numbers (RPC 14 and later). */
export const STATUS = { STOPPED: 0, CHECK_WAIT: 1, CHECK: 2, DOWNLOAD_WAIT: 3, DOWNLOAD: 4, SEED_WAIT: 5, SEED: 6 };

/** The filters, in the order the page shows them. */
export const FILTERS = [
  ['all', 'All'],
  ['downloading', 'Downloading'],
  ['seeding', 'Seeding'],
  ['stopped', 'Stopped'],
  ['metadata', 'Fetching metadata'],
  ['failed', 'Failed'],
];

/** The one filter a torrent falls under (besides "all"). */
export function category(t) {
  if (t.error === 3) return 'failed'; // a local error: the torrent failed
  switch (t.status) {
    case STATUS.STOPPED: return 'stopped';
    case STATUS.SEED:
    case STATUS.SEED_WAIT: return 'seeding';
    case STATUS.DOWNLOAD:
    case STATUS.DOWNLOAD_WAIT:
      return t.metadataPercentComplete < 1 ? 'metadata' : 'downloading';
    default: return t.percentDone >= 1 ? 'seeding' : 'downloading'; // checking
  }
}

/** The state column's words. */
export function stateText(t) {
  if (t.error === 3) return 'Failed';
  switch (t.status) {
    case STATUS.STOPPED: return t.isFinished || t.percentDone >= 1 ? 'Finished' : 'Stopped';
    case STATUS.CHECK_WAIT: return 'Waiting to check';
    case STATUS.CHECK: return `Checking ${Math.floor((t.recheckProgress || 0) * 100)}%`;
    case STATUS.DOWNLOAD_WAIT: return 'Queued';
    case STATUS.DOWNLOAD:
      if (t.metadataPercentComplete < 1) return 'Fetching metadata';
      return t.peersConnected > 0 ? 'Downloading' : 'Looking for peers';
    case STATUS.SEED_WAIT: return 'Queued to seed';
    case STATUS.SEED: return 'Seeding';
    default: return `Status ${t.status}`;
  }
}

/** What the progress bar shows: the fraction, and a class for its colour. */
export function progress(t) {
  const cat = category(t);
  if (t.status === STATUS.CHECK) return { fraction: t.recheckProgress || 0, kind: 'checking' };
  if (cat === 'metadata') return { fraction: 1, kind: 'metadata' };
  return { fraction: t.percentDone || 0, kind: cat };
}

/** A tracker's trouble worth a warning sign (error 1 or 2); the failure itself is the state. */
export function warning(t) {
  return (t.error === 1 || t.error === 2) && t.errorString ? t.errorString : '';
}

/** Whether a start or a stop makes sense for it. */
export function canStart(t) {
  return t.status === STATUS.STOPPED;
}

export function canStop(t) {
  return t.status !== STATUS.STOPPED;
}
