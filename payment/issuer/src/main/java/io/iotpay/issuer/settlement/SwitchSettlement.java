package io.iotpay.issuer.settlement;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.PositiveIds;
import io.iotpay.issuer.IssuerBook;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.settlement.SettlementReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * The issuer's treasury in a scheme's settlement: pays its net position of the switch's settlement
 * report (Dr due to switch, Cr funding) in its own book, once per business day.
 */
public final class SwitchSettlement {
  private final PartyId self;
  private final IssuerBook book;

  public SwitchSettlement(PartyId self, IssuerBook book) {
    this.self = self;
    this.book = book;
  }

  /**
   * Reads the switch's settlement report file addressed to this issuer and pays its position (see
   * {@link #pay}).
   *
   * @return the amount paid, minor units
   * @throws ProtocolException when the file is malformed or not addressed to this issuer
   * @throws IssuerInputException when the report has no position for this issuer
   * @throws UncheckedIOException when the file cannot be read
   */
  public long payFile(Path reportFile, FileLimits limits) {
    SettlementReportFile.Read read;
    try (InputStream in = Files.newInputStream(reportFile)) {
      read = SettlementReportFile.read(in, limits);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + reportFile, e);
    }
    if (!read.header().receiver().equals(self)) {
      throw new ProtocolException("settlement report " + reportFile.getFileName() + " is for "
          + read.header().receiver() + ", not " + self);
    }
    return pay(read.report());
  }

  /**
   * Pays the issuer's net position of a settlement report from the switch: Dr due to switch, Cr the
   * issuer's funding account, in its own book (reversed when the position is positive: a window whose
   * chargebacks outweigh the issuer's fares pays the issuer). Idempotent per business day (a
   * re-delivered report books nothing twice).
   *
   * @return the amount paid, minor units (0 when the issuer had nothing to pay; negative when it received)
   * @throws IssuerInputException when the report has no position for this issuer
   */
  public long pay(SettlementReport report) {
    long netMinor = report.positions().stream().filter(p -> p.party().equals(self)).findFirst()
        .orElseThrow(() -> new IssuerInputException("settlement report of " + report.businessDate() + " has no position for "
            + self))
        .net().amountMinor();
    if (netMinor == 0) {
      return 0;
    }
    long id = settlementTransferId(report.businessDate());
    // Usually the issuer pays; in a window where the chargebacks it raised outweigh its fares, it receives.
    Transfer transfer = netMinor < 0
        ? Transfer.single(id, book.dueToSwitchAccountId(), book.fundingAccountId(), -netMinor)
        : Transfer.single(id, book.fundingAccountId(), book.dueToSwitchAccountId(), netMinor);
    TransferResult result = book.submit(List.of(transfer)).get(0);
    Assert.that(result == TransferResult.OK, "issuer settlement refused [issuer={}, result={}]", self, result);
    return -netMinor;
  }


  private long settlementTransferId(LocalDate businessDate) {
    return PositiveIds.of("settlement|" + self + "|" + businessDate);
  }
}
