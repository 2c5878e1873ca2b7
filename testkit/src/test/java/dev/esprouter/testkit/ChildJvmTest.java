package dev.esprouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ChildJvm: a main class in its own JVM, killed -9 or terminated")
class ChildJvmTest {

  /** Says it started, runs until stopped; a shutdown hook marks an orderly stop. */
  public static final class Sleeper {
    public static void main(String[] args) throws Exception {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
      System.out.println("started with " + System.getenv("CHILD_MARK"));
      System.out.flush();
      Thread.sleep(600_000);
    }
  }

  private static void awaitLine(Path log, String line) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!Files.readString(log).contains(line)) {
      assertThat(System.currentTimeMillis()).as("waiting for '" + line + "'").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  @DisplayName("kill -9: exit 137 and no shutdown hook; SIGTERM: the hook runs, exit 143; env is passed")
  void killAndTerminate() throws Exception {
    Path log = Files.createTempFile("child-jvm", ".log");
    try (ChildJvm child = ChildJvm.start(Sleeper.class, Map.of("CHILD_MARK", "m1"), log, "-Xmx64m")) {
      awaitLine(log, "started with m1");
      assertThat(child.kill9()).isEqualTo(137);
      assertThat(child.isAlive()).isFalse();
      assertThat(Files.readString(log)).doesNotContain("hook ran");
    }
    Path log2 = Files.createTempFile("child-jvm", ".log");
    try (ChildJvm child = ChildJvm.start(Sleeper.class, Map.of("CHILD_MARK", "m2"), log2, "-Xmx64m")) {
      awaitLine(log2, "started with m2");
      assertThat(child.terminate(10_000)).isEqualTo(143);
      assertThat(Files.readString(log2)).contains("hook ran");
    }
  }
}
