package io.iotpay.terminal.wallet;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.WalletDayFile;
import io.iotpay.protocol.pki.FileSigner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes a POS's day file (docs/wallet.md §3) from its journal and signs it (protocol.pki,
 * {@code <file>.sig}) with the POS's own certified key. The file holds every journalled purchase
 * from {@code fromRecord} on; the issuer clears each card counter once, so a file sent twice or
 * overlapping the previous one clears nothing twice. Rating confirmations from {@code fromConfirmation}
 * on follow the purchases (the issuer marks each rating written once).
 */
public final class WalletDayUpload {
  private WalletDayUpload() {}

  /** Writes and signs the file; returns its path. */
  public static Path write(Path file, WalletJournal journal, int fromRecord, PartyId pos, PartyId issuer,
      LocalDate businessDate, long sequence, FileSigner signer) {
    return write(file, journal, fromRecord, List.of(), pos, issuer, businessDate, sequence, signer);
  }

  /** Writes and signs the file with {@code confirmations} (the POS's not yet acknowledged ones); returns its path. */
  public static Path write(Path file, WalletJournal journal, int fromRecord, List<RatingConfirmation> confirmations,
      PartyId pos, PartyId issuer, LocalDate businessDate, long sequence, FileSigner signer) {
    List<PurchaseRecord> records = journal.records();
    List<WalletDayFile.Purchase> purchases = records.subList(Math.min(fromRecord, records.size()), records.size())
        .stream()
        .map(r -> new WalletDayFile.Purchase(r.debit().signatureInput(), r.debit().tac(), r.debit().cardSignature(), r.psamSequence(),
            r.psamSignature()))
        .toList();
    try (OutputStream out = Files.newOutputStream(file)) {
      WalletDayFile.write(out, pos, issuer, businessDate, sequence, CurrencyUnit.CNY, purchases,
          confirmations.stream().map(c -> new WalletDayFile.Confirmation(c.input(), c.cardMac())).toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    signer.sign(file, FileKind.WALLET_DAY);
    return file;
  }
}
