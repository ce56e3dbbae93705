package io.iotpay.issuer.transit;

import io.iotpay.issuer.IssuerBook;
import io.iotpay.issuer.card.CardRecord;
import io.iotpay.issuer.card.CardRegistry;
import io.iotpay.issuer.card.CardStatus;
import io.iotpay.protocol.enrolment.ServiceApplication;
import io.iotpay.protocol.enrolment.ServiceDecision;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides riders' applications for the metro service (docs/issuer.md): approved when the card is
 * personalised and not denied and its account can carry the quota; the decision then carries the
 * first script of the quota push.
 */
public final class MetroEnablement {
  /** The only service this issuer offers on its transit cards. */
  public static final String METRO = "METRO";

  private final CardRegistry registry;
  private final IssuerBook book;
  private final QuotaPushes pushes;

  public MetroEnablement(CardRegistry registry, IssuerBook book, QuotaPushes pushes) {
    this.registry = registry;
    this.book = book;
    this.pushes = pushes;
  }

  /**
   * The rider's application for the metro service. Approved when the card is personalised and not
   * denied and the account can carry the quota (debit: balance ≥ 0; credit: available credit ≥
   * quota); the decision then carries the first script of the quota push. Never throws for an
   * unknown service or card: the decision says why it refused.
   */
  public ServiceDecision apply(ServiceApplication application) {
    String id = application.applicationId();
    if (!METRO.equals(application.service())) {
      return new ServiceDecision(id, false, "unknown service " + application.service(), Optional.empty());
    }
    Optional<CardRecord> found = registry.find(application.pan());
    if (found.isEmpty() || found.get().panSequence() != application.panSequence()) {
      return new ServiceDecision(id, false, "not a card of this issuer", Optional.empty());
    }
    CardRecord card = found.get();
    if (card.status() == CardStatus.DENIED || card.status() == CardStatus.ISSUED) {
      return new ServiceDecision(id, false, "card is " + card.status().name().toLowerCase(Locale.ROOT), Optional.empty());
    }
    if (!book.canCarry(card.accountId(), card.quotaConfiguredMinor())) {
      return new ServiceDecision(id, false, "account cannot carry the quota", Optional.empty());
    }
    registry.save(card.withStatus(CardStatus.ENABLED == card.status() ? CardStatus.ENABLED : CardStatus.ENABLING));
    return new ServiceDecision(id, true, "approved", Optional.of(pushes.startPush(application.pan())));
  }
}
