package io.iotpay.terminal.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rating log survives a restart, cuts a torn last line and refuses a damaged earlier one, a
 * line of the signature format (RC1) and a MAC that is not 8 bytes.
 */
class RatingConfirmationLogTest {

  private static RatingConfirmation confirmation(int version) {
    byte[] input = new byte[RatingConfirmation.INPUT_LENGTH];
    input[0] = RatingConfirmation.INPUT_TAG;
    input[12] = (byte) version;
    return new RatingConfirmation(input, new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) version});
  }

  @Test
  void confirmationsSurviveReopen_aTornTailIsCut_aDamagedEarlierLineRefusesToOpen(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("pos.ratings");
    try (RatingConfirmationLog log = RatingConfirmationLog.open(file)) {
      log.append(confirmation(1));
      log.append(confirmation(2));
    }
    long goodLength = Files.size(file);
    Files.writeString(file, "RC2;7100000000", StandardOpenOption.APPEND); // torn append
    try (RatingConfirmationLog log = RatingConfirmationLog.open(file)) {
      assertThat(log.confirmations()).containsExactly(confirmation(1), confirmation(2));
      assertThat(log.confirmations().get(1).version()).isEqualTo(2);
    }
    assertThat(Files.size(file)).isEqualTo(goodLength);

    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, text.replaceFirst("RC2;71", "RC2;72"));
    assertThatThrownBy(() -> RatingConfirmationLog.open(file)).isInstanceOf(WalletException.class);
  }

  @Test
  void aLineOfTheSignatureFormat_orAMacThatIsNot8Bytes_refusesToOpen(@TempDir Path dir) throws IOException {
    String input = "71" + "00".repeat(20);
    for (String body : new String[] {"RC1;" + input + ";" + "30".repeat(70), "RC2;" + input + ";" + "01".repeat(9),
        "RC2;" + input + ";" + "01".repeat(7)}) {
      Path file = dir.resolve("pos-" + body.length() + body.charAt(2) + ".ratings");
      // A sealed line with its LF, then a good one: the bad line is not the torn tail.
      Files.writeString(file, CheckedLines.seal(body) + "\n");
      try (RatingConfirmationLog log = RatingConfirmationLog.open(file)) {
        // only the last line: cut as torn
        assertThat(log.confirmations()).isEmpty();
        log.append(confirmation(3));
      }
      Files.writeString(file, CheckedLines.seal(body) + "\n" + Files.readString(file, StandardCharsets.UTF_8));
      assertThatThrownBy(() -> RatingConfirmationLog.open(file)).as(body.substring(0, 3)).isInstanceOf(WalletException.class);
    }
  }
}
