package dev.esprouter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time read from Linux's /proc, in clock ticks (1/100 s), for the benchmarks that split a run's
 * CPU between this JVM's threads, PostgreSQL and the rest of the machine. One place for the format
 * of {@code /proc/<pid>/stat}, {@code /proc/self/task/<tid>/stat} and {@code /proc/stat}.
 */
public final class ProcTicks {

  /** USER_HZ, the unit of every tick count here. */
  public static final double PER_SECOND = 100.0;

  private ProcTicks() {
  }

  /** utime + stime of one {@code stat} line (fields after the command name, which may hold spaces and ')'). */
  public static long ofStat(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** utime + stime of one process; 0 if it is gone or unreadable. */
  public static long ofProcess(int pid) {
    try {
      return ofStat(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }

  /** The process ids listed in /proc now. */
  public static List<Integer> pids() {
    List<Integer> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/proc"))) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
          .forEach(n -> out.add(Integer.parseInt(n)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return out;
  }

  /** The command line of a process with its NULs as spaces; empty if it is gone. */
  public static String commandLine(int pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }

  /** utime + stime of every process named {@code postgres} (server, backends, WAL writer, ...). */
  public static long postgresTotal() {
    long sum = 0;
    for (int pid : pids()) {
      try {
        if (Files.readString(Path.of("/proc/" + pid + "/comm")).trim().equals("postgres")) {
          sum += ofProcess(pid);
        }
      } catch (IOException gone) {
        // The process ended while we looked.
      }
    }
    return sum;
  }

  /**
   * {busy, idle} ticks of the whole machine from the first line of /proc/stat: idle is idle + iowait,
   * busy is user, nice, system, irq and softirq (steal and guest time are not this machine's work).
   */
  public static long[] machine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 7; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return new long[] {busy, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat", e);
    }
  }
}
