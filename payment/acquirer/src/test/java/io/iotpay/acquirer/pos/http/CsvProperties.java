package io.iotpay.acquirer.pos.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The export's fields: any text reads back as itself (or neutralised), never as a formula, never splits the record. */
class CsvProperties {
  @Property(tries = 5000)
  void anyFields_readBackAsOneRecord_neverAFormula(@ForAll String a, @ForAll String b, @ForAll String c) {
    List<List<String>> records = CsvRecords.parse(Csv.record(Csv.text(a), Csv.text(b), Csv.text(c)));
    assertThat(records).hasSize(1);
    List<String> back = records.get(0);
    assertThat(back).hasSize(3);
    List<String> in = List.of(a, b, c);
    for (int i = 0; i < 3; i++) {
      String original = in.get(i);
      boolean risky = !original.isEmpty() && "=+-@\t\r".indexOf(original.charAt(0)) >= 0;
      assertThat(back.get(i)).isEqualTo(risky ? "'" + original : original);
      assertThat(back.get(i)).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-").doesNotStartWith("@");
    }
  }

  @Example
  void knownShapes() {
    assertThat(Csv.text("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    assertThat(Csv.text("+1")).isEqualTo("'+1");
    assertThat(Csv.text("-2")).isEqualTo("'-2");
    assertThat(Csv.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(Csv.text("a,b")).isEqualTo("\"a,b\"");
    assertThat(Csv.text("line\nbreak")).isEqualTo("\"line\nbreak\"");
    assertThat(Csv.text("621234******1232")).isEqualTo("621234******1232");
    assertThat(Csv.text(null)).isEmpty();
    assertThat(Csv.record("a", "b")).isEqualTo("a,b\r\n");
  }
}
