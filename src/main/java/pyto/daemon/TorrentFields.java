package pyto.daemon;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import pyto.metainfo.FileEntry;
import pyto.metainfo.Metainfo;
import pyto.peer.PeerStatus;
import pyto.piece.Bitfield;
import pyto.session.Torrent;
import pyto.session.TorrentContent;
import pyto.session.TorrentStatus;
import pyto.storage.ResumeData;
import pyto.tracker.TrackerStatus;

/**
 * The fields of {@code torrent-get} (Transmission's rpc-spec, section 3.3) for one torrent,
 * computed from a snapshot of it taken once per call. Sizes are bytes, rates bytes a second,
 * dates seconds since the epoch; Transmission's conventions stand for what is unknown ({@code
 * eta} -1 when not available, -2 when unknown; a ratio of -1 when nothing was moved). A field
 * pyto does not know is left out of the reply, as Transmission leaves out names it does not
 * know. Names from torrents and peers are plain strings: {@link JsonWriter} escapes whatever
 * could pass for HTML. Stateless; the connection's thread.
 */
final class TorrentFields {

    /** Transmission's status numbers (RPC version 14 and later). */
    static final int STOPPED = 0, CHECK = 2, DOWNLOAD = 4, SEED = 6;

    /**
     * One torrent as the reply sees it: taken once, read by every field. {@code have} is what
     * is verified: the session's word once the torrent has checked its data, and until then
     * (added paused at a restart, say) what its saved resume data says.
     */
    record View(TorrentRegistry.Entry entry, TorrentStatus status, Optional<Metainfo> metainfo,
                Optional<TorrentContent> content, Optional<Bitfield> have, long completed, List<PeerStatus> peers,
                Torrents torrents, int maxPeers) {

        static View of(TorrentRegistry.Entry e, Torrents torrents, int maxPeers) {
            Torrent t = e.torrent();
            TorrentStatus s = t.status();
            Optional<TorrentContent> content = t.content();
            Optional<Bitfield> have = content.map(TorrentFields::have);
            long completed = s.completedBytes();
            if (content.isPresent() && !content.get().isChecked() && t.metainfo().isPresent()) {
                Metainfo m = t.metainfo().get();
                completed = 0;
                for (int piece = have.get().nextSetBit(0); piece >= 0; piece = have.get().nextSetBit(piece + 1)) {
                    completed += m.pieceSize(piece);
                }
            }
            return new View(e, s, t.metainfo(), content, have, completed, t.peers(), torrents, maxPeers);
        }

        long uploadedEver() {
            return entry.record().uploadedBefore() + status.uploaded();
        }

        long downloadedEver() {
            return entry.record().downloadedBefore() + status.downloaded();
        }

        long left() {
            return status.totalBytes() - completed;
        }
    }

    private TorrentFields() {
    }

