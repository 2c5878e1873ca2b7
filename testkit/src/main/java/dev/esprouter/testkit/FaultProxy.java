package dev.esprouter.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy the tests put between the app and a real dependency (PostgreSQL, the broker, the
 * sandbox) to switch faults on and off while the app runs, without touching the machine's services:
 * {@link #cut()} closes every open connection, {@link #refuse(boolean)} closes new ones at once (the
 * dependency is "down"), {@link #latency(long)} delays every chunk of bytes each way, {@link
 * #stall(boolean)} stops forwarding without closing (a hang: the peer's socket stays open and
 * silent), and {@link #drop(boolean)} swallows the bytes (a black hole). Runs on a Vert.x instance
 * of its own, so a test's faults never compete with the code under test for an event loop.
 *
 * <pre>{@code
 * try (FaultProxy pg = FaultProxy.start("127.0.0.1", 5432)) {
 *   env.put("PGPORT", Integer.toString(pg.port()));
 *   ...
 *   pg.refuse(true); pg.cut();          // PostgreSQL is gone
 *   Thread.sleep(15_000);
 *   pg.refuse(false);                   // and back
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

  /** One proxied connection: the app's side and the dependency's side. */
  private final class Pair {
    final NetSocket front;
    final NetSocket back;

    Pair(NetSocket front, NetSocket back) {
      this.front = front;
      this.back = back;
    }

    void close() {
      front.close();
      back.close();
    }
  }

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final String targetHost;
  private final int targetPort;
  private final Set<Pair> open = ConcurrentHashMap.newKeySet();
  private volatile boolean refusing;
  private volatile boolean stalling;
  private volatile boolean dropping;
  private volatile long latencyMs;
  private volatile long accepted;
  private volatile long refused;

  private FaultProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true));
    this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true));
    server.connectHandler(this::accept);
  }

  /** Listens on a free loopback port and forwards to {@code targetHost:targetPort}. */
  public static FaultProxy start(String targetHost, int targetPort) {
    Vertx vertx = Vertx.vertx();
    FaultProxy proxy = new FaultProxy(vertx, targetHost, targetPort);
    try {
      proxy.server.listen().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("fault proxy could not listen: " + e.getMessage(), e);
    }
    return proxy;
  }

  /** The loopback port the app should connect to instead of the target's. */
  public int port() {
    return server.actualPort();
  }

  /** Closes every open connection now (both sides), as a crashed or restarted dependency would. */
  public void cut() {
    for (Pair p : open) {
      p.close();
    }
    open.clear();
  }

  /** While on, a new connection is accepted and closed at once, as to a dependency that is down. */
  public void refuse(boolean on) {
    refusing = on;
  }

  /** While on, no byte is forwarded either way and nothing is closed: a hang. */
  public void stall(boolean on) {
    stalling = on;
  }

  /** While on, bytes read are discarded instead of forwarded (connections stay open). */
  public void drop(boolean on) {
    dropping = on;
  }

  /** Delays every chunk of bytes, each way, by this many milliseconds (0: none). Order is kept. */
  public void latency(long ms) {
    latencyMs = Math.max(0, ms);
  }

  /** Connections forwarded since the start. */
  public long accepted() {
    return accepted;
  }

  /** Connections refused since the start. */
  public long refused() {
    return refused;
  }

  @Override
  public void close() {
    cut();
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing a test helper: nothing to hand back.
    }
  }

  private void accept(NetSocket front) {
    if (refusing) {
      refused++;
      front.close();
      return;
    }
    front.pause();
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed()) {
        front.close();
        return;
      }
      accepted++;
      NetSocket back = ar.result();
      Pair pair = new Pair(front, back);
      open.add(pair);
      forward(front, back);
      forward(back, front);
      front.closeHandler(v -> {
        open.remove(pair);
        back.close();
      });
      back.closeHandler(v -> {
        open.remove(pair);
        front.close();
      });
      front.resume();
    });
  }

  /** Copies {@code from} to {@code to}, applying the faults switched on, with backpressure. */
  private void forward(NetSocket from, NetSocket to) {
    from.handler(buf -> {
      if (stalling) {
        // Stop reading and keep the bytes already read for when the stall ends, in order.
        from.pause();
        holdThenSend(to, from, buf);
        return;
      }
      if (dropping) {
        return;
      }
      write(to, from, buf);
    });
  }

  private void holdThenSend(NetSocket to, NetSocket from, Buffer buf) {
    if (stalling) {
      vertx.setTimer(20, id -> holdThenSend(to, from, buf));
      return;
    }
    write(to, from, buf);
    from.resume();
  }

  private void write(NetSocket to, NetSocket from, Buffer buf) {
    long delay = latencyMs;
    if (delay > 0) {
      vertx.setTimer(delay, id -> send(to, from, buf));
    } else {
      send(to, from, buf);
    }
  }

  private void send(NetSocket to, NetSocket from, Buffer buf) {
    to.write(buf);
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> {
        if (!stalling) {
          from.resume();
        }
      });
    }
  }
}
