package dev.esprouter.bench.router;

import dev.esprouter.bench.ProcTicks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU spent between two points, split by who spent it, read from /proc (Linux only): this JVM's
 * threads (by name: router event loop, sandbox, broker, ...), the PostgreSQL backends of the
 * benchmark's database, the rest of PostgreSQL (WAL writer, checkpointer, other databases), and
 * everything else on the machine (other processes). Clock ticks are 1/100 s.
 */
public final class DrainCpu {

  private static final double TICK_S = 0.01;

  private final String database;
  private final Map<String, Long> threads;
  private final Map<Integer, Long> backends;
  private final long postgresOther;
  private final long[] machine;
  private final long startNanos = System.nanoTime();

  private DrainCpu(String database) {
    this.database = database;
    this.threads = threadTicks();
    this.backends = new HashMap<>();
    this.postgresOther = postgresTicks(database, backends);
    this.machine = ProcTicks.machine();
  }

  public static DrainCpu begin(String database) {
    return new DrainCpu(database);
  }

  public Split end() {
    return end(Map.of());
  }

  /**
   * As {@link #end()}, with the backends' CPU also split by the {@code application_name} of each
   * backend pid ({@code pg_stat_activity}, read by the caller just before): the router's ledger, the
   * status writer, the shared pool.
   */
  public Split end(Map<Integer, String> applicationOfPid) {
    Map<String, Long> t = threadTicks();
    Map<Integer, Long> b = new HashMap<>();
    long pgOther = postgresTicks(database, b);
    long[] m = ProcTicks.machine();
    Map<String, Long> byThread = new HashMap<>();
    t.forEach((name, ticks) -> {
      long d = ticks - threads.getOrDefault(name, 0L);
      if (d > 0) {
        byThread.merge(name.substring(name.indexOf(' ') + 1), d, Long::sum);
      }
    });
    long backendTicks = 0;
    int busyBackends = 0;
    Map<String, Long> byApplication = new HashMap<>();
    for (Map.Entry<Integer, Long> e : b.entrySet()) {
      long d = e.getValue() - backends.getOrDefault(e.getKey(), 0L);
      backendTicks += d;
      busyBackends += d > 0 ? 1 : 0;
      String app = applicationOfPid.getOrDefault(e.getKey(), "");
      byApplication.merge(app.isEmpty() ? "(shared pool and others)" : app, d, Long::sum);
    }
    return new Split((System.nanoTime() - startNanos) / 1e9, byThread, backendTicks, busyBackends,
        pgOther - postgresOther, m[0] - machine[0], m[1] - machine[1], byApplication);
  }

  public record Split(double seconds, Map<String, Long> byThread, long backendTicks, int backends, long postgresOtherTicks,
               long machineBusyTicks, long machineIdleTicks, Map<String, Long> backendsByApplication) {

    /** CPU seconds of the backends whose application_name is {@code app}. */
    double backendSeconds(String app) {
      return backendsByApplication.getOrDefault(app, 0L) * TICK_S;
    }

    public void print(long recipients) {
      long jvm = byThread.values().stream().mapToLong(Long::longValue).sum();
      long other = Math.max(0, machineBusyTicks - jvm - backendTicks - postgresOtherTicks);
      double perRcpt = recipients == 0 ? 0 : 1e6 * TICK_S / recipients;
      System.out.printf("  CPU during the drain (%.1f s wall, machine %.0f%% busy of %d cores):%n", seconds,
          100.0 * machineBusyTicks / Math.max(1, machineBusyTicks + machineIdleTicks),
          Runtime.getRuntime().availableProcessors());
      System.out.printf("    %-34s %8.1f s  %6.1f µs/recipient%n", "this JVM (router, broker, sandbox)", jvm * TICK_S,
          jvm * perRcpt);
      System.out.printf("    %-34s %8.1f s  %6.1f µs/recipient%n", "PostgreSQL backends (" + backends + " busy)",
          backendTicks * TICK_S, backendTicks * perRcpt);
      backendsByApplication.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> System.out.printf("      %-32s %8.1f s  %6.1f µs/recipient%n", e.getKey(), e.getValue() * TICK_S,
              e.getValue() * perRcpt));
      System.out.printf("    %-34s %8.1f s  %6.1f µs/recipient%n", "PostgreSQL other (WAL, bgwriter...)",
          postgresOtherTicks * TICK_S, postgresOtherTicks * perRcpt);
      System.out.printf("    %-34s %8.1f s  %6.1f µs/recipient%n", "other processes", other * TICK_S, other * perRcpt);
      Map<String, Long> groups = new HashMap<>();
      byThread.forEach((name, ticks) -> groups.merge(group(name), ticks, Long::sum));
      System.out.println("    JVM threads by group:");
      groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(14)
          .forEach(e -> System.out.printf("      %-32s %8.1f s  %6.1f µs/recipient%n", e.getKey(), e.getValue() * TICK_S,
              e.getValue() * perRcpt));
    }

    /** Thread name without its number, except event loops (the router's and the sandbox's are told apart by number). */
    private static String group(String name) {
      if (name.startsWith("vert.x-eventloop")) {
        return name;
      }
      return name.replaceAll("[-_ ]?\\d+", "#");
    }
  }

  /** utime + stime of every thread of this JVM, keyed "tid name". */
  private static Map<String, Long> threadTicks() {
    Map<String, Long> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).trim();
          out.put(task.getFileName() + " " + name, ProcTicks.ofStat(Files.readString(task.resolve("stat"))));
        } catch (IOException gone) {
          // The thread ended between listing and reading.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
  /** Ticks of postgres processes: backends of {@code database} into {@code backends} by pid; the rest returned as a sum. */
  private static long postgresTicks(String database, Map<Integer, Long> backends) {
    long other = 0;
    for (int pid : ProcTicks.pids()) {
      String cmd = ProcTicks.commandLine(pid);
      if (!cmd.startsWith("postgres")) {
        continue;
      }
      long t = ProcTicks.ofProcess(pid);
      if (cmd.contains(" " + database + " ")) {
        backends.put(pid, t);
      } else {
        other += t;
      }
    }
    return other;
  }
}
