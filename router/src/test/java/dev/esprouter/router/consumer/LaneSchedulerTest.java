package dev.esprouter.router.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Priority;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import io.vertx.kafka.client.common.TopicPartition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LaneSchedulerTest {

  private final Instant now = Instant.parse("2026-11-23T18:00:00Z");
  private final LaneScheduler scheduler = new LaneScheduler(100);
  private final Map<TopicPartition, Long> offsets = new HashMap<>();

  private void add(String topic, int partition, Priority p, String tenant, int recipients, Instant due) {
    TopicPartition tp = new TopicPartition(topic, partition);
    PartitionQueue q = scheduler.add(tp);
    long offset = offsets.merge(tp, 1L, Long::sum);
    List<Recipient> rs = new ArrayList<>();
    for (int i = 0; i < recipients; i++) {
      rs.add(new Recipient("m" + i, "a@x", null, null));
    }
    SendChunk c = new SendChunk("b", tenant, 0, 1, Channel.EMAIL, p, null, null, null, 0,
        new Content("f", null, "s", null, "t", null, null), rs, now, null);
    q.queued.add(new Pending(tp, offset, c, due));
    q.fetchedUpTo = offset;
  }

  @Test
  @DisplayName("With every lane backlogged, lanes are served 5:3:1 and low is never starved")
  void weightedLanes() {
    for (int i = 0; i < 90; i++) {
      add("send.high", 0, Priority.HIGH, "t", 1, null);
      add("send.normal", 0, Priority.NORMAL, "t", 1, null);
      add("send.low", 0, Priority.LOW, "t", 1, null);
    }
    Map<Priority, Integer> served = new EnumMap<>(Priority.class);
    for (int i = 0; i < 90; i++) {
      Pending p = scheduler.next(now);
      served.merge(p.lane(), 1, Integer::sum);
    }
    assertThat(served.get(Priority.HIGH)).isEqualTo(50);
    assertThat(served.get(Priority.NORMAL)).isEqualTo(30);
    assertThat(served.get(Priority.LOW)).isEqualTo(10);
  }

  @Test
  @DisplayName("Within a lane, another tenant's chunk goes before more of a big campaign's chunks")
  void tenantFairness() {
    for (int i = 0; i < 10; i++) {
      add("send.low", 0, Priority.LOW, "big", 500, null);
      add("send.low", 1, Priority.LOW, "big", 500, null);
    }
    scheduler.next(now);
    scheduler.next(now);
    add("send.low", 2, Priority.LOW, "small", 1, null);
    assertThat(scheduler.next(now).tenant()).isEqualTo("small");
  }

  @Test
  @DisplayName("A chunk whose time has not come is not routed, and its due time is reported for one timer")
  void due() {
    Instant later = now.plusSeconds(3);
    add("send.retry", 0, Priority.NORMAL, "t", 1, later);
    assertThat(scheduler.next(now)).isNull();
    assertThat(scheduler.nextDue(now)).isEqualTo(later);
    assertThat(scheduler.next(later)).isNotNull();
  }

  @Test
  @DisplayName("The committed offset never passes a chunk still queued or being routed")
  void commitPosition() {
    add("send.low", 0, Priority.LOW, "t", 1, null);
    add("send.low", 0, Priority.LOW, "t", 1, null);
    add("send.low", 0, Priority.LOW, "t", 1, null);
    PartitionQueue q = scheduler.partition(new TopicPartition("send.low", 0));
    Pending first = scheduler.next(now);
    Pending second = scheduler.next(now);
    assertThat(q.commitPosition()).isEqualTo(first.offset());
    q.inFlight.remove(second.offset());
    assertThat(q.commitPosition()).isEqualTo(first.offset());
    q.inFlight.remove(first.offset());
    assertThat(q.commitPosition()).isEqualTo(3);
    scheduler.next(now);
    assertThat(q.inFlight).containsExactly(3L);
  }

  @Test
  @DisplayName("In the reserved slots only the high lane is served; the other lanes wait without losing their turn")
  void reservedForHigh() {
    add("send.low", 0, Priority.LOW, "t", 500, null);
    add("send.normal", 0, Priority.NORMAL, "t", 500, null);
    assertThat(scheduler.next(now, true)).isNull();
    add("send.high", 0, Priority.HIGH, "t", 1, null);
    assertThat(scheduler.next(now, true).lane()).isEqualTo(Priority.HIGH);
    assertThat(scheduler.next(now, true)).isNull();
    assertThat(scheduler.next(now, false).lane()).isEqualTo(Priority.NORMAL);
    assertThat(scheduler.next(now, false).lane()).isEqualTo(Priority.LOW);
  }
}
