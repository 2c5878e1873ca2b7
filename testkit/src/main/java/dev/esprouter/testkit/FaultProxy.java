package dev.esprouter.testkit;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy that tests put between the code under test and PostgreSQL, the broker or the sandbox,
 * to make outages and hangs on command without touching the machine's services:
 * {@link #cutAll()} closes every open connection, {@link #refuse(boolean)} closes new ones as soon as
 * they arrive, {@link #latency(long)} delays every byte each way, {@link #stall(boolean)} stops
 * forwarding (connections stay open and silent, like a hung server or a dropped network path).
 * {@link #outage(long)} is the usual combination: cut, refuse, restore after a while.
 *
 * <p>It runs on a Vert.x of its own with one event loop, so all proxy state lives on one thread;
 * the command methods may be called from any thread and return once the command is in effect.
 * Docs: docs/TESTING.md.
 */
public final class FaultProxy implements AutoCloseable {

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final String targetHost;
  private final int targetPort;
  private final Set<Link> links = new HashSet<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private boolean refusing;
  private boolean stalled;
  private long latencyMs;

  private FaultProxy(Vertx vertx, NetServer server, NetClient client, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** A proxy on a free port of 127.0.0.1 forwarding to {@code targetHost:targetPort}. */
  public static FaultProxy start(String targetHost, int targetPort) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true));
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)
        .setTcpNoDelay(true));
    FaultProxy proxy = new FaultProxy(vertx, server, client, targetHost, targetPort);
    server.connectHandler(proxy::accept);
    try {
      server.listen().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("fault proxy did not start", e);
    }
    return proxy;
  }

  /** The port to give the code under test instead of the target's. */
  public int port() {
    return server.actualPort();
  }

  /** Closes every open connection at once, both sides (the peers see the connection drop). */
  public void cutAll() {
    onLoop(() -> {
      for (Link l : Set.copyOf(links)) {
        l.close();
      }
    });
  }

  /** While on, a new connection is closed as soon as it is accepted; open ones are left alone. */
  public void refuse(boolean on) {
    onLoop(() -> refusing = on);
  }

  /** Every chunk of bytes, each way, is forwarded this much later (order kept); 0 turns it off. */
  public void latency(long ms) {
    onLoop(() -> latencyMs = Math.max(0, ms));
  }

  /**
   * While on, nothing is read from either side, so nothing is forwarded: connections stay open and
   * silent (a hung server, a dropped path). Turning it off forwards what waited, in order.
   */
  public void stall(boolean on) {
    onLoop(() -> {
      stalled = on;
      for (Link l : links) {
        l.updateReading();
      }
    });
  }

  /** An outage of {@code ms}: every connection cut and new ones refused, then accepted again. Blocks. */
  public void outage(long ms) throws InterruptedException {
    refuse(true);
    cutAll();
    Thread.sleep(ms);
    refuse(false);
  }

  /** Connections open through the proxy now. */
  public int openConnections() {
    return callOnLoop(links::size);
  }

  /** Connections accepted and forwarded, and refused, since the start. */
  public long acceptedCount() {
    return accepted.get();
  }

  public long refusedCount() {
    return refused.get();
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Nothing more to release: the event loop and its sockets are gone either way.
    }
  }

  private void accept(NetSocket in) {
    if (refusing) {
      refused.incrementAndGet();
      in.close();
      return;
    }
    in.pause();
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      accepted.incrementAndGet();
      Link link = new Link(in, ar.result());
      links.add(link);
      link.start();
    });
  }

  /** One proxied connection: two sockets and a direction each way. */
  private final class Link {
    private final NetSocket in;
    private final NetSocket out;
    private final Direction up;
    private final Direction down;
    private boolean closed;

    Link(NetSocket in, NetSocket out) {
      this.in = in;
      this.out = out;
      this.up = new Direction(in, out);
      this.down = new Direction(out, in);
    }

    void start() {
      in.closeHandler(v -> close());
      out.closeHandler(v -> close());
      in.exceptionHandler(e -> close());
      out.exceptionHandler(e -> close());
      in.handler(up::receive);
      out.handler(down::receive);
      updateReading();
    }

    void updateReading() {
      up.updateReading();
      down.updateReading();
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      links.remove(this);
      in.close();
      out.close();
    }

    /** Bytes from one socket to the other, delayed by the latency, with the destination's backpressure. */
    private final class Direction {
      private final NetSocket from;
      private final NetSocket to;
      private final ArrayDeque<Object[]> delayed = new ArrayDeque<>();
      private boolean timerArmed;
      private boolean blocked;

      Direction(NetSocket from, NetSocket to) {
        this.from = from;
        this.to = to;
        to.drainHandler(v -> {
          blocked = false;
          updateReading();
        });
      }

      void receive(Buffer b) {
        if (closed) {
          return;
        }
        if (latencyMs == 0 && delayed.isEmpty() && !stalled) {
          write(b);
          return;
        }
        delayed.add(new Object[] {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(latencyMs), b});
        arm();
      }

      private void arm() {
        if (timerArmed || delayed.isEmpty()) {
          return;
        }
        long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis((long) delayed.peek()[0] - System.nanoTime()));
        timerArmed = true;
        vertx.setTimer(waitMs, id -> {
          timerArmed = false;
          if (stalled) {
            return; // held until the stall ends (updateReading arms again)
          }
          long now = System.nanoTime();
          while (!delayed.isEmpty() && (long) delayed.peek()[0] <= now && !closed) {
            write((Buffer) delayed.poll()[1]);
          }
          arm();
        });
      }

      private void write(Buffer b) {
        to.write(b);
        if (to.writeQueueFull()) {
          blocked = true;
          updateReading();
        }
      }

      void updateReading() {
        if (closed) {
          return;
        }
        if (stalled || blocked) {
          from.pause();
        } else {
          from.resume();
          arm();
        }
      }
    }
  }

  private void onLoop(Runnable r) {
    callOnLoop(() -> {
      r.run();
      return null;
    });
  }

  private <T> T callOnLoop(java.util.function.Supplier<T> s) {
    Promise<T> p = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        p.complete(s.get());
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    try {
      return p.future().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fault proxy command failed", e);
    }
  }
}
