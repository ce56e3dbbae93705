package io.iotpay.protocol.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random and mutated journals: only {@link JournalException} may escape, and a scan never overruns. */
class JournalFuzzProperties {
  @Property(tries = 500)
  void randomBytes_scanOrRefuseWithTheTypedError(@ForAll @Size(max = 3000) byte[] bytes) {
    try {
      JournalFile.Scan scan = JournalFile.scan("fuzz", bytes);
      assertThat(scan.goodEnd()).isBetween(0, bytes.length);
    } catch (JournalException expected) {
      // the typed refusal is the only allowed failure
    }
  }

  @Property(tries = 500)
  void mutatedJournal_scanOrRefuseWithTheTypedError(@ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll byte value, @ForAll boolean national) {
    AlgorithmSuite suite = national ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    byte[] bytes = JournalFileTest.journal(List.of(JournalFileTest.record(1, suite), JournalFileTest.record(2, suite)));
    bytes[position % bytes.length] = value;
    try {
      JournalFile.Scan scan = JournalFile.scan("fuzz", bytes);
      assertThat(scan.records().size()).isLessThanOrEqualTo(2);
    } catch (JournalException expected) {
      // the typed refusal is the only allowed failure
    }
  }

  @Property(tries = 300)
  void randomLine_decodesOrRefusesWithTheTypedError(@ForAll @Size(max = 2100) String line) {
    try {
      JournalLine.decode(line);
    } catch (JournalException expected) {
      // the typed refusal is the only allowed failure
    }
  }
}
