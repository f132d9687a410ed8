package pyto.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import pyto.wire.ExtensionIds;
import pyto.wire.MessageCodec;
import pyto.wire.PeerMessage;

/** Our choking of a peer: the flag and the message that tells the peer always agree. */
class PeerUploadTest {

    /**
     * The reader flushes an overflowing request queue (choke, then unchoke) while the choker
     * chokes the same peer. Were the flag and the message set apart, the choker could find
     * the peer already flagged choked mid-flush and do nothing, and the flush's unchoke would
     * then leave the peer unchoked against the choker's decision. The writer is frozen in the
     * middle of the flush to make that moment happen every time.
     */
    @Test
    void aChokeDuringAFlushOfTheRequestQueueIsNotLost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket near = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket far = server.accept()) {
            PeerWriter writer = new PeerWriter(new PeerSocket(near), () -> new MessageCodec(1), (block, buffer) -> { },
                    () -> ExtensionIds.NONE, MessageTrace.NONE, List.of(), new RateMeter());
            PeerUpload upload = new PeerUpload(null, null, writer, new RateMeter(), false);
            upload.unchoke();

            Thread flush;
            Thread choker;
            writer.lock.lock(); // the writer takes no message until the test lets go
            try {
                flush = Thread.ofPlatform().start(upload::flushRequests);
                await(() -> writer.lock.hasQueuedThread(flush), "the flush reaches the writer");
                choker = Thread.ofPlatform().start(upload::choke);
                await(() -> choker.getState() == Thread.State.TERMINATED || choker.getState() == Thread.State.WAITING,
                        "the choker acted, or waits for the flush");
            } finally {
                writer.lock.unlock();
            }
            flush.join(Duration.ofSeconds(5));
            choker.join(Duration.ofSeconds(5));

            List<PeerMessage> chokes = writer.queued().stream()
                    .filter(m -> m instanceof PeerMessage.Choke || m instanceof PeerMessage.Unchoke).toList();
            assertThat(upload.isChoking()).as("the choker's decision stands").isTrue();
            assertThat(chokes.getLast()).as("the last word the peer gets").isInstanceOf(PeerMessage.Choke.class);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }
}
