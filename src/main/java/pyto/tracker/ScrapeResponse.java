package pyto.tracker;

/**
 * A tracker's numbers for one torrent (BEP 48, "tracker protocol extension: scrape").
 *
 * @param complete peers with the whole torrent (seeders)
 * @param incomplete peers still downloading (leechers)
 * @param downloaded how many times the tracker saw a download complete
 */
public record ScrapeResponse(int complete, int incomplete, int downloaded) {
}
