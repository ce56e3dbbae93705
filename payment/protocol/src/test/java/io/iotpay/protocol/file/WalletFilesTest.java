package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wallet day file and list round-trip; malformed or inconsistent ones are refused with a ProtocolException. */
class WalletFilesTest {
  private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

  private static byte[] debit(int offline) {
    byte[] d = new byte[51];
    d[0] = 0x21;
    d[16] = (byte) offline;
    return d;
  }

  @Test
  void dayFileRoundTrips_andADamagedLineIsRefused() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WalletDayFile.write(out, new PartyId("WPOS-1"), new PartyId("WISSUER"), DAY, 1, CurrencyUnit.CNY,
        List.of(new WalletDayFile.Purchase(debit(7), new byte[8], new byte[70], 1, new byte[70]),
            new WalletDayFile.Purchase(debit(5), new byte[8], new byte[71], 2, new byte[72])));
    WalletDayFile.Read read = WalletDayFile.read(new ByteArrayInputStream(out.toByteArray()), FileLimits.defaults());
    assertThat(read.header().totalMinor()).isEqualTo(12);
    assertThat(read.purchases()).hasSize(2);
    assertThat(read.purchases().get(1).psamSequence()).isEqualTo(2);

    String text = out.toString(StandardCharsets.US_ASCII);
    assertThat(text).contains("2100000000");
    String notADebit = text.replaceFirst("2100000000", "2200000000");
    assertThatThrownBy(() -> WalletDayFile.read(new ByteArrayInputStream(notADebit.getBytes(StandardCharsets.US_ASCII)),
        FileLimits.defaults())).isInstanceOf(ProtocolException.class);
  }

  @Test
  void dayFileCarriesEachPurchasesTac_andATacThatIsNot8BytesIsRefused() {
    byte[] tac = {1, 2, 3, 4, 5, 6, 7, 8};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WalletDayFile.write(out, new PartyId("WPOS-1"), new PartyId("WISSUER"), DAY, 1, CurrencyUnit.CNY,
        List.of(new WalletDayFile.Purchase(debit(7), tac, new byte[70], 1, new byte[70])));
    assertThat(WalletDayFile.read(new ByteArrayInputStream(out.toByteArray()), FileLimits.defaults()).purchases()
        .get(0).tac()).isEqualTo(tac);

    ByteArrayOutputStream shortTac = new ByteArrayOutputStream();
    WalletDayFile.write(shortTac, new PartyId("WPOS-1"), new PartyId("WISSUER"), DAY, 1, CurrencyUnit.CNY,
        List.of(new WalletDayFile.Purchase(debit(7), new byte[7], new byte[70], 1, new byte[70])));
    assertThatThrownBy(() -> WalletDayFile.read(new ByteArrayInputStream(shortTac.toByteArray()), FileLimits.defaults()))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("TAC");
  }

  @Test
  void listRoundTrips_andAnAllowLineWithAFailedOutcomeIsRefused() {
    byte[] card = {0x62, 0x10, 0, 0, 0, 0, 0, 1};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WalletListFile.write(out, new PartyId("WISSUER"), new PartyId("WPOS-ALL"), DAY, 3, CurrencyUnit.CNY,
        List.of(new WalletListFile.Entry('A', card, 4, 150, 1, new byte[70]),
            new WalletListFile.Entry('D', card, 5, 90, 3, new byte[71]),
            new WalletListFile.Entry('B', card, 0, 0, 0, new byte[0])));
    WalletListFile.Read read = WalletListFile.read(new ByteArrayInputStream(out.toByteArray()), FileLimits.defaults());
    assertThat(read.header().sequence()).isEqualTo(3);
    assertThat(read.entries()).extracting(WalletListFile.Entry::kind).containsExactly('A', 'D', 'B');
    assertThat(read.entries().get(1).outcome()).isEqualTo(3);

    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    WalletListFile.write(bad, new PartyId("WISSUER"), new PartyId("WPOS-ALL"), DAY, 3, CurrencyUnit.CNY,
        List.of(new WalletListFile.Entry('A', card, 4, 150, 2, new byte[70])));
    assertThatThrownBy(() -> WalletListFile.read(new ByteArrayInputStream(bad.toByteArray()), FileLimits.defaults()))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("outcome");
  }

  @Test
  void ratingLinesAndConfirmationLinesRoundTrip_andMalformedOnesAreRefused() {
    byte[] card = {0x62, 0x10, 0, 0, 0, 0, 0, 1};
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    WalletListFile.write(list, new PartyId("WISSUER"), new PartyId("WPOS-ALL"), DAY, 4, CurrencyUnit.CNY,
        List.of(new WalletListFile.Entry('B', card, 0, 0, 0, new byte[0])),
        List.of(new WalletListFile.Rating(card, 20_500, 4, 10_000, 0x0F, new byte[8])));
    WalletListFile.Read read = WalletListFile.read(new ByteArrayInputStream(list.toByteArray()), FileLimits.defaults());
    assertThat(read.header().recordCount()).isEqualTo(2);
    assertThat(read.entries()).hasSize(1);
    assertThat(read.ratings()).singleElement().satisfies(r -> {
      assertThat(r.cardId()).isEqualTo(card);
      assertThat(r.version()).isEqualTo(20_500);
      assertThat(r.band()).isEqualTo(4);
      assertThat(r.allowanceMinor()).isEqualTo(10_000);
      assertThat(r.splitKinds()).isEqualTo(0x0F);
    });
    String text = list.toString(StandardCharsets.US_ASCII);
    String kindsOutOfRange = text.replace("|10000|15|", "|10000|256|");
    assertThat(kindsOutOfRange).isNotEqualTo(text);
    assertThatThrownBy(() -> WalletListFile.read(new ByteArrayInputStream(kindsOutOfRange.getBytes(
        StandardCharsets.US_ASCII)), FileLimits.defaults())).isInstanceOf(ProtocolException.class);

    byte[] confirmation = new byte[21];
    confirmation[0] = 0x71;
    ByteArrayOutputStream day = new ByteArrayOutputStream();
    WalletDayFile.write(day, new PartyId("WPOS-1"), new PartyId("WISSUER"), DAY, 2, CurrencyUnit.CNY,
        List.of(new WalletDayFile.Purchase(debit(7), new byte[8], new byte[70], 1, new byte[70])),
        List.of(new WalletDayFile.Confirmation(confirmation, new byte[8])));
    WalletDayFile.Read readDay = WalletDayFile.read(new ByteArrayInputStream(day.toByteArray()), FileLimits.defaults());
    assertThat(readDay.header().totalMinor()).isEqualTo(7);
    assertThat(readDay.purchases()).hasSize(1);
    assertThat(readDay.confirmations()).singleElement()
        .satisfies(c -> assertThat(c.input()).isEqualTo(confirmation));
    String dayText = day.toString(StandardCharsets.US_ASCII);
    String notAConfirmation = dayText.replace("C2|71", "C2|72");
    assertThat(notAConfirmation).isNotEqualTo(dayText);
    assertThatThrownBy(() -> WalletDayFile.read(new ByteArrayInputStream(notAConfirmation.getBytes(
        StandardCharsets.US_ASCII)), FileLimits.defaults())).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("confirmation");
  }

  @Test
  void aRatingOrConfirmationMacThatIsNot8Bytes_orALineOfTheSignatureFormat_isRefused() {
    byte[] card = {0x62, 0x10, 0, 0, 0, 0, 0, 1};
    for (int macBytes : new int[] {7, 9, 70}) {
      ByteArrayOutputStream list = new ByteArrayOutputStream();
      WalletListFile.write(list, new PartyId("WISSUER"), new PartyId("WPOS-ALL"), DAY, 4, CurrencyUnit.CNY, List.of(),
          List.of(new WalletListFile.Rating(card, 20_500, 4, 10_000, 0x0F, new byte[macBytes])));
      assertThatThrownBy(() -> WalletListFile.read(new ByteArrayInputStream(list.toByteArray()), FileLimits.defaults()))
          .as("%d-byte rating MAC", macBytes).isInstanceOf(ProtocolException.class).hasMessageContaining("MAC");
      byte[] confirmation = new byte[21];
      confirmation[0] = 0x71;
      ByteArrayOutputStream day = new ByteArrayOutputStream();
      WalletDayFile.write(day, new PartyId("WPOS-1"), new PartyId("WISSUER"), DAY, 2, CurrencyUnit.CNY, List.of(),
          List.of(new WalletDayFile.Confirmation(confirmation, new byte[macBytes])));
      assertThatThrownBy(() -> WalletDayFile.read(new ByteArrayInputStream(day.toByteArray()), FileLimits.defaults()))
          .as("%d-byte confirmation MAC", macBytes).isInstanceOf(ProtocolException.class).hasMessageContaining("MAC");
    }
    // A format-1 line (tag R or C, a signature) is refused by its tag, whatever it carries.
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    WalletListFile.write(list, new PartyId("WISSUER"), new PartyId("WPOS-ALL"), DAY, 4, CurrencyUnit.CNY, List.of(),
        List.of(new WalletListFile.Rating(card, 20_500, 4, 10_000, 0x0F, new byte[8])));
    String oldFormat = list.toString(StandardCharsets.US_ASCII).replace("\nR2|", "\nR|");
    assertThat(oldFormat).isNotEqualTo(list.toString(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> WalletListFile.read(new ByteArrayInputStream(oldFormat.getBytes(StandardCharsets.US_ASCII)),
        FileLimits.defaults())).isInstanceOf(ProtocolException.class).hasMessageContaining("R2");
  }
}
