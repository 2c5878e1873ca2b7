package dev.esprouter.bench.analytics;

import dev.esprouter.bench.ProcTicks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * This JVM's CPU split by kind of thread, from /proc/self/task (Linux): the Vert.x threads (the
 * roles under test, and the HTTP client in the end-to-end run), the in-process Kafka broker and
 * clients, the JIT compilers, the garbage collector, and the rest. Threads that ended between two
 * snapshots are missing from the second, so the split is a lower bound per group.
 */
final class JvmThreadCpu {

  private static final double TICKS_PER_SECOND = ProcTicks.PER_SECOND;

  record Snapshot(Map<String, Long> ticksByThread, Map<String, String> nameByThread) {
  }

  static Snapshot snapshot() {
    Map<String, Long> ticks = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String tid = t.getFileName().toString();
          ticks.put(tid, ProcTicks.ofStat(stat));
          names.put(tid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
        } catch (IOException | RuntimeException e) {
          // The thread ended while we looked.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new Snapshot(ticks, names);
  }

  static String describe(Snapshot a, Snapshot b, long events) {
    Map<String, Long> byGroup = new TreeMap<>();
    b.ticksByThread().forEach((tid, t) -> byGroup.merge(group(b.nameByThread().get(tid)),
        t - a.ticksByThread().getOrDefault(tid, 0L), Long::sum));
    StringBuilder out = new StringBuilder("this JVM by thread (µs CPU/event):");
    byGroup.forEach((g, t) -> out.append(String.format(" %s %.1f;", g, t / TICKS_PER_SECOND * 1e6 / events)));
    return out.toString();
  }

  private static String group(String name) {
    if (name.startsWith("vert.x-kafka")) {
      return "kafka clients";
    }
    if (name.startsWith("vert.x")) {
      return "vert.x";
    }
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return "JIT";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
      return "GC+VM";
    }
    if (name.startsWith("kafka-producer") || name.startsWith("kafka-admin")) {
      return "kafka clients";
    }
    if (name.startsWith("kafka") || name.startsWith("data-plane") || name.startsWith("quorum") || name.startsWith("broker")
        || name.startsWith("group-coord") || name.startsWith("controller") || name.startsWith("log-") || name.startsWith("raft")
        || name.startsWith("ExpirationReap") || name.startsWith("transaction")) {
      return "kafka broker";
    }
    if (name.equals("main") || name.startsWith("java")) {
      return "bench main";
    }
    return "other";
  }
}
