package dev.esprouter.bench.ingress;

import dev.esprouter.bench.ProcTicks;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the CPU of one measured phase went, in the same process and on the same machine: the load
 * generator's event loops, the server's event loops, the Kafka producer thread, the embedded broker,
 * the rest of the JVM (GC, JIT: process time not owned by a Java thread), PostgreSQL (every
 * {@code postgres} process, read from /proc, so other databases' work is counted too) and the
 * whole machine (/proc/stat). Shown per request, so the sum tells whether 2 cores can reach a rate.
 */
final class CpuSplit {

  private static final double TICK_NS = 1e9 / ProcTicks.PER_SECOND;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Set<Long> generatorThreads;
  private Map<String, Long> start;

  CpuSplit(Set<Long> generatorThreads) {
    this.generatorThreads = generatorThreads;
  }

  void begin() {
    start = snapshot();
  }

  /** One line per group: CPU ms per second of wall time and µs per request. */
  String end(long requests, double seconds) {
    Map<String, Long> now = snapshot();
    StringBuilder b = new StringBuilder(String.format("  CPU per request (%d requests, %.1f s):%n", requests, seconds));
    for (Map.Entry<String, Long> e : now.entrySet()) {
      long ns = e.getValue() - start.getOrDefault(e.getKey(), 0L);
      b.append(String.format("    %-22s %6.0f µs/req  %5.2f cores%n", e.getKey(), ns / 1e3 / Math.max(1, requests),
          ns / 1e9 / seconds));
    }
    return b.toString();
  }

  private Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    long javaThreads = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(t.getThreadId());
      if (cpu <= 0) {
        continue;
      }
      javaThreads += cpu;
      m.merge(group(t), cpu, Long::sum);
    }
    long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    m.put("jvm: gc, jit, other", process - javaThreads);
    m.put("postgres (all)", (long) (ProcTicks.postgresTotal() * TICK_NS));
    m.put("~ machine busy", (long) (ProcTicks.machine()[0] * TICK_NS));
    return m;
  }

  private String group(ThreadInfo t) {
    String n = t.getThreadName();
    if (generatorThreads.contains(t.getThreadId())) {
      return "load generator";
    }
    if (n.startsWith("vert.x-eventloop")) {
      return "server event loops";
    }
    if (n.startsWith("kafka-producer-network-thread")) {
      return "kafka producer";
    }
    if (n.startsWith("vert.x-worker") || n.startsWith("esp-ingress")) {
      return "vert.x workers";
    }
    if (n.startsWith("vert.x-") || n.equals("main")) {
      return "other threads";
    }
    return "kafka broker";
  }
}
