package dev.esprouter.bench.sandbox;

import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import java.io.IOException;

/**
 * The sandbox alone in a JVM of its own, so {@link SandboxBench} can measure its CPU apart from the
 * load generator: {@code SandboxBenchServer <port> <webhookBase> <instances>}; prints
 * {@code READY} and runs until its standard input closes.
 */
public final class SandboxBenchServer {

  private SandboxBenchServer() {
  }

  public static void main(String[] args) throws IOException {
    SandboxServer server = SandboxServer.startBlocking(SandboxOptions.defaults()
        .withPort(Integer.parseInt(args[0]))
        .withWebhookBase(args[1])
        .withInstances(Integer.parseInt(args[2]))
        .withSeed(1));
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Runs until the parent closes our stdin (or dies).
    }
    System.out.println(server.statsJson().encode());
    System.out.flush();
    server.close();
  }
}
