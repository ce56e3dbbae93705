package io.iotpay.terminal.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.protocol.transit.TransitKind;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad card data becomes a typed {@link GateException} naming where; good data parses. */
class CardDataTest {
  @Test
  void find_entersConstructedObjects_andReadsTwoByteTags() {
    byte[] fci = Hex.decode("6F0F8402A001A5099F380483019F0287010A");
    assertThat(CardData.find(fci, 0x9F38, "FCI")).isEqualTo(Hex.decode("83019F02"));
    assertThat(CardData.find(fci, 0x87, "FCI")).isEqualTo(Hex.decode("0A"));
    assertThat(CardData.find(fci, 0x5A, "FCI")).isNull();
  }

  @Test
  void find_whenALengthOverrunsTheData_throwsNamingTheOffset() {
    assertThatThrownBy(() -> CardData.find(Hex.decode("77049F270501"), 0x9F26, "GENERATE AC"))
        .isInstanceOf(GateException.class).hasMessageContaining("GENERATE AC").hasMessageContaining("offset 2");
  }

  @Test
  void require_whenTheTagHasTheWrongLength_throws() {
    assertThatThrownBy(() -> CardData.require(Hex.decode("77049F360101"), 0x9F36, 2, "GPO response"))
        .isInstanceOf(GateException.class).hasMessageContaining("9F36");
  }

  @Test
  void dol_readsTagsAndLengths_andRefusesATruncatedEntry() {
    assertThat(CardData.dol(Hex.decode("9F0206DF6001"))).containsExactly(new CardData.DolEntry(0x9F02, 6),
        new CardData.DolEntry(0xDF60, 1));
    assertThatThrownBy(() -> CardData.dol(Hex.decode("9F0206DF60"))).isInstanceOf(GateException.class)
        .hasMessageContaining("PDOL");
  }

  @Test
  void cappRecord_roundTrips_andRecognisesFreshAndForeignRecords() {
    CappRecord record = new CappRecord(CappRecord.STATE_EXITED, 1, 3, 7, LocalDateTime.of(2026, 11, 23, 8, 30, 5),
        0x0102, 1, TransitKind.EXIT, 300, new byte[] {1, 2, 3, 4});
    assertThat(CappRecord.decode(record.encode())).isEqualTo(new CappRecord.Ours(record));
    assertThat(CappRecord.decode(new byte[32])).isInstanceOf(CappRecord.Fresh.class);
    byte[] foreign = record.encode();
    foreign[14] = 0x09;
    assertThat(CappRecord.decode(foreign)).isEqualTo(new CappRecord.Foreign(CappRecord.STATE_EXITED));
  }

  @Test
  void cappRecord_withBadKindOrDate_orWrongLength_throws() {
    byte[] bytes = new CappRecord(CappRecord.STATE_ENTERED, 1, 1, 1, LocalDateTime.of(2026, 11, 23, 8, 0),
        1, 1, TransitKind.ENTRY, 500, new byte[4]).encode();
    byte[] badKind = bytes.clone();
    badKind[18] = 9;
    assertThatThrownBy(() -> CappRecord.decode(badKind)).isInstanceOf(GateException.class).hasMessageContaining("offset 18");
    byte[] badMonth = bytes.clone();
    badMonth[9] = 0x13;
    assertThatThrownBy(() -> CappRecord.decode(badMonth)).isInstanceOf(GateException.class).hasMessageContaining("date-time");
    assertThatThrownBy(() -> CappRecord.decode(new byte[31])).isInstanceOf(GateException.class).hasMessageContaining("31");
  }

  @Test
  void fareTable_zonesAndBounds() {
    FareTable fares = FareTable.line(8, 200, 100);
    assertThat(fares.fareMinor(1, 3)).isEqualTo(300);
    assertThat(fares.fareMinor(3, 1)).isEqualTo(300);
    assertThat(fares.maxFareFromMinor(1)).isEqualTo(500);
    assertThatThrownBy(() -> fares.fareMinor(1, 99)).isInstanceOf(GateException.class).hasMessageContaining("99");
    assertThatThrownBy(() -> new FareTable(List.of(new FareTable.Station(1, "A", 1)), new long[][] {{-1}}))
        .isInstanceOf(GateException.class).hasMessageContaining("negative");
  }
}
