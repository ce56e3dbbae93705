package io.iotpay.foundation.custody;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CardKeyCacheTest {
  @Test
  void eviction_zeroisesTheEvictedKey_andKeepsTheBound() {
    CardKeyCache cache = new CardKeyCache(2);
    byte[] first = {1, 2, 3, 4};
    byte[] second = {5, 6, 7, 8};
    byte[] third = {9, 10, 11, 12};
    cache.put("a", first);
    cache.put("b", second);
    assertThat(cache.get("a")).isSameAs(first); // "a" is now the most recently used

    cache.put("c", third);

    assertThat(second).containsOnly(0);
    assertThat(first).containsExactly(1, 2, 3, 4);
    assertThat(cache.get("b")).isNull();
    assertThat(cache.stats()).isEqualTo(new CardKeyCacheStats(2, 2, 1, 1, 1));
  }

  @Test
  void boundZero_derivesPerUse_andZeroisesAtOnce() {
    CardKeyCache cache = new CardKeyCache(0);
    byte[] key = {1, 2, 3};

    cache.put("a", key);

    assertThat(key).containsOnly(0);
    assertThat(cache.stats().size()).isZero();
  }

  @Test
  void clear_zeroisesEverything() {
    CardKeyCache cache = new CardKeyCache(4);
    byte[] key = {7, 7};
    cache.put("imk#v1|pan|0", key);

    cache.clear();

    assertThat(key).containsOnly(0);
  }
}
