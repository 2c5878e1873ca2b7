package dev.esprouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.config.DatabaseSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FaultProxy: forwards, cuts, refuses, delays and stalls on command")
class FaultProxyTest {

  private static ServerSocket echo;

  /** A plain echo server: each connection gets back what it sends. */
  @BeforeAll
  static void startEcho() throws IOException {
    echo = new ServerSocket(0);
    Thread t = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread c = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              in.transferTo(out);
            } catch (IOException ignored) {
              // the test closed it
            }
          });
          c.setDaemon(true);
          c.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @AfterAll
  static void stopEcho() throws IOException {
    echo.close();
  }

  private static String roundTrip(Socket s, String text, int timeoutMs) throws IOException {
    s.setSoTimeout(timeoutMs);
    s.getOutputStream().write(text.getBytes());
    s.getOutputStream().flush();
    byte[] buf = new byte[text.length()];
    int n = 0;
    while (n < buf.length) {
      int r = s.getInputStream().read(buf, n, buf.length - n);
      if (r < 0) {
        throw new IOException("closed by the proxy");
      }
      n += r;
    }
    return new String(buf);
  }

  @Test
  @DisplayName("bytes go both ways; latency delays them; a stall holds them until it ends")
  void forwardDelayStall() throws Exception {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.getLocalPort());
         Socket s = new Socket("127.0.0.1", proxy.port())) {
      assertThat(roundTrip(s, "hello", 2_000)).isEqualTo("hello");
      proxy.latency(150);
      long t0 = System.nanoTime();
      assertThat(roundTrip(s, "slow", 3_000)).isEqualTo("slow");
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(290); // 150 ms each way
      proxy.latency(0);
      proxy.stall(true);
      assertThatThrownBy(() -> roundTrip(s, "held", 400)).isInstanceOf(SocketTimeoutException.class);
      proxy.stall(false);
      byte[] buf = new byte[4];
      s.setSoTimeout(2_000);
      assertThat(s.getInputStream().readNBytes(buf, 0, 4)).isEqualTo(4);
      assertThat(new String(buf)).isEqualTo("held");
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("cutAll drops open connections; refuse closes new ones until it is lifted")
  void cutAndRefuse() throws Exception {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.getLocalPort());
         Socket s = new Socket("127.0.0.1", proxy.port())) {
      assertThat(roundTrip(s, "a", 2_000)).isEqualTo("a");
      proxy.refuse(true);
      proxy.cutAll();
      assertThatThrownBy(() -> roundTrip(s, "b", 2_000)).isInstanceOf(IOException.class);
      try (Socket refused = new Socket("127.0.0.1", proxy.port())) {
        assertThatThrownBy(() -> roundTrip(refused, "c", 2_000)).isInstanceOf(IOException.class);
      }
      assertThat(proxy.refusedCount()).isEqualTo(1);
      proxy.refuse(false);
      try (Socket again = new Socket("127.0.0.1", proxy.port())) {
        assertThat(roundTrip(again, "d", 2_000)).isEqualTo("d");
      }
    }
  }

  @Test
  @DisplayName("PostgreSQL through the proxy: queries work, an outage fails them, afterwards they work again")
  void postgresOutage() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      DatabaseSettings real = db.settings();
      try (FaultProxy proxy = FaultProxy.start(real.host(), real.port())) {
        DatabaseSettings via = new DatabaseSettings("127.0.0.1", proxy.port(), real.database(), real.user(),
            real.password(), 1, "proxy");
        try (Connection c = TestDatabase.connect(via)) {
          assertThat(one(c)).isEqualTo(1);
          proxy.outage(300);
          assertThatThrownBy(() -> one(c)).isInstanceOf(SQLException.class);
        }
        try (Connection c = TestDatabase.connect(via)) {
          assertThat(one(c)).isEqualTo(1);
        }
      }
    }
  }

  private static int one(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
