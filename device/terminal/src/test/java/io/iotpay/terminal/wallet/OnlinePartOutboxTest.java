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

/** The outbox survives a restart, cuts a torn last line and refuses a damaged earlier one. */
class OnlinePartOutboxTest {
  private static final byte[] CARD = {0x62, 0x10, 0, 0, 0, 0, 0, 1};

  @Test
  void answersSurviveReopen_aTornTailIsCut_aDamagedEarlierLineRefusesToOpen(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("pos.outbox");
    try (OnlinePartOutbox outbox = OnlinePartOutbox.open(file)) {
      outbox.record(CARD, 1, OnlinePartGateway.Answer.COMPLETED);
      outbox.record(CARD, 1, OnlinePartGateway.Answer.FAILED); // a second answer for the same part is ignored
      outbox.record(CARD, 2, OnlinePartGateway.Answer.FAILED);
    }
    long goodLength = Files.size(file);
    Files.writeString(file, "OA1;6210000000000001;3;COMPL", StandardOpenOption.APPEND); // torn append
    try (OnlinePartOutbox outbox = OnlinePartOutbox.open(file)) {
      assertThat(outbox.answer(CARD, 1)).contains(OnlinePartGateway.Answer.COMPLETED);
      assertThat(outbox.answer(CARD, 2)).contains(OnlinePartGateway.Answer.FAILED);
      assertThat(outbox.answer(CARD, 3)).isEmpty();
    }
    assertThat(Files.size(file)).isEqualTo(goodLength);

    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, text.replaceFirst("COMPLETED", "COMPLETEX"));
    assertThatThrownBy(() -> OnlinePartOutbox.open(file)).isInstanceOf(WalletException.class);
  }
}
