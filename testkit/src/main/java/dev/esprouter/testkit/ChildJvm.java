package dev.esprouter.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a JVM of its own, for crash tests: {@link #kill9()} is a {@code kill -9}
 * (no shutdown hook, nothing flushed), {@link #terminate(long)} a SIGTERM and the exit code. The
 * child gets this JVM's classpath and exactly the environment given (plus PATH and HOME), its
 * output in {@code log}. Closing kills it if it still runs, so a failed test leaves no process.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;

  private ChildJvm(Process process) {
    this.process = process;
  }

  public static ChildJvm start(Class<?> main, Map<String, String> env, Path log, String... jvmArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    pb.environment().putAll(env);
    return new ChildJvm(pb.redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Process process() {
    return process;
  }

  /** SIGKILL, then waits for the process to be gone; returns its exit code (137 on Linux). */
  public int kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("process " + pid() + " still alive 10 s after SIGKILL");
    }
    return process.exitValue();
  }

  /** SIGTERM, then waits up to {@code timeoutMs} for the exit code; kills it and fails past that. */
  public int terminate(long timeoutMs) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      kill9();
      throw new AssertionError("process " + pid() + " did not exit within " + timeoutMs + " ms of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }
}
