package io.iotpay.issuer.credit;

/** The credit tables' migrations: {@code db/credit/<dialect>/}, history table {@code flyway_credit_history}. */
final class CreditSchema {
  static final String COMPONENT = "credit";

  private CreditSchema() {}
}
