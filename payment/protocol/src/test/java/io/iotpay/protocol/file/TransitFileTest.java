package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitFileTest {
  private static final FileLimits LIMITS = FileLimits.defaults();

  static byte[] write(List<TransitRecord> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TransitFileWriter.writeAll(out, Records.header(FileKind.OFFLINE, records), records);
    return out.toByteArray();
  }

  static List<TransitRecord> read(byte[] file) {
    return TransitFileReader.readAll(new ByteArrayInputStream(file), FileKind.OFFLINE, LIMITS);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Replaces the trailer with a correct checksum over the (edited) content before it. */
  static byte[] resealed(String withoutTrailer) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes(withoutTrailer));
    return bytes(withoutTrailer + "T|" + HexFormat.of().withUpperCase().formatHex(digest) + "\n");
  }

  static String body(byte[] file) {
    String text = text(file);
    return text.substring(0, text.lastIndexOf("T|"));
  }

  @Test
  void layout_matchesTheDocumentedDefinition() {
    byte[] file = write(List.of(Records.exit("G1", 7, "621234567890123", 42, 350)));
    String[] lines = text(file).split("\n");
    // expected lines written by hand from docs/clearing-files.md §2-§3; the Luhn digit (2) and the epoch
    // seconds of 2026-11-20T08:15:30Z (1795162530) were computed with Python, independently of this code
    assertThat(lines[0]).isEqualTo("H|IOTPAY-FILE|1|OFFLINE|METRO-A|SWITCH|2026-11-20|1|1|CNY|350");
    assertThat(lines[1]).isEqualTo("R|G1|7|METRO-A|ST01|EXIT|6212345678901232|1|NATIONAL|42|350|4650|"
        + "1795162530.123456789|2026-11-20|010203FF|A001020304050607|0");
    assertThat(lines).hasSize(3);
    assertThat(lines[2]).startsWith("T|").hasSize(2 + 64);
  }

  @Test
  void trailer_isTheSha256OfEverythingBeforeIt_computedIndependently() throws Exception {
    byte[] file = write(Records.random(1, 20));
    String content = body(file);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(bytes(content));
    assertThat(text(file)).endsWith("T|" + HexFormat.of().withUpperCase().formatHex(expected) + "\n");
  }

  @Test
  void writeThenRead_givesTheSameRecords() {
    List<TransitRecord> records = Records.random(2, 500);
    assertThat(read(write(records))).containsExactlyElementsOf(records);
  }

  @Test
  void clearingFile_roundTrips() {
    List<TransitRecord> records = Records.random(3, 10);
    ClearingFile file = new ClearingFile(io.iotpay.protocol.PartyId.of("ISSUER-1"), Records.DAY, 4, records);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TransitFileWriter.writeClearingFile(out, Records.SWITCH, CurrencyUnit.CNY, file);
    assertThat(TransitFileReader.readClearingFile(new ByteArrayInputStream(out.toByteArray()), LIMITS)).isEqualTo(file);
  }

  @Test
  void badChecksum_isRefused() {
    byte[] file = write(Records.random(4, 5));
    int at = text(file).indexOf("|EXIT|") > 0 ? text(file).indexOf("R|") + 2 : 60;
    file[at] = (byte) (file[at] == 'Z' ? 'Y' : 'Z');
    assertThatThrownBy(() -> read(file)).isInstanceOf(ProtocolException.class).hasMessageContaining("checksum");
  }

  @Test
  void truncatedFile_isRefusedNamingTheLine() {
    byte[] file = write(Records.random(5, 5));
    String text = body(file);
    assertThatThrownBy(() -> read(bytes(text))).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("line 7").hasMessageContaining("truncated");
    String cut = text.substring(0, text.length() - 10);
    assertThatThrownBy(() -> read(bytes(cut))).isInstanceOf(ProtocolException.class).hasMessageContaining("truncated");
  }

  @Test
  void countInHeaderLargerThanRecords_isRefused() throws Exception {
    List<TransitRecord> records = Records.random(6, 3);
    String content = body(write(records)).replaceFirst("\\|1\\|3\\|CNY\\|", "|1|4|CNY|");
    assertThatThrownBy(() -> read(resealed(content))).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("announces 4 records, the file has 3");
  }

  @Test
  void countInHeaderSmallerThanRecords_isRefused() throws Exception {
    List<TransitRecord> records = Records.random(7, 3);
    String content = body(write(records)).replaceFirst("\\|1\\|3\\|CNY\\|", "|1|2|CNY|");
    assertThatThrownBy(() -> read(resealed(content))).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("line 4").hasMessageContaining("more records than the header's count 2");
  }

  @Test
  void totalThatDoesNotMatchTheFares_isRefused() throws Exception {
    List<TransitRecord> records = List.of(Records.exit("G1", 1, "621234567890123", 1, 300));
    String content = body(write(records)).replace("|CNY|300\n", "|CNY|301\n");
    assertThatThrownBy(() -> read(resealed(content))).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("total 301 does not match the records' fares 300");
  }

  @Test
  void otherVersion_isRefused() throws Exception {
    String content = body(write(Records.random(8, 2))).replaceFirst("IOTPAY-FILE\\|1\\|", "IOTPAY-FILE|2|");
    assertThatThrownBy(() -> read(resealed(content))).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("line 1, field 'version': format version 2 is not supported");
  }

  @Test
  void otherKind_isRefused() {
    List<TransitRecord> records = Records.random(9, 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TransitFileWriter.writeAll(out, Records.header(FileKind.CLEARING, records), records);
    assertThatThrownBy(() -> read(out.toByteArray())).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("field 'kind': a CLEARING file, expected OFFLINE");
  }

  @Test
  void malformedRecord_namesLineAndField_andTheReaderGoesOn() throws Exception {
    List<TransitRecord> records = List.of(Records.exit("G1", 1, "621234567890123", 1, 300),
        Records.exit("G1", 2, "621234567890124", 2, 200));
    String content = body(write(records)).replace("|6212345678901232|", "|6212345678901233|");
    TransitFileReader reader = TransitFileReader.open(new ByteArrayInputStream(resealed(content)), FileKind.OFFLINE, LIMITS);
    assertThat(reader.next()).isTrue();
    assertThatThrownBy(reader::record).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("line 2, field 'PAN'").hasMessageContaining("Luhn");
    assertThat(reader.next()).isTrue();
    assertThat(reader.record()).isEqualTo(records.get(1));
    assertThat(reader.next()).isFalse();
  }

  @Test
  void overlongLine_isRefusedWithoutReadingIt() {
    byte[] file = write(Records.random(10, 3));
    FileLimits tight = new FileLimits(200, 10);
    assertThatThrownBy(() -> TransitFileReader.readAll(new ByteArrayInputStream(file), FileKind.OFFLINE, tight))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("longer than 200 bytes");
  }

  @Test
  void recordCountAboveTheLimit_isRefusedAtTheHeader() {
    byte[] file = write(Records.random(11, 3));
    FileLimits tight = new FileLimits(1024, 2);
    assertThatThrownBy(() -> TransitFileReader.readAll(new ByteArrayInputStream(file), FileKind.OFFLINE, tight))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("line 1, field 'record count': 3 exceeds the limit 2");
  }

  @Test
  void dataAfterTheTrailer_isRefused() {
    byte[] file = write(Records.random(12, 1));
    byte[] longer = bytes(text(file) + "R|X\n");
    assertThatThrownBy(() -> read(longer)).isInstanceOf(ProtocolException.class).hasMessageContaining("after the trailer");
  }

  @Test
  void emptyInput_isRefused() {
    assertThatThrownBy(() -> read(new byte[0])).isInstanceOf(ProtocolException.class).hasMessageContaining("empty");
  }

  @Test
  void writer_refusesRecordsThatDoNotMatchItsHeader() {
    List<TransitRecord> records = Records.random(13, 2);
    TransitFileWriter writer = TransitFileWriter.open(new ByteArrayOutputStream(), Records.header(FileKind.OFFLINE, records));
    writer.append(records.get(0));
    assertThatThrownBy(writer::finish).isInstanceOf(ProtocolException.class).hasMessageContaining("appended 1");
  }
}
