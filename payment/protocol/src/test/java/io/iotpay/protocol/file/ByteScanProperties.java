package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The word-at-a-time search against a plain loop: any bytes (high bit set included), any bounds. */
class ByteScanProperties {
  @Property(tries = 2000)
  void indexOf_isTheFirstOccurrence(@ForAll @Size(max = 80) byte[] bytes, @ForAll byte wanted,
      @ForAll @IntRange(min = 0, max = 80) int from, @ForAll @IntRange(min = 0, max = 80) int to) {
    int start = Math.min(from, bytes.length);
    int end = Math.max(start, Math.min(to, bytes.length));
    // plant the byte sometimes, so hits and misses both occur
    if (bytes.length > 0 && (from + to) % 3 == 0) {
      bytes[(from * 31 + to) % bytes.length] = wanted;
    }
    int expected = -1;
    for (int i = start; i < end; i++) {
      if (bytes[i] == wanted) {
        expected = i;
        break;
      }
    }
    assertThat(ByteScan.indexOf(bytes, start, end, wanted)).isEqualTo(expected);
  }
}
