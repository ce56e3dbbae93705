package io.iotpay.acquirer.pos.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.online.MerchantDay;
import io.iotpay.acquirer.pos.online.MerchantStatements;
import io.iotpay.acquirer.pos.online.StatementLine;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The merchant's day, with its own bearer token only (a merchant never sees another's): the figures
 * as JSON and the transactions as a CSV streamed from the store a page at a time.
 */
final class StatementEndpoints {
  static final String CSV_HEADER = Csv.record("time", "terminal", "stan", "rrn", "pan_masked", "type", "state",
      "amount_minor", "currency", "approval_code", "fee_minor", "net_minor");
  /** The number of data rows of the CSV (the header row not counted): a cut stream has fewer. */
  static final String ROW_COUNT = "X-Row-Count";
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private final Gate gate;
  private final Supplier<MerchantStatements> statements;

  StatementEndpoints(Gate gate, Supplier<MerchantStatements> statements) {
    this.gate = gate;
    this.statements = statements;
  }

  void register(Javalin app) {
    app.get("/v1/pos/merchant/day", this::day);
    app.get("/v1/pos/merchant/transactions.csv", this::transactions);
  }

  private void day(Context ctx) {
    MerchantId id = gate.requireMerchant(ctx);
    LocalDate date = date(ctx.queryParam("date"));
    Exchange.json(ctx, 200, view(statements().day(id, date)));
  }

  private void transactions(Context ctx) throws IOException {
    MerchantId id = gate.requireMerchant(ctx);
    LocalDate date = date(ctx.queryParam("date"));
    MerchantStatements.Lines lines = statements().lines(id, date);
    ctx.status(200).contentType("text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"transactions-" + date + ".csv\"")
        .header(ROW_COUNT, Long.toString(lines.count()));
    Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8));
    out.write(CSV_HEADER);
    try {
      lines.forEach(line -> write(out, line));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.flush();
  }

  private static void write(Writer out, StatementLine l) {
    try {
      out.write(Csv.record(l.receivedAt().toString(), Csv.text(l.terminalId()), Integer.toString(l.stan()),
          Csv.text(l.rrn()), Csv.text(l.panMasked()), l.type(), l.state().name(), Long.toString(l.amountMinor()),
          Csv.text(l.currency()), Csv.text(l.approvalCode()), Long.toString(l.feeMinor()),
          Long.toString(l.netMinor())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MerchantStatements statements() {
    MerchantStatements source = statements.get();
    if (source == null) {
      throw new ApiException(503, "UNAVAILABLE", "no acquirer host runs with this API: no transactions to show");
    }
    return source;
  }

  /** A {@code YYYY-MM-DD} calendar date. @throws ApiException 400 otherwise */
  static LocalDate date(String text) {
    if (text == null || text.isEmpty()) {
      throw ApiException.badRequest("the query parameter date=YYYY-MM-DD is required");
    }
    if (!DATE.matcher(text).matches()) {
      throw ApiException.badRequest("date must be YYYY-MM-DD, not '" + Exchange.clip(text) + "'");
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("date " + text + " is not a calendar date");
    }
  }

  static ObjectNode view(MerchantDay d) {
    ObjectNode node = Views.JSON.createObjectNode();
    node.put("merchant_id", d.merchantId().value());
    node.put("business_date", d.businessDate().toString());
    node.put("currency", d.currency());
    node.put("closed", d.closed());
    node.putObject("purchases").put("count", d.purchasesCount()).put("amount_minor", d.purchasesMinor());
    node.putObject("refunds").put("count", d.refundsCount()).put("amount_minor", d.refundsMinor())
        .put("void_count", d.refundsVoidCount());
    node.put("reversed_count", d.reversedCount());
    node.put("declined_count", d.declinedCount());
    node.put("pending_count", d.pendingCount());
    node.put("mdr_basis_points", d.mdrBasisPoints());
    node.put("fee_minor", d.mdrMinor());
    node.put("net_minor", d.netMinor());
    node.putObject("payout").put("date", d.payoutDate().toString()).put("paid", d.paid());
    return node;
  }
}
