package pyto.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rates over the choker's window and over the display's, on a clock the test moves. */
class RateMeterTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RateMeter meter = new RateMeter(20, now::get);

    @Test
    void aTransferThatStoppedFallsToZeroOnTheDisplayLongBeforeTheChokerForgetsIt() {
        for (int second = 0; second < 10; second++) {
            meter.add(1000);
            now.addAndGet(1000);
        }
        assertThat(meter.rate()).isCloseTo(1000, within(1.0));
        assertThat(meter.recentRate()).isCloseTo(1000, within(1.0));

        now.addAndGet(6000); // six quiet seconds
        assertThat(meter.recentRate()).as("the display's rate").isZero();
        assertThat(meter.rate()).as("the choker's rate").isCloseTo(10_000 / 16.0, within(1.0));
        assertThat(meter.total()).isEqualTo(10_000);
    }
}
