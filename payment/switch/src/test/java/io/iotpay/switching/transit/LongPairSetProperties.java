package io.iotpay.switching.transit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The seen-record set against java.util.HashSet, including mark / rollback across growth and collisions. */
class LongPairSetProperties {
  @Property(tries = 200)
  void rollback_restoresExactlyTheMarkedSet(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3000) int before,
      @ForAll @IntRange(min = 0, max = 5000) int after, @ForAll @IntRange(min = 1, max = 64) int spread) {
    Random random = new Random(seed);
    LongPairSet set = new LongPairSet();
    Set<List<Long>> model = new HashSet<>();
    // a small key space (spread) forces repeats and long probe runs
    for (int i = 0; i < before; i++) {
      long high = random.nextInt(spread * 100);
      long low = random.nextInt(spread);
      assertThat(set.add(high, low)).isEqualTo(model.add(List.of(high, low)));
    }
    Set<List<Long>> marked = Set.copyOf(model);
    set.mark();
    set.reserve(random.nextInt(2 * after + 1)); // sometimes more room than needed, sometimes less
    for (int i = 0; i < after; i++) {
      long high = random.nextInt(spread * 200);
      long low = random.nextInt(spread);
      assertThat(set.add(high, low)).isEqualTo(model.add(List.of(high, low)));
    }
    set.rollback();
    assertThat(set.size()).isEqualTo(marked.size());
    for (List<Long> pair : model) { // every pair ever added: present exactly when it was there at the mark
      assertThat(set.contains(pair.get(0), pair.get(1))).as("%s", pair).isEqualTo(marked.contains(pair));
    }
    // still a working set afterwards
    assertThat(set.add(-1, -1)).isTrue();
    assertThat(set.contains(-1, -1)).isTrue();
  }

  @Property(tries = 50)
  void commit_keepsTheAdditions(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2000) int count) {
    Random random = new Random(seed);
    LongPairSet set = new LongPairSet();
    set.mark();
    Set<List<Long>> model = new HashSet<>();
    for (int i = 0; i < count; i++) {
      long high = random.nextLong();
      long low = random.nextInt(4);
      set.add(high, low);
      model.add(List.of(high, low));
    }
    set.commit();
    assertThat(set.size()).isEqualTo(model.size());
    model.forEach(pair -> assertThat(set.contains(pair.get(0), pair.get(1))).isTrue());
  }
}
