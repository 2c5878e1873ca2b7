package dev.esprouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fault proxy against a plain echo server, with blocking sockets as the app's side. */
class FaultProxyTest {

  private ServerSocket echo;
  private Thread echoThread;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0);
    echoThread = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread t = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              in.transferTo(out);
            } catch (IOException e) {
              // the test closed it
            }
          });
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    echoThread.setDaemon(true);
    echoThread.start();
    proxy = FaultProxy.start("127.0.0.1", echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", proxy.port());
    s.setSoTimeout(3000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    s.getOutputStream().flush();
    byte[] got = s.getInputStream().readNBytes(text.length());
    return new String(got, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("Bytes go through both ways unchanged")
  void forwards() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
      assertThat(roundTrip(s, "x".repeat(200_000))).hasSize(200_000);
    }
    assertThat(proxy.accepted()).isEqualTo(1);
  }

  @Test
  @DisplayName("cut closes open connections; refuse closes new ones at once until switched off")
  void cutAndRefuse() throws Exception {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "a")).isEqualTo("a");
      proxy.refuse(true);
      proxy.cut();
      assertThat(s.getInputStream().read()).as("closed by the proxy").isEqualTo(-1);
    }
    try (Socket s = connect()) {
      assertThat(s.getInputStream().read()).as("refused").isEqualTo(-1);
    }
    assertThat(proxy.refused()).isEqualTo(1);
    proxy.refuse(false);
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "back")).isEqualTo("back");
    }
  }

  @Test
  @DisplayName("stall holds the bytes without closing and delivers them, in order, when it ends")
  void stall() throws Exception {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "1")).isEqualTo("1");
      proxy.stall(true);
      s.getOutputStream().write("23".getBytes(StandardCharsets.UTF_8));
      s.setSoTimeout(500);
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      s.getOutputStream().write("45".getBytes(StandardCharsets.UTF_8));
      proxy.stall(false);
      s.setSoTimeout(3000);
      assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("2345");
    }
  }

  @Test
  @DisplayName("drop swallows bytes while on; latency delays them")
  void dropAndLatency() throws Exception {
    try (Socket s = connect()) {
      proxy.drop(true);
      s.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
      s.setSoTimeout(500);
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      proxy.drop(false);
      proxy.latency(300);
      s.setSoTimeout(3000);
      long start = System.nanoTime();
      assertThat(roundTrip(s, "slow")).isEqualTo("slow");
      assertThat((System.nanoTime() - start) / 1_000_000).as("two hops of 300 ms").isGreaterThanOrEqualTo(600);
    }
  }
}
