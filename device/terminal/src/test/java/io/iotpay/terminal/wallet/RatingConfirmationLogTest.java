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

/** The rating log survives a restart, cuts a torn last line and refuses a damaged earlier one. */
class RatingConfirmationLogTest {

  private static RatingConfirmation confirmation(int version) {
    byte[] input = new byte[RatingConfirmation.INPUT_LENGTH];
    input[0] = RatingConfirmation.INPUT_TAG;
    input[12] = (byte) version;
    return new RatingConfirmation(input, new byte[70]);
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
    Files.writeString(file, "RC1;7100000000", StandardOpenOption.APPEND); // torn append
    try (RatingConfirmationLog log = RatingConfirmationLog.open(file)) {
      assertThat(log.confirmations()).containsExactly(confirmation(1), confirmation(2));
      assertThat(log.confirmations().get(1).version()).isEqualTo(2);
    }
    assertThat(Files.size(file)).isEqualTo(goodLength);

    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, text.replaceFirst("RC1;71", "RC1;72"));
    assertThatThrownBy(() -> RatingConfirmationLog.open(file)).isInstanceOf(WalletException.class);
  }
}
