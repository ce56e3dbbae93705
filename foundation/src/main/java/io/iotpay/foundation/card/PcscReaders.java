package io.iotpay.foundation.card;

import io.iotpay.foundation.InvalidInputException;
import java.util.List;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.TerminalFactory;

/**
 * Real PC/SC readers through the JDK's {@code javax.smartcardio} provider (pcsc-lite on Linux): a
 * kernel asked for {@code --reader NAME} opens its card here, and then talks to it through
 * {@link SmartcardioCardChannel} exactly as it talks to a simulated card.
 */
public final class PcscReaders {
  private PcscReaders() {}

  /**
   * The names of the readers pcscd reports, in its order.
   *
   * @throws CardGoneException when PC/SC is not available: no PC/SC library for {@code
   *     javax.smartcardio} (the JDK then falls back to a factory of type "None"), or no pcscd to ask
   */
  public static List<String> names() {
    TerminalFactory factory;
    try {
      factory = TerminalFactory.getDefault();
    } catch (RuntimeException e) {
      throw new CardGoneException("PC/SC is not available: " + e.getMessage(), e);
    }
    if ("None".equals(factory.getType())) {
      throw new CardGoneException("PC/SC is not available on this machine: javax.smartcardio found no PC/SC"
          + " library (install pcscd and libpcsclite1, or set sun.security.smartcardio.library)");
    }
    try {
      return factory.terminals().list().stream().map(CardTerminal::getName).toList();
    } catch (CardException | RuntimeException e) {
      throw new CardGoneException("PC/SC is not available (is pcscd running?): " + e.getMessage(), e);
    }
  }

  /**
   * Waits for a card in the named reader and opens its basic channel.
   *
   * @param readerName the reader's PC/SC name, exactly as {@link #names()} lists it
   * @param timeoutMs how long to wait for a card in the reader
   * @return an open reader connection; close it to release the card
   * @throws InvalidInputException when no reader has that name (the message lists those there are)
   * @throws CardGoneException when PC/SC is not available ({@link #names()}), no card arrives in
   *     time or the connection fails
   */
  public static Connection open(String readerName, long timeoutMs) {
    List<String> present = names();
    CardTerminal terminal = present.contains(readerName)
        ? TerminalFactory.getDefault().terminals().getTerminal(readerName) : null;
    if (terminal == null) {
      throw new InvalidInputException("no PC/SC reader named '" + readerName + "' (readers: " + present + ")");
    }
    try {
      if (!terminal.waitForCardPresent(timeoutMs)) {
        throw new CardGoneException("no card in reader '" + readerName + "' after " + timeoutMs + " ms");
      }
      Card card = terminal.connect("*");
      return new Connection(card, new SmartcardioCardChannel(card.getBasicChannel()));
    } catch (CardException e) {
      throw new CardGoneException("could not connect to the card in '" + readerName + "': " + e.getMessage(), e);
    }
  }

  /** A card connected in a real reader. */
  public record Connection(Card card, CardChannel channel) implements AutoCloseable {
    @Override
    public void close() {
      try {
        card.disconnect(false);
      } catch (CardException e) {
        throw new CardGoneException("could not release the card: " + e.getMessage(), e);
      }
    }
  }
}
