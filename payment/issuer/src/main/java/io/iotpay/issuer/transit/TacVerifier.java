package io.iotpay.issuer.transit;

import io.iotpay.issuer.IssuerInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.transit.TransitTac;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fast TAC verification for clearing: the card's formula of docs/card-apdus.md §6 ({@link TransitTac},
 * whose engines it keeps per thread) with the per-record cost cut to what the formula needs. The card's AC key (EMV option A from IMK-AC) is derived once per card and cached;
 * each thread reuses its own cipher engines and keeps the last card's key scheduled, so a record of
 * the same card as the one before costs one key schedule (the session key's) and the MAC's blocks.
 *
 * <p>Thread-safe: the key cache is shared, the engines are per thread. The cache holds at most
 * {@link #CARD_KEYS_CACHED_MAX} card keys; when full it is emptied (a cheap bound: a day's file
 * touches each card a few times, so a refill costs one derivation per card). The cached keys are
 * secrets: drop the verifier when the file is done (the issuer keeps one per clearing file).
 */
public final class TacVerifier {
  /** Most card keys cached (about 150 bytes each): 4 million cards, about 0.6 GB. */
  public static final int CARD_KEYS_CACHED_MAX = 4_000_000;

  private final Map<AlgorithmSuite, SecretKeyBytes> imkAc;
  private final ConcurrentHashMap<CardId, byte[]> cardKeys = new ConcurrentHashMap<>();

  /** A cache key that costs no string building: the PAN (its digits' hash is cached) and suite × PSN. */
  private record CardId(Pan pan, int suiteAndSequence) {}
  private final ThreadLocal<Engines> engines = ThreadLocal.withInitial(Engines::new);

  /**
   * @param imkAc the issuer master key for application cryptograms of each suite that will be
   *     verified (copied; a suite without a key is refused at {@link #verify})
   */
  public TacVerifier(Map<AlgorithmSuite, SecretKeyBytes> imkAc) {
    this.imkAc = new EnumMap<>(AlgorithmSuite.class);
    this.imkAc.putAll(imkAc);
  }

  /**
   * Whether {@code tac} is the card's TAC over {@code cryptogramInput} for {@code atc}; the compare
   * is constant-time.
   *
   * @param atc 0..65535
   * @throws IssuerInputException when the verifier has no IMK-AC for {@code suite}, or the ATC or
   *     PAN sequence is out of range
   */
  public boolean verify(AlgorithmSuite suite, Pan pan, int panSequence, int atc, byte[] cryptogramInput, byte[] tac) {
    return MessageDigest.isEqual(tac(suite, pan, panSequence, atc, cryptogramInput), tac);
  }

  /** The 8-byte TAC the card computes; same parameters and exceptions as {@link #verify}. */
  public byte[] tac(AlgorithmSuite suite, Pan pan, int panSequence, int atc, byte[] cryptogramInput) {
    if (atc < 0 || atc > EmvKeyDerivation.ATC_MAX || panSequence < 0 || panSequence > 99) {
      throw new IssuerInputException("TAC: ATC " + atc + " or PAN sequence " + panSequence + " out of range");
    }
    Engines e = engines.get();
    int suiteAndSequence = suite.ordinal() * 100 + panSequence;
    if (!e.holdsCard(pan, suiteAndSequence)) {
      e.loadCard(suite, pan, suiteAndSequence, cardKey(e, suite, pan, panSequence));
    }
    return e.tac(atc, cryptogramInput);
  }

  private byte[] cardKey(Engines e, AlgorithmSuite suite, Pan pan, int panSequence) {
    CardId name = new CardId(pan, suite.ordinal() * 100 + panSequence);
    byte[] key = cardKeys.get(name);
    if (key == null) {
      // the thread's IMK-AC engine (scheduled once) derives it: same as Issuer.acKey, a test keeps them equal
      key = e.deriver(suite, imkAc).cardMasterKey(pan.digits(), panSequence).value();
      if (cardKeys.size() >= CARD_KEYS_CACHED_MAX) {
        cardKeys.clear();
      }
      cardKeys.put(name, key);
    }
    return key;
  }

  /**
   * One thread's engines, re-keyed per record instead of allocated per record. The engine keyed
   * with a card's AC key stays keyed while the thread's records are of that card: a clearing file
   * is in card order (docs/clearing-files.md §4), so a card's taps come one after another and only
   * the session key is scheduled per record.
   */
  private static final class Engines {
    private final TransitTac.Engine tac = new TransitTac.Engine();
    private Pan cardPan;
    private int cardSuiteAndSequence = -1;
    private final Map<AlgorithmSuite, EmvKeyDerivation.CardKeys> derivers = new EnumMap<>(AlgorithmSuite.class);

    EmvKeyDerivation.CardKeys deriver(AlgorithmSuite suite, Map<AlgorithmSuite, SecretKeyBytes> imkAc) {
      EmvKeyDerivation.CardKeys deriver = derivers.get(suite);
      if (deriver == null) {
        SecretKeyBytes master = imkAc.get(suite);
        if (master == null) {
          throw new IssuerInputException("TAC: no IMK-AC for suite " + suite);
        }
        deriver = new EmvKeyDerivation.CardKeys(suite, master);
        derivers.put(suite, deriver);
      }
      return deriver;
    }

    boolean holdsCard(Pan pan, int suiteAndSequence) {
      return suiteAndSequence == cardSuiteAndSequence && pan.equals(cardPan);
    }

    void loadCard(AlgorithmSuite suite, Pan pan, int suiteAndSequence, byte[] cardKey) {
      tac.load(suite, cardKey);
      cardPan = pan;
      cardSuiteAndSequence = suiteAndSequence;
    }

    /** With the card's key loaded ({@link #loadCard}). */
    byte[] tac(int atc, byte[] input) {
      return tac.tac(atc, input);
    }
  }
}
