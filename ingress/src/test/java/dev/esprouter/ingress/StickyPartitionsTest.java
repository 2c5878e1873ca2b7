package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Single messages stick to one partition for a run of records, then move on")
class StickyPartitionsTest {

  @Test
  @DisplayName("Consecutive records share a partition, and over time every partition takes its turn")
  void runsThenRotates() {
    StickyPartitions p = new StickyPartitions();
    List<Integer> chosen = new ArrayList<>();
    for (int i = 0; i < StickyPartitions.RUN * 6; i++) {
      chosen.add(p.next(6));
    }
    assertThat(new HashSet<>(chosen.subList(0, StickyPartitions.RUN))).hasSize(1);
    assertThat(chosen.get(StickyPartitions.RUN)).isNotEqualTo(chosen.get(0));
    assertThat(new HashSet<>(chosen)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
  }

  @Test
  @DisplayName("Without a known partition count the producer's key hashing decides")
  void unknownCount() {
    assertThat(new StickyPartitions().next(0)).isNull();
  }
}
