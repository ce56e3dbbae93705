package io.iotpay.issuer.card;

import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.IssuerBook;
import io.iotpay.issuer.IssuerConfig;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.protocol.Pan;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues cards on rider accounts (the next PAN of the issuer's first range, Luhn) and personalises
 * them (SCP02 + STORE DATA, docs/card-apdus.md §7). Logs masked PANs only. Not thread-safe: PAN
 * serials are taken from the registry's count.
 */
public final class CardIssuing {
  private static final Logger LOG = LoggerFactory.getLogger(CardIssuing.class);
  /** Key version number of the SCP02 keys put on every card. */
  public static final int KVN = 0x20;
  /** Most cards one {@link #issueCards} call creates (one transaction; bounds its memory). */
  public static final int BULK_CARDS_MAX = 10_000_000;

  private final IssuerConfig config;
  private final CardRegistry registry;
  private final IssuerKeys keys;
  private final IssuerBook book;

  public CardIssuing(IssuerConfig config, CardRegistry registry, IssuerKeys keys, IssuerBook book) {
    this.config = config;
    this.registry = registry;
    this.keys = keys;
    this.book = book;
  }

  /**
   * Creates a card for a rider's account: the next PAN of the first range (Luhn), PSN 01, and the
   * install parameters with its SCP02 static keys.
   *
   * @throws IssuerInputException for an unknown account or a full range
   */
  public IssuedCard issueCard(AlgorithmSuite suite, long accountId) {
    book.account(accountId).orElseThrow(() -> new IssuerInputException("no rider account " + accountId));
    String prefix = config.ranges().get(0).prefix();
    int bodyDigits = 15 - prefix.length();
    long serial = registry.cardCount() + 1L;
    Pan pan;
    do {
      if (String.valueOf(serial).length() > bodyDigits) {
        throw new IssuerInputException("card range " + prefix + " is full");
      }
      pan = Pan.withCheckDigit(prefix + String.format("%0" + bodyDigits + "d", serial));
      serial++;
    } while (registry.find(pan).isPresent());
    int panSequence = 1;
    registry.insert(new CardRecord(pan, panSequence, suite, accountId, CardStatus.ISSUED, 0, 0,
        config.defaultQuotaMinor(), -1));
    CardKeys cardKeys = keys.cardKeys(suite, pan, panSequence);
    return new IssuedCard(pan, panSequence, suite, Personalisation.installParameters(config.aid(), cardKeys, KVN));
  }

  /**
   * Issues {@code count} cards of {@code suite} on one rider account in one registry transaction
   * (bulk issuing for load tests and migrations: {@link #issueCard} costs several statements per
   * card). PANs continue the first range's serials; PSN 01; status ISSUED. The install parameters
   * are not returned: the caller personalises with {@link #personalise} or holds the master keys.
   *
   * @return the new PANs, in serial order; never null
   * @throws IssuerInputException for an unknown account, a count outside 1..10,000,000, a full
   *     range, or a PAN already taken
   */
  public List<Pan> issueCards(AlgorithmSuite suite, long accountId, int count) {
    book.account(accountId).orElseThrow(() -> new IssuerInputException("no rider account " + accountId));
    if (count < 1 || count > BULK_CARDS_MAX) {
      throw new IssuerInputException("bulk issue: count " + count + " is outside 1.." + BULK_CARDS_MAX);
    }
    String prefix = config.ranges().get(0).prefix();
    int bodyDigits = 15 - prefix.length();
    long first = registry.cardCount() + 1L;
    if (String.valueOf(first + count - 1).length() > bodyDigits) {
      throw new IssuerInputException("card range " + prefix + " is full");
    }
    List<CardRecord> cards = new ArrayList<>(count);
    for (long serial = first; serial < first + count; serial++) {
      Pan pan = Pan.withCheckDigit(prefix + String.format("%0" + bodyDigits + "d", serial));
      cards.add(new CardRecord(pan, 1, suite, accountId, CardStatus.ISSUED, 0, 0, config.defaultQuotaMinor(), -1));
    }
    registry.insertAll(cards);
    return cards.stream().map(CardRecord::pan).toList();
  }

  /**
   * Bulk issuing with one debit rider account per card: opens rider accounts {@code firstRiderNumber
   * .. firstRiderNumber + count - 1} ({@link IssuerBook#openDebitRiderAccounts}) and issues one card
   * of {@code suite} on each in one transaction, in rider order.
   *
   * @return the cards' PANs; card i is on the account of rider {@code firstRiderNumber + i}
   * @throws IssuerInputException for a bad range, a rider account that exists, or a full card range
   */
  public List<Pan> issueCardsOnOwnAccounts(AlgorithmSuite suite, int firstRiderNumber, int count) {
    if (count < 1 || count > BULK_CARDS_MAX) {
      throw new IssuerInputException("bulk issue: count " + count + " is outside 1.." + BULK_CARDS_MAX);
    }
    String prefix = config.ranges().get(0).prefix();
    int bodyDigits = 15 - prefix.length();
    long first = registry.cardCount() + 1L;
    if (String.valueOf(first + count - 1).length() > bodyDigits) {
      throw new IssuerInputException("card range " + prefix + " is full");
    }
    List<Long> accounts = book.openDebitRiderAccounts(firstRiderNumber, count);
    List<CardRecord> cards = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Pan pan = Pan.withCheckDigit(prefix + String.format("%0" + bodyDigits + "d", first + i));
      cards.add(new CardRecord(pan, 1, suite, accounts.get(i), CardStatus.ISSUED, 0, 0, config.defaultQuotaMinor(), -1));
    }
    registry.insertAll(cards);
    return cards.stream().map(CardRecord::pan).toList();
  }

  /**
   * Personalises the card over {@code channel} (SCP02 + STORE DATA, docs/card-apdus.md §7), with the
   * service not yet enabled (quota 0). A lost command or response is retried in a new session;
   * blocks the card already holds answer {@code 6200}.
   *
   * @throws IssuerInputException when the card refuses, or still fails after the retries
   */
  public void personalise(Pan pan, CardChannel channel) {
    personalise(pan, channel, null);
  }

  /**
   * As {@link #personalise(Pan, CardChannel)}, with offline data authentication: the card's ODA key
   * (RSA made here, SM2 born on the card) certified under {@code oda}, the issuer's certificate
   * from the scheme's ODA CA (docs/card-apdus.md §11).
   *
   * @param oda this issuer's ODA credentials for the card's suite; null for a card without ODA
   */
  public void personalise(Pan pan, CardChannel channel, OdaIssuing.IssuerCredentials oda) {
    CardRecord card = card(pan);
    new Personalisation(config, keys.cardKeys(card.suite(), pan, card.panSequence()), card, oda).run(channel);
    registry.save(card.withStatus(CardStatus.PERSONALISED));
    LOG.info("card {} personalised", pan);
  }

  /** The card's registry entry. @throws IssuerInputException for an unknown card */
  public CardRecord card(Pan pan) {
    return registry.find(pan).orElseThrow(() -> new IssuerInputException("no card " + pan + " at " + config.id()));
  }
}