    static Optional<Json> field(String name, View v) {
        TorrentStatus s = v.status();
        TorrentRecord r = v.entry().record();
        Optional<Metainfo> m = v.metainfo();
        Json value = switch (name) {
            case "id" -> Json.of(v.entry().id());
            case "hashString" -> Json.of(s.infoHash().hex());
            case "name" -> Json.of(s.name());
            case "status" -> Json.of(status(s.state()));
            case "error" -> Json.of(error(s));
            case "errorString" -> Json.of(errorString(s));
            case "percentDone" -> Json.of(s.totalBytes() == 0 ? 0.0 : (double) v.completed() / s.totalBytes());
            case "metadataPercentComplete" -> Json.of(m.isPresent() ? 1.0 : 0.0);
            case "rateDownload" -> Json.of(Math.round(s.downloadRate()));
            case "rateUpload" -> Json.of(Math.round(s.uploadRate()));
            case "eta" -> Json.of(s.eta().map(d -> d.toSeconds()).orElse(s.state() == Torrent.State.DOWNLOADING ? -2L : -1L));
            case "etaIdle" -> Json.of(-1);
            case "peersConnected" -> Json.of(s.peers());
            case "peersGettingFromUs" -> Json.of(v.peers().stream().filter(p -> p.uploadRate() > 0).count());
            case "peersSendingToUs" -> Json.of(v.peers().stream().filter(p -> p.downloadRate() > 0).count());
            case "peersFrom" -> Json.object().put("fromCache", 0).put("fromDht", 0)
                    .put("fromIncoming", v.peers().stream().filter(p -> !p.outgoing()).count()).put("fromLpd", 0)
                    .put("fromLtep", 0).put("fromPex", 0)
                    .put("fromTracker", v.peers().stream().filter(PeerStatus::outgoing).count()).build();
            case "totalSize", "sizeWhenDone" -> Json.of(s.totalBytes());
            case "leftUntilDone" -> Json.of(v.left());
            case "desiredAvailable" -> Json.of(s.peers() > 0 ? v.left() : 0);
            case "haveValid" -> Json.of(v.completed());
            case "haveUnchecked" -> Json.of(0);
            case "corruptEver" -> Json.of(s.hashFailures() * m.map(Metainfo::pieceLength).orElse(0L));
            case "uploadedEver" -> Json.of(v.uploadedEver());
            case "downloadedEver" -> Json.of(v.downloadedEver());
            case "uploadRatio" -> Json.of(ratio(v.uploadedEver(), v.downloadedEver() > 0 ? v.downloadedEver() : v.completed()));
            case "isFinished" -> Json.of(r.finished());
            case "isStalled" -> Json.of(false);
            case "isPrivate" -> Json.of(m.map(Metainfo::isPrivate).orElse(false));
            case "downloadDir" -> Json.of(r.downloadDir().toString());
            case "addedDate" -> Json.of(r.addedDate());
            case "doneDate" -> Json.of(r.doneDate());
            case "startDate" -> Json.of(Math.max(r.addedDate(), v.torrents().startedSeconds()));
            case "activityDate" -> Json.of(v.entry().lastActive() / 1000);
            case "secondsDownloading" -> Json.of(r.secondsDownloading());
            case "secondsSeeding" -> Json.of(r.secondsSeeding());
            case "magnetLink" -> Json.of(v.entry().torrent().magnetLink().uri());
            case "comment" -> Json.of(m.flatMap(Metainfo::comment).orElse(""));
            case "creator" -> Json.of(m.flatMap(Metainfo::createdBy).orElse(""));
            case "dateCreated" -> Json.of(m.flatMap(Metainfo::creationDate).map(Instant::getEpochSecond).orElse(0L));
            case "pieceCount" -> Json.of(m.map(Metainfo::pieceCount).orElse(0));
            case "pieceSize" -> Json.of(m.map(Metainfo::pieceLength).orElse(0L));
            case "pieces" -> Json.of(v.have().map(h -> Base64.getEncoder().encodeToString(h.toBytes())).orElse(""));
            // not Transmission's: the web page's piece map shows the pieces under way in a colour of their own
            case "piecesInProgress" -> Json.of(v.content().map(c -> Base64.getEncoder()
                    .encodeToString(c.piecesInProgress().toBytes())).orElse(""));
            case "recheckProgress" -> Json.of(s.state() == Torrent.State.CHECKING && s.totalBytes() > 0
                    ? (double) s.checkedBytes() / s.totalBytes() : 0.0);
            case "downloadLimit" -> Json.of(r.limits().downKBps());
            case "downloadLimited" -> Json.of(r.limits().downLimited());
            case "uploadLimit" -> Json.of(r.limits().upKBps());
            case "uploadLimited" -> Json.of(r.limits().upLimited());
            case "honorsSessionLimits" -> Json.of(true);
            case "seedRatioLimit" -> Json.of(r.ratioLimit());
            case "seedRatioMode" -> Json.of(r.ratioMode());
            case "seedIdleLimit" -> Json.of(30);
            case "seedIdleMode" -> Json.of(0);
            case "bandwidthPriority" -> Json.of(0);
            case "queuePosition" -> Json.of(v.entry().id() - 1);
            case "peer-limit", "maxConnectedPeers" -> Json.of(v.maxPeers());
            case "manualAnnounceTime" -> Json.of(-1);
            case "labels" -> Json.array(List.of());
            case "torrentFile" -> Json.of(v.torrents().torrentFile(s.infoHash()).toString());
            case "webseeds" -> Json.array(m.map(Metainfo::webSeeds).orElse(List.of()).stream().map(Json::of).toList());
            case "webseedsSendingToUs" -> Json.of(0);
            case "files" -> files(v, true);
            case "fileStats" -> files(v, false);
            case "priorities" -> Json.array(visibleFiles(m).stream().map(f -> Json.of(0)).toList());
            case "wanted" -> Json.array(visibleFiles(m).stream().map(f -> Json.of(1)).toList());
            case "peers" -> Json.array(v.peers().stream().map(TorrentFields::peer).toList());
            case "trackers" -> trackers(v);
            case "trackerStats" -> trackerStats(v);
            default -> null;
        };
        return Optional.ofNullable(value);
    }

