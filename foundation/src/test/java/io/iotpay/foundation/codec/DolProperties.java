package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class DolProperties {
  @Property(tries = 3000)
  void parse_ofRandomBytes_givesDolOrTlvException(@ForAll @Size(max = 48) byte[] bytes) {
    try {
      Dol dol = Dol.parse(bytes);
      assertThat(dol.encode()).isEqualTo(bytes);
      assertThat(dol.build(tag -> Optional.empty())).isEqualTo(new byte[dol.dataLength()]);
    } catch (TlvException expected) {
      assertThat(expected.getMessage()).startsWith("tlv: ");
    }
  }

  @Property(tries = 1000)
  void fit_alwaysGivesTheAskedLength(
      @ForAll @Size(max = 20) byte[] value, @ForAll @IntRange(max = 20) int length, @ForAll DataFormat format) {
    byte[] fitted = Dol.fit(value, length, format);
    assertThat(fitted).hasSize(length);
    int kept = Math.min(length, value.length);
    if (format == DataFormat.N) {
      // Right-justified: the value's last bytes are the result's last bytes.
      assertThat(java.util.Arrays.copyOfRange(fitted, length - kept, length))
          .isEqualTo(java.util.Arrays.copyOfRange(value, value.length - kept, value.length));
    } else {
      assertThat(java.util.Arrays.copyOf(fitted, kept)).isEqualTo(java.util.Arrays.copyOf(value, kept));
    }
  }
}
