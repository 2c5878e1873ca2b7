package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.http.Tenant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Each tenant has its own token bucket")
class TenantRateLimiterTest {

  @Test
  @DisplayName("A tenant gets one second of burst at its own rate, then waits for tokens to refill")
  void ownRate() {
    TenantRateLimiter limiter = new TenantRateLimiter(1000);
    Tenant t = new Tenant("ten_a", "a", 5);
    long now = 1_000_000_000L;
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire(t, now)).isZero();
    }
    assertThat(limiter.tryAcquire(t, now)).isEqualTo(200);
    assertThat(limiter.tryAcquire(t, now + 200_000_000L)).isZero();
  }

  @Test
  @DisplayName("A tenant without its own rate uses the default, and tenants do not share tokens")
  void defaultRateAndIsolation() {
    TenantRateLimiter limiter = new TenantRateLimiter(2);
    Tenant a = new Tenant("ten_a", "a", null);
    Tenant b = new Tenant("ten_b", "b", null);
    assertThat(limiter.tryAcquire(a, 0)).isZero();
    assertThat(limiter.tryAcquire(a, 0)).isZero();
    assertThat(limiter.tryAcquire(a, 0)).isPositive();
    assertThat(limiter.tryAcquire(b, 0)).isZero();
  }
}