    /** The verified pieces; before the first check, those the saved resume data names (no disk I/O then). */
    private static Bitfield have(TorrentContent c) {
        if (c.isChecked()) {
            return c.verifiedPieces();
        }
        try {
            return c.resumeData().map(ResumeData::verified).orElseGet(c::verifiedPieces);
        } catch (IOException notBeforeTheCheck) {
            return c.verifiedPieces();
        }
    }

    static int status(Torrent.State state) {
        return switch (state) {
            case METADATA, DOWNLOADING -> DOWNLOAD;
            case CHECKING -> CHECK;
            case SEEDING -> SEED;
            case PAUSED, STOPPED, FAILED -> STOPPED;
        };
    }

    /** Transmission's error kinds: 0 none, 2 every tracker failing, 3 a local error (the torrent failed). */
    static int error(TorrentStatus s) {
        if (s.state() == Torrent.State.FAILED) {
            return 3;
        }
        return trackerError(s).isPresent() ? 2 : 0;
    }

    static String errorString(TorrentStatus s) {
        if (s.state() == Torrent.State.FAILED) {
            return s.error().orElse("failed");
        }
        return trackerError(s).orElse("");
    }

    private static Optional<String> trackerError(TorrentStatus s) {
        boolean anyWorking = s.trackers().stream().anyMatch(t -> t.state() != TrackerStatus.State.ERROR);
        return s.trackers().isEmpty() || anyWorking ? Optional.empty()
                : Optional.of(s.trackers().getFirst().error().orElse("no answer"));
    }

    /** Transmission's ratio: -1 when nothing was moved either way, -2 (infinite) for uploads out of nothing. */
    static double ratio(long up, long down) {
        if (down > 0) {
            return (double) up / down;
        }
        return up > 0 ? -2 : -1;
    }

    private static List<FileEntry> visibleFiles(Optional<Metainfo> m) {
        return m.map(Metainfo::visibleFiles).orElse(List.of());
    }

    /** files (name, length, bytesCompleted) or fileStats (bytesCompleted, wanted, priority), pad files left out. */
    private static Json files(View v, boolean named) {
        if (v.metainfo().isEmpty() || v.have().isEmpty()) {
            return Json.array(List.of());
        }
        Metainfo m = v.metainfo().get();
        Bitfield have = v.have().get();
        List<Json> out = new ArrayList<>();
        for (FileEntry f : m.files()) {
            if (f.padding()) {
                continue;
            }
            long done = completed(f, have, m.pieceLength());
            out.add(named
                    ? Json.object().put("bytesCompleted", done).put("length", f.length()).put("name", f.displayPath()).build()
                    : Json.object().put("bytesCompleted", done).put("wanted", true).put("priority", 0).build());
        }
        return Json.array(out);
    }

    /** The bytes of {@code f} that lie in verified pieces. */
    static long completed(FileEntry f, Bitfield have, long pieceLength) {
        if (f.length() == 0) {
            return 0;
        }
        long done = 0;
        for (long piece = f.offset() / pieceLength; piece * pieceLength < f.end(); piece++) {
            if (have.get((int) piece)) {
                long from = Math.max(f.offset(), piece * pieceLength);
                long to = Math.min(f.end(), (piece + 1) * pieceLength);
                done += to - from;
            }
        }
        return done;
    }

