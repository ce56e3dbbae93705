package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusWordTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // ISO/IEC 7816-4 §5.1.3 Tables 5 and 6
    "9000, OK, NORMAL",
    "6110, BYTES_AVAILABLE, NORMAL",
    "6282, END_REACHED, WARNING",
    "6283, FILE_INVALIDATED, WARNING",
    "6300, STATE_CHANGED_NO_INFORMATION, WARNING",
    "63C2, VERIFY_FAILED_RETRIES, WARNING",
    "6581, MEMORY_FAILURE, EXECUTION_ERROR",
    "6700, WRONG_LENGTH, CHECKING_ERROR",
    "6982, SECURITY_NOT_SATISFIED, CHECKING_ERROR",
    "6983, AUTHENTICATION_BLOCKED, CHECKING_ERROR",
    "6984, REFERENCE_DATA_NOT_USABLE, CHECKING_ERROR",
    "6985, CONDITIONS_NOT_SATISFIED, CHECKING_ERROR",
    "6A80, WRONG_DATA, CHECKING_ERROR",
    "6A81, FUNCTION_NOT_SUPPORTED, CHECKING_ERROR",
    "6A82, FILE_NOT_FOUND, CHECKING_ERROR",
    "6A83, RECORD_NOT_FOUND, CHECKING_ERROR",
    "6A86, WRONG_P1_P2, CHECKING_ERROR",
    "6A88, REFERENCED_DATA_NOT_FOUND, CHECKING_ERROR",
    "6B00, WRONG_PARAMETERS, CHECKING_ERROR",
    "6C20, WRONG_LE, CHECKING_ERROR",
    "6D00, INS_NOT_SUPPORTED, CHECKING_ERROR",
    "6E00, CLA_NOT_SUPPORTED, CHECKING_ERROR",
    "6F00, NO_PRECISE_DIAGNOSIS, CHECKING_ERROR",
    "6310, WARNING_CHANGED, WARNING",
    "6A99, WRONG_PARAMETERS_OTHER, CHECKING_ERROR",
    "9F10, PROPRIETARY, NORMAL"
  })
  void lookup_findsTheRowAndItsCategory(String hex, StatusWord row, StatusWord.Category category) {
    int sw = Integer.parseInt(hex, 16);
    assertThat(StatusWord.lookup(sw)).contains(row);
    assertThat(row.category()).isEqualTo(category);
    assertThat(StatusWord.describe(sw)).startsWith(hex + " " + row.meaning());
  }

  @Test
  void qualifier_givesRetriesAndExpectedLength() {
    assertThat(StatusWord.VERIFY_FAILED_RETRIES.qualifier(0x63C2)).isEqualTo(2);
    assertThat(StatusWord.WRONG_LE.qualifier(0x6C20)).isEqualTo(0x20);
    assertThat(StatusWord.OK.qualifier(0x9000)).isZero();
  }

  @Test
  void unlistedStatus_isEmpty() {
    assertThat(StatusWord.lookup(0x6B01)).isEmpty();
    assertThat(StatusWord.describe(0x6B01)).isEqualTo("6B01 unknown status word");
  }

  @Test
  void everyRow_isReachable_noEarlierRowShadowsItCompletely() {
    for (StatusWord row : StatusWord.values()) {
      int withFreeBitsClear = row.value();
      int withFreeBitsSet = row.value() | (~row.mask() & 0xFFFF);
      assertThat(java.util.stream.Stream.of(withFreeBitsClear, withFreeBitsSet).map(StatusWord::lookup).toList())
          .as("row %s", row)
          .anySatisfy(found -> assertThat(found).contains(row));
    }
  }
}
