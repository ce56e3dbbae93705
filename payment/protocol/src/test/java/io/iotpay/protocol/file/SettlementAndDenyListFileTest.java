package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.protocol.ProtocolException;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class SettlementAndDenyListFileTest {
  private static SettlementReportFile.Read settlement(String withoutTrailer) throws Exception {
    return SettlementReportFile.read(new ByteArrayInputStream(TransitFileTest.resealed(withoutTrailer)),
        FileLimits.defaults());
  }

  private static DenyListFile.Read denyList(String withoutTrailer) throws Exception {
    return DenyListFile.read(new ByteArrayInputStream(TransitFileTest.resealed(withoutTrailer)), FileLimits.defaults());
  }

  @Test
  void settlement_handWrittenFile_isRead() throws Exception {
    // written by hand from docs/clearing-files.md §2 and §4
    SettlementReportFile.Read read = settlement("H|IOTPAY-FILE|1|SETTLEMENT|SWITCH|METRO-A|2026-11-20|1|3|CNY|800\n"
        + "S|5\nP|ISSUER-A|-800\nP|METRO-A|800\n");
    assertThat(read.report().recordsSettled()).isEqualTo(5);
    assertThat(read.report().positions()).hasSize(2);
    assertThat(read.report().positions().get(0).net().amountMinor()).isEqualTo(-800);
  }

  @Test
  void settlement_positionsNotSummingToZero_areRefused() {
    assertThatThrownBy(() -> settlement("H|IOTPAY-FILE|1|SETTLEMENT|SWITCH|METRO-A|2026-11-20|1|3|CNY|800\n"
        + "S|5\nP|ISSUER-A|-700\nP|METRO-A|800\n")).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("sum to");
  }

  @Test
  void settlement_grossNotMatchingTheHeader_isRefused() {
    assertThatThrownBy(() -> settlement("H|IOTPAY-FILE|1|SETTLEMENT|SWITCH|METRO-A|2026-11-20|1|3|CNY|900\n"
        + "S|5\nP|ISSUER-A|-800\nP|METRO-A|800\n")).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("header total 900");
  }

  @Test
  void settlement_repeatedParty_isRefused() {
    assertThatThrownBy(() -> settlement("H|IOTPAY-FILE|1|SETTLEMENT|SWITCH|METRO-A|2026-11-20|1|3|CNY|800\n"
        + "S|5\nP|METRO-A|-800\nP|METRO-A|800\n")).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("appears twice");
  }

  @Test
  void denyList_handWrittenFile_isRead_andOutOfOrderPansAreRefused() throws Exception {
    // 6212345678901232: Luhn digit computed with Python, independently of this code
    DenyListFile.Read read = denyList("H|IOTPAY-FILE|1|DENYLIST|ISSUER-A|METRO-A|2026-11-20|7|1|CNY|0\n"
        + "D|6212345678901232\n");
    assertThat(read.denyList().version()).isEqualTo(7);
    assertThat(read.denyList().pans()).hasSize(1);
    assertThatThrownBy(() -> denyList("H|IOTPAY-FILE|1|DENYLIST|ISSUER-A|METRO-A|2026-11-20|7|2|CNY|0\n"
        + "D|6212345678901232\nD|6212345678901232\n")).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("line 3, field 'PAN': not in strictly ascending order");
    assertThatThrownBy(() -> denyList("H|IOTPAY-FILE|1|DENYLIST|ISSUER-A|METRO-A|2026-11-20|7|1|CNY|0\n"
        + "D|6212345678901233\n")).isInstanceOf(ProtocolException.class).hasMessageContaining("line 2, field 'PAN'");
  }
}
