package io.iotpay.foundation.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import java.nio.ByteBuffer;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The reader-side failures a kernel meets through a PC/SC reader. The reader is modelled the way the
 * JDK's own PC/SC channel builds its answer ({@code new ResponseAPDU(bytes)} over what the reader
 * returned), so a short reply fails exactly where it fails behind a real reader such as vpcd.
 */
class SmartcardioCardChannelTest {
  private static final CommandApdu SELECT = CommandApdu.parse(Hex.decode("00A404000E325041592E5359532E444446303100"));

  @ParameterizedTest(name = "a reply of {0} bytes is a torn exchange")
  @ValueSource(ints = {0, 1})
  void transmit_whenReaderReturnsNoStatusWord_throwsCardGone(int replyLength) {
    SmartcardioCardChannel channel = new SmartcardioCardChannel(new ReaderReplying(new byte[replyLength]));

    assertThatThrownBy(() -> channel.transmit(SELECT))
        .isInstanceOf(CardGoneException.class)
        .hasMessageContaining("torn");
  }

  @Test
  void transmit_whenReaderFails_throwsCardGone() {
    SmartcardioCardChannel channel = new SmartcardioCardChannel(new ReaderReplying(null));

    assertThatThrownBy(() -> channel.transmit(SELECT)).isInstanceOf(CardGoneException.class);
  }

  @Test
  void transmit_whenReaderAnswers_returnsDataAndStatusWord() {
    SmartcardioCardChannel channel = new SmartcardioCardChannel(new ReaderReplying(Hex.decode("6F009000")));

    ResponseApdu response = channel.transmit(SELECT);

    assertThat(response.sw()).isEqualTo(0x9000);
    assertThat(response.data()).containsExactly((byte) 0x6F, (byte) 0x00);
  }

  /** A reader that answers every command with fixed bytes, or fails when they are null. */
  private static final class ReaderReplying extends javax.smartcardio.CardChannel {
    private final byte[] reply;

    ReaderReplying(byte[] reply) {
      this.reply = reply;
    }

    @Override
    public ResponseAPDU transmit(CommandAPDU command) throws CardException {
      if (reply == null) {
        throw new CardException("reader removed");
      }
      return new ResponseAPDU(reply.clone());
    }

    @Override
    public Card getCard() {
      throw new UnsupportedOperationException("not used by the channel under test");
    }

    @Override
    public int getChannelNumber() {
      return 0;
    }

    @Override
    public int transmit(ByteBuffer command, ByteBuffer response) {
      throw new UnsupportedOperationException("not used by the channel under test");
    }

    @Override
    public void close() {
      // nothing to release
    }
  }
}
