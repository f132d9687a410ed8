package pyto.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The upload limit's bucket on a fake clock. */
class TokenBucketTest {

    private long nanos;

    @Test
    void reservationsQueueUpAndARefundGivesTheTokensBack() {
        TokenBucket bucket = new TokenBucket(64 * 1024, () -> nanos); // starts full: 32 KiB
        assertThat(bucket.reserve(32 * 1024)).isZero();
        assertThat(bucket.reserve(16 * 1024)).as("the next in line waits for 16 KiB at 64 KiB/s")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(bucket.reserve(16 * 1024)).as("and the one after it, behind it").isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        bucket.refund(16 * 1024); // the last block was not sent after all
        assertThat(bucket.reserve(16 * 1024)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        nanos += TimeUnit.SECONDS.toNanos(10);
        bucket.refund(64 * 1024);
        assertThat(TokenBucket.delayFor(32 * 1024, bucket)).as("a refund fills the bucket no more than full").isZero();
        assertThat(bucket.reserve(48 * 1024)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
    }
}
