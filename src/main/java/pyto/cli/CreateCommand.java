package pyto.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;

/**
 * {@code pyto create PATH -t URL ... -o OUT.torrent}: makes a torrent of a file or a directory.
 * Each {@code -t} is one BEP 12 tier; {@code -t a,b} puts two trackers in one tier.
 */
final class CreateCommand implements Main.Command {

    private final PrintStream out;

    CreateCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "create";
    }

    @Override
    public String usage() {
        return "pyto create PATH -t URL [-t URL ...] [--piece-length BYTES] [--private] [--comment TEXT]\n"
                + "            [--web-seed URL ...] -o OUT.torrent [--force]\n"
                + "                                   make a torrent of a file or a directory";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv,
                Args.names("-t|--tracker", "--piece-length", "--comment", "--web-seed", "-o|--output"),
                Args.names("--private", "--force"));
        Path source = Path.of(args.operand("file or directory to share"));
        Path output = Path.of(args.value("--output").orElseThrow(() -> new UsageException("missing -o OUT.torrent")));
        if (!Files.exists(source)) {
            throw new UsageException("no such file or directory: " + source);
        }
        if (Files.exists(output) && !args.flag("--force")) {
            throw new UsageException(output + " already exists (--force replaces it)");
        }

        TorrentCreator.Options options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        ProgressLine progress = ProgressLine.forTerminal(out);
        byte[] torrent = TorrentCreator.create(source, options, (done, total) ->
                progress.update("hashing " + ProgressLine.percent(done, total) + " of " + Units.size(total)));
        progress.finish();
        Files.write(output, torrent, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);

        Metainfo m = MetainfoParser.parse(torrent);
        out.printf("created %s: %s, %s in %s pieces of %s, info hash %s%n", output, m.name(),
                Units.size(m.totalLength()), Units.exact(m.pieceCount()), Units.size(m.pieceLength()),
                m.infoHash().hex());
        return Main.OK;
    }

    private static TorrentCreator.Options options(Args args) throws UsageException {
        List<List<String>> tiers = new ArrayList<>();
        for (String tier : args.values("--tracker")) {
            tiers.add(Arrays.stream(tier.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        TorrentCreator.Options options = TorrentCreator.Options.defaults()
                .withTrackerTiers(tiers)
                .withPrivate(args.flag("--private"))
                .withWebSeeds(args.values("--web-seed"));
        if (args.value("--comment").isPresent()) {
            options = options.withComment(args.value("--comment").get());
        }
        Optional<String> pieceLength = args.value("--piece-length");
        if (pieceLength.isPresent()) {
            long n = Args.parseSize("--piece-length", pieceLength.get());
            if (n > Integer.MAX_VALUE) {
                throw new UsageException("--piece-length " + pieceLength.get() + " is too large");
            }
            options = options.withPieceLength((int) n);
        }
        return options;
    }
}
