package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Concurrent small statements are grouped while one is running")
class CoalescerTest {

  @Test
  @DisplayName("The first item goes out alone at once; those that arrive meanwhile go out together when it returns")
  void groups() {
    List<List<Integer>> calls = new ArrayList<>();
    List<Promise<List<String>>> pending = new ArrayList<>();
    Coalescer<Integer, String> c = new Coalescer<>(1, 100, items -> {
      calls.add(items);
      Promise<List<String>> p = Promise.promise();
      pending.add(p);
      return p.future();
    });
    Future<String> first = c.add(1);
    List<Future<String>> later = List.of(c.add(2), c.add(3), c.add(4));
    assertThat(calls).containsExactly(List.of(1));

    pending.get(0).complete(List.of("one"));
    assertThat(first.result()).isEqualTo("one");
    assertThat(calls).containsExactly(List.of(1), List.of(2, 3, 4));

    pending.get(1).complete(List.of("two", "three", "four"));
    assertThat(later.stream().map(Future::result).toList()).containsExactly("two", "three", "four");
  }

  @Test
  @DisplayName("A failed statement fails every item it carried")
  void failure() {
    Coalescer<Integer, String> c = new Coalescer<>(2, 100, items -> Future.failedFuture(new IllegalStateException("db down")));
    Future<String> f = c.add(1);
    assertThat(f.failed()).isTrue();
    assertThat(f.cause()).hasMessage("db down");
  }

  @Test
  @DisplayName("With a linger, an item waits for company before going out, even with a statement slot free")
  void linger() {
    List<List<Integer>> calls = new ArrayList<>();
    List<Runnable> timers = new ArrayList<>();
    Coalescer<Integer, String> c = new Coalescer<>(1, 100, timers::add, items -> {
      calls.add(items);
      return Future.succeededFuture(items.stream().map(i -> "r" + i).toList());
    });
    Future<String> a = c.add(1);
    Future<String> b = c.add(2);
    assertThat(calls).as("nothing before the linger ends").isEmpty();
    assertThat(timers).as("one timer for the group").hasSize(1);

    timers.get(0).run();
    assertThat(calls).containsExactly(List.of(1, 2));
    assertThat(List.of(a.result(), b.result())).containsExactly("r1", "r2");
  }
}