    private static Json peer(PeerStatus p) {
        StringBuilder flags = new StringBuilder();
        if (p.downloadRate() > 0) {
            flags.append('D');
        } else if (p.interested() && p.peerChoking()) {
            flags.append('d');
        }
        if (p.uploadRate() > 0) {
            flags.append('U');
        } else if (p.peerInterested() && p.choking()) {
            flags.append('u');
        }
        if (!p.peerChoking() && !p.interested()) {
            flags.append('K');
        }
        if (!p.choking() && !p.peerInterested()) {
            flags.append('?');
        }
        if (!p.outgoing()) {
            flags.append('I');
        }
        return Json.object().put("address", p.address().getAddress().getHostAddress())
                .put("clientName", p.client()).put("clientIsChoked", p.peerChoking())
                .put("clientIsInterested", p.interested()).put("flagStr", flags.toString())
                .put("isDownloadingFrom", p.downloadRate() > 0).put("isEncrypted", false)
                .put("isIncoming", !p.outgoing()).put("isUploadingTo", p.uploadRate() > 0).put("isUTP", false)
                .put("peerIsChoked", p.choking()).put("peerIsInterested", p.peerInterested())
                .put("port", p.address().getPort()).put("progress", p.progress())
                .put("rateToClient", Math.round(p.downloadRate())).put("rateToPeer", Math.round(p.uploadRate())).build();
    }

    private static List<List<String>> tiers(View v) {
        return v.metainfo().map(Metainfo::trackerTiers).orElse(v.entry().torrent().magnetLink().trackerTiers());
    }

    private static Json trackers(View v) {
        List<Json> out = new ArrayList<>();
        List<List<String>> tiers = tiers(v);
        for (int tier = 0; tier < tiers.size(); tier++) {
            for (String url : tiers.get(tier)) {
                out.add(Json.object().put("announce", url).put("id", out.size()).put("scrape", scrapeUrl(url))
                        .put("tier", tier).build());
            }
        }
        return Json.array(out);
    }

    /** One entry per tier: the tracker the tier uses now, and what it last said. */
    private static Json trackerStats(View v) {
        List<Json> out = new ArrayList<>();
        List<TrackerStatus> trackers = v.status().trackers();
        for (int tier = 0; tier < trackers.size(); tier++) {
            TrackerStatus t = trackers.get(tier);
            boolean announced = t.state() == TrackerStatus.State.WORKING || t.state() == TrackerStatus.State.ERROR;
            out.add(Json.object().put("announce", t.url())
                    .put("announceState", switch (t.state()) {
                        case IDLE -> t.nextAnnounce().isPresent() ? 1 : 0;
                        case UPDATING -> 3;
                        case WORKING, ERROR -> 1;
                    })
                    .put("downloadCount", -1).put("hasAnnounced", announced).put("hasScraped", false)
                    .put("host", host(t.url())).put("id", tier).put("isBackup", false)
                    .put("lastAnnouncePeerCount", t.peersReceived())
                    .put("lastAnnounceResult", t.state() == TrackerStatus.State.WORKING ? "Success"
                            : t.error().orElse(""))
                    .put("lastAnnounceStartTime", 0)
                    .put("lastAnnounceSucceeded", t.state() == TrackerStatus.State.WORKING)
                    .put("lastAnnounceTime", v.torrents().lastAnnounce(v.status().infoHash(), t.url()))
                    .put("lastAnnounceTimedOut", false).put("lastScrapeResult", "").put("lastScrapeStartTime", 0)
                    .put("lastScrapeSucceeded", false).put("lastScrapeTime", 0).put("lastScrapeTimedOut", false)
                    .put("leecherCount", t.leechers().orElse(-1))
                    .put("nextAnnounceTime", t.nextAnnounce().map(Instant::getEpochSecond).orElse(0L))
                    .put("nextScrapeTime", 0).put("scrape", scrapeUrl(t.url())).put("scrapeState", 0)
                    .put("seederCount", t.seeders().orElse(-1)).put("tier", tier).build());
        }
        return Json.array(out);
    }

    /** BEP 48's convention: the announce URL with its last "announce" replaced by "scrape", if it has one. */
    static String scrapeUrl(String announce) {
        int slash = announce.lastIndexOf('/');
        return slash >= 0 && announce.startsWith("announce", slash + 1)
                ? announce.substring(0, slash + 1) + "scrape" + announce.substring(slash + 1 + "announce".length()) : "";
    }

    /** scheme://host:port of a URL, as Transmission shows a tracker. */
    static String host(String url) {
        int scheme = url.indexOf("://");
        int end = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        return end < 0 ? url : url.substring(0, end);
    }
}
