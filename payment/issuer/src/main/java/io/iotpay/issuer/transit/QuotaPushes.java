package io.iotpay.issuer.transit;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.Bytes;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.issuer.IssuerBook;
import io.iotpay.issuer.IssuerConfig;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.card.CardCrypto;
import io.iotpay.issuer.card.CardRecord;
import io.iotpay.issuer.card.CardRegistry;
import io.iotpay.issuer.card.CardStatus;
import io.iotpay.issuer.card.IssuerKeys;
import io.iotpay.issuer.card.Scp02Host;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.script.CardScript;
import io.iotpay.protocol.script.CardScriptResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transit quota on cards: which cards are due a restore, and quota pushes through an untrusted
 * relay (the rider's phone): script 1 = SELECT + INITIALIZE UPDATE, script 2 = EXTERNAL
 * AUTHENTICATE + Push PUT DATA under a fresh, persisted Push ATC (docs/issuer.md). Logs masked PANs
 * only. Pushes in flight are kept in memory (thread-safe map).
 */
public final class QuotaPushes {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaPushes.class);

  private final IssuerConfig config;
  private final CardRegistry registry;
  private final IssuerKeys keys;
  private final IssuerBook book;
  private final Map<String, PushSession> pushes = new ConcurrentHashMap<>();
  private final AtomicLong scriptCounter = new AtomicLong();

  public QuotaPushes(IssuerConfig config, CardRegistry registry, IssuerKeys keys, IssuerBook book) {
    this.config = config;
    this.registry = registry;
    this.keys = keys;
    this.book = book;
  }

  /** Enabled cards whose known quota is below the threshold and whose account can carry a restore. */
  public List<Pan> restoresDue() {
    return registry.all().stream()
        .filter(c -> c.status() == CardStatus.ENABLED && c.quotaKnownMinor() < config.restoreThresholdMinor())
        .filter(c -> book.canCarry(c.accountId(), c.quotaConfiguredMinor() - c.quotaKnownMinor()))
        .map(CardRecord::pan)
        .toList();
  }

  /**
   * Starts a push of the card's configured quota: script 1 = SELECT + INITIALIZE UPDATE. Starting
   * again (e.g. after a lost result) abandons the earlier session; its Push ATC is never reused.
   *
   * @throws IssuerInputException for an unknown or denied card
   */
  public CardScript startPush(Pan pan) {
    CardRecord card = card(pan);
    if (card.status() == CardStatus.DENIED || card.status() == CardStatus.ISSUED) {
      throw new IssuerInputException("card " + pan + " is " + card.status() + ": no push");
    }
    pushes.values().removeIf(p -> p.pan().equals(pan));
    String scriptId = "push-" + config.id() + "-" + scriptCounter.incrementAndGet();
    PushSession session = new PushSession(pan, new Scp02Host(keys.cardKeys(card.suite(), pan, card.panSequence())),
        card.quotaConfiguredMinor());
    pushes.put(scriptId, session);
    return new CardScript(scriptId, List.of(Scp02Host.select(config.aid()), session.host().initializeUpdate()));
  }

  /**
   * The relay's result of a push script: after script 1, returns script 2 (EXTERNAL AUTHENTICATE +
   * Push PUT DATA under a fresh, persisted Push ATC); after script 2, the outcome.
   */
  public ScriptStep onScriptResult(CardScriptResult result) {
    PushSession session = pushes.get(result.scriptId());
    if (session == null) {
      return new ScriptStep.Failed("no push waits for script " + result.scriptId());
    }
    List<ResponseApdu> responses = result.responses();
    if (responses.size() != 2 || responses.get(0).sw() != 0x9000) {
      pushes.remove(result.scriptId());
      return new ScriptStep.Failed("script " + result.scriptId() + " incomplete: " + describe(responses));
    }
    if (!session.authenticated()) {
      return secondScript(result.scriptId(), session, responses.get(1));
    }
    pushes.remove(result.scriptId());
    if (responses.get(1).sw() != 0x9000) {
      return new ScriptStep.Failed("card refused the push: " + describe(responses));
    }
    CardRecord card = card(session.pan());
    CardRecord updated = card.withQuota(session.valueMinor(), card.lastAtc());
    registry.save(card.status() == CardStatus.ENABLING ? updated.withStatus(CardStatus.ENABLED) : updated);
    LOG.info("card {} quota set to {} (minor)", session.pan(), session.valueMinor());
    return new ScriptStep.Completed(session.valueMinor());
  }

  /**
   * Runs a push to its end through {@code relay} (the phone: it sends a script to the card and
   * returns what it saw): script after script until {@link ScriptStep.Completed} or {@link
   * ScriptStep.Failed}.
   */
  public ScriptStep runPush(CardScript first, Function<CardScript, CardScriptResult> relay) {
    ScriptStep step = new ScriptStep.Next(first);
    while (step instanceof ScriptStep.Next next) {
      step = onScriptResult(relay.apply(next.script()));
    }
    return step;
  }

  private ScriptStep secondScript(String scriptId, PushSession session, ResponseApdu initializeUpdate) {
    try {
      session.host().acceptInitializeUpdate(initializeUpdate);
    } catch (IssuerInputException e) {
      pushes.remove(scriptId);
      return new ScriptStep.Failed(e.getMessage());
    }
    CardRecord card = card(session.pan());
    int pushAtc = registry.nextPushAtc(session.pan());
    CommandApdu externalAuthenticate = session.host().externalAuthenticate();
    byte[] pushData = Bytes.concat(new byte[] {(byte) (pushAtc >> 8), (byte) pushAtc},
        new byte[] {(byte) 0x9F, 0x79, 0x06}, Bcd.encodeAmount(session.valueMinor()));
    byte[] macInput = Bytes.concat(
        new byte[] {0x04, (byte) 0xDA, 0x00, 0x00, (byte) (pushData.length + CardCrypto.MAC_BYTES)}, pushData);
    SecretKeyBytes sessionKey = CardCrypto.counterKey(card.suite(),
        keys.cardKeys(card.suite(), card.pan(), card.panSequence()).macSub(), pushAtc);
    byte[] mac = CardCrypto.mac(card.suite(), sessionKey, macInput);
    CommandApdu putData = session.host().wrap(0x00, 0xDA, 0x00, 0x00, Bytes.concat(pushData, mac));
    PushSession next = session.authenticatedNow();
    pushes.remove(scriptId);
    String nextId = scriptId + "-2";
    pushes.put(nextId, next);
    return new ScriptStep.Next(new CardScript(nextId, List.of(externalAuthenticate, putData)));
  }

  private static String describe(List<ResponseApdu> responses) {
    StringBuilder out = new StringBuilder(responses.size() + " responses");
    for (ResponseApdu response : responses) {
      out.append(String.format(" %04X", response.sw()));
    }
    return out.toString();
  }

  private CardRecord card(Pan pan) {
    return registry.find(pan).orElseThrow(() -> new IssuerInputException("no card " + pan + " at " + config.id()));
  }

  /** One push in flight: the card, its SCP02 host session, the value to set. */
  private record PushSession(Pan pan, Scp02Host host, long valueMinor, boolean authenticated) {
    PushSession(Pan pan, Scp02Host host, long valueMinor) {
      this(pan, host, valueMinor, false);
    }

    PushSession authenticatedNow() {
      return new PushSession(pan, host, valueMinor, true);
    }
  }
}
