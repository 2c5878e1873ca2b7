package dev.esprouter.bench.webhooks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.IntSupplier;

/**
 * The CPU time (not wall time) one thread spends to verify and parse a signed 1000-event SendGrid
 * body: on a machine shared with other busy processes the JMH wall-clock figures mostly measure the
 * wait for a core, while thread CPU time stays close to what the work costs.
 * {@code bench/run dev.esprouter.bench.webhooks.VerifyParseCpuCost [iterations=500]}.
 */
public final class VerifyParseCpuCost {

  private VerifyParseCpuCost() {
  }

  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    SendGridVerifyParseBenchmark b = new SendGridVerifyParseBenchmark();
    b.setup();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    report("verify", iterations, threads, () -> b.verify().accepted() ? 1 : 0);
    report("parse", iterations, threads, () -> b.parse().size());
    report("verify+parse", iterations, threads, b::verifyAndParse);
  }

  private static void report(String name, int iterations, ThreadMXBean threads, IntSupplier op) {
    long sink = 0;
    for (int i = 0; i < iterations; i++) {
      sink += op.getAsInt(); // warm-up: let the JIT compile the path first
    }
    long cpu0 = threads.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      sink += op.getAsInt();
    }
    double cpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1000.0 / iterations;
    double wallUs = (System.nanoTime() - wall0) / 1000.0 / iterations;
    System.out.printf("%-13s cpu %8.0f us/op  wall %8.0f us/op  => %7.0f events per CPU-second (sink %d)%n", name,
        cpuUs, wallUs, 1000 / (cpuUs / 1e6), sink % 10);
  }
}
