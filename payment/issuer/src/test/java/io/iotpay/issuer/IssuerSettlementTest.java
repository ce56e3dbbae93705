package io.iotpay.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssuerSettlementTest {
  static final PartyId METRO = PartyId.of("METRO-A");
  static final LocalDate DAY = LocalDate.of(2026, 11, 20);

  @TempDir Path dir;

  @Test
  void paySettlement_paysTheNetPositionOnce_fromFundingToDueToSwitch() {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      SettlementReport report = report(-500, 500);
      assertThat(world.issuer.paySettlement(report)).isEqualTo(500);
      assertThat(world.issuer.paySettlement(report)).as("a re-delivered report pays nothing twice").isEqualTo(500);
      assertThat(world.ledger.balance(world.issuer.dueToSwitchAccountId()).orElseThrow().debitBalanceMinor()).isEqualTo(500);
      assertThat(world.ledger.balance(world.issuer.fundingAccountId()).orElseThrow().creditBalanceMinor()).isEqualTo(500);
    }
  }

  @Test
  void paySettlement_whenChargebacksOutweighFares_receivesOnce_fromDueToSwitchToFunding() {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      SettlementReport report = report(500, -500);
      assertThat(world.issuer.paySettlement(report)).isEqualTo(-500);
      assertThat(world.issuer.paySettlement(report)).as("a re-delivered report books nothing twice").isEqualTo(-500);
      assertThat(world.ledger.balance(world.issuer.dueToSwitchAccountId()).orElseThrow().creditBalanceMinor()).isEqualTo(500);
      assertThat(world.ledger.balance(world.issuer.fundingAccountId()).orElseThrow().debitBalanceMinor()).isEqualTo(500);
    }
  }

  @Test
  void paySettlement_refusesAReportThatLacksTheIssuer() {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      SettlementReport withoutIssuer = new SettlementReport(DAY, CurrencyUnit.CNY,
          List.of(new NetPosition(METRO, Money.zero(CurrencyUnit.CNY))), 0);
      assertThatThrownBy(() -> world.issuer.paySettlement(withoutIssuer))
          .isInstanceOf(IssuerInputException.class).hasMessageContaining("no position for BANK-A");
      assertThat(world.ledger.balance(world.issuer.dueToSwitchAccountId()).orElseThrow().debitsPostedMinor()).isZero();
    }
  }

  private static SettlementReport report(long issuerNetMinor, long operatorNetMinor) {
    return new SettlementReport(DAY, CurrencyUnit.CNY, List.of(
        new NetPosition(IssuerWorld.ISSUER, Money.ofMinor(issuerNetMinor, CurrencyUnit.CNY)),
        new NetPosition(METRO, Money.ofMinor(operatorNetMinor, CurrencyUnit.CNY))), 1);
  }
}
