package dev.esprouter.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FailureRateWindowTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final FailureRateWindow window = new FailureRateWindow(10_000, now::get);

  @Test
  @DisplayName("The rate is failures over calls in the window, the same at low and high volume")
  void rate() {
    for (int i = 0; i < 500; i++) {
      window.record(i % 5 == 0);
    }
    assertThat(window.calls()).isEqualTo(500);
    assertThat(window.failureRate()).isEqualTo(0.2);
  }

  @Test
  @DisplayName("Calls older than the window no longer count")
  void slides() {
    window.record(true);
    window.record(true);
    now.addAndGet(6_000_000_000L);
    window.record(false);
    assertThat(window.failureRate()).isEqualTo(2 / 3.0);
    now.addAndGet(5_000_000_000L);
    assertThat(window.calls()).isEqualTo(1);
    assertThat(window.failureRate()).isZero();
    now.addAndGet(60_000_000_000L);
    assertThat(window.calls()).isZero();
  }
}
