package dev.esprouter.router.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.router.ledger.LedgerWriter;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PoisonCheckTest {

  @Test
  @DisplayName("Data errors are poison; outages are not")
  void classify() {
    assertThat(PoisonCheck.isDataError(new LedgerWriter.DataError("x", null))).isTrue();
    assertThat(PoisonCheck.isDataError(new PgException("invalid byte sequence", "ERROR", "22021", null))).isTrue();
    assertThat(PoisonCheck.isDataError(new PgException("not null", "ERROR", "23502", null))).isTrue();
    assertThat(PoisonCheck.isDataError(new IllegalArgumentException("bad"))).isTrue();
    assertThat(PoisonCheck.isDataError(new PgException("shutting down", "FATAL", "57P01", null))).isFalse();
    assertThat(PoisonCheck.isDataError(new PgException("too many connections", "FATAL", "53300", null))).isFalse();
    assertThat(PoisonCheck.isDataError(new ConnectException("refused"))).isFalse();
    assertThat(PoisonCheck.isDataError(VertxException.noStackTrace("Connection was closed"))).isFalse();
  }
}
