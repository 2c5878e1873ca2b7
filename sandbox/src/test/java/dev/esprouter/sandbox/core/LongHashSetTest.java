package dev.esprouter.sandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LongHashSet")
class LongHashSetTest {

  @Test
  @DisplayName("adds each value once, finds it again after growing, and treats zero like any value")
  void addsOnce() {
    LongHashSet set = new LongHashSet();
    for (long i = 1; i <= 100_000; i++) {
      assertThat(set.add(Hashing.mix(i))).isTrue();
    }
    assertThat(set.size()).isEqualTo(100_000);
    for (long i = 1; i <= 100_000; i++) {
      assertThat(set.add(Hashing.mix(i))).isFalse();
      assertThat(set.contains(Hashing.mix(i))).isTrue();
    }
    assertThat(set.contains(Hashing.mix(100_001L))).isFalse();
    assertThat(set.add(0)).isTrue();
    assertThat(set.add(0)).isFalse();
  }

  @Test
  @DisplayName("clear empties it")
  void clears() {
    LongHashSet set = new LongHashSet();
    set.add(7);
    set.clear();
    assertThat(set.size()).isZero();
    assertThat(set.contains(7)).isFalse();
  }
}
