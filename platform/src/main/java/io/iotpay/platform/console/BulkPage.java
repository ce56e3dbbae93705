package io.iotpay.platform.console;

import io.iotpay.platform.access.http.ApiException;
import io.iotpay.console.ConsoleGuard;
import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.platform.console.ConsoleViews.BulkRow;
import io.iotpay.platform.console.ConsoleViews.BulkView;
import io.iotpay.platform.operator.BulkRegistration;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.UploadedFile;
import jakarta.servlet.MultipartConfigElement;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Bulk registration from the devices page: a CSV of CSRs uploaded as {@code multipart/form-data}
 * (field {@code csv}, with the form's CSRF token), each row registered by {@link BulkRegistration}
 * (the HTTP API's registration call), answered with a page of every row's result.
 */
final class BulkPage {
  static final String PATH = DevicePages.PATH + "/bulk";
  /** The upload's form, its CSRF field and multipart framing included: the file's bound and room for the rest. */
  static final int REQUEST_BYTES_MAX = BulkRegistration.FILE_BYTES_MAX + 4 * 1024;
  /** Where Jetty keeps an uploaded part; never used, as every part stays in memory (the threshold is above the bound). */
  private static final MultipartConfigElement IN_MEMORY = new MultipartConfigElement(System.getProperty("java.io.tmpdir"),
      REQUEST_BYTES_MAX, REQUEST_BYTES_MAX, REQUEST_BYTES_MAX + 1);

  private final BulkRegistration registration;
  private final ConsoleRenderer renderer;

  BulkPage(ConsoleServices services, ConsoleRenderer renderer) {
    this.registration = new BulkRegistration(services.platform(), services.operatorAudit());
    this.renderer = renderer;
  }

  /**
   * Runs before the guard reads the form (the CSRF token is a multipart field): refuses an upload with
   * no declared length or over {@link #REQUEST_BYTES_MAX} before any of it is read, and keeps the parts
   * in memory with Jetty's own bounds.
   */
  static void bound(Context ctx) {
    if (ctx.method() != HandlerType.POST || !ctx.path().equals(PATH)) {
      return;
    }
    long length = ctx.req().getContentLengthLong();
    if (length < 0 || length > REQUEST_BYTES_MAX) {
      ConsoleGuard.securityHeaders(ctx);
      throw new ConsoleInputException(413, "the upload must declare its length and be at most " + REQUEST_BYTES_MAX
          + " bytes (" + BulkRegistration.ROWS_MAX + " rows); nothing was registered");
    }
    ctx.req().setAttribute("org.eclipse.jetty.multipartConfig", IN_MEMORY);
  }

  void register(Javalin app) {
    app.post(PATH, this::upload);
  }

  private void upload(Context ctx) throws IOException {
    UploadedFile file = ctx.uploadedFile("csv");
    if (file == null) {
      throw new ConsoleInputException("choose a CSV file to upload (device_id,suite,csr per line)");
    }
    byte[] csv;
    try (InputStream in = file.content()) {
      csv = in.readNBytes(BulkRegistration.FILE_BYTES_MAX + 1);
    }
    BulkRegistration.Outcome outcome;
    try {
      outcome = registration.register(csv, "console-csv");
    } catch (ApiException e) {
      throw new ConsoleInputException(e.status(), e.detail() + "; nothing was registered");
    }
    List<BulkRow> rows = new ArrayList<>();
    for (BulkRegistration.Row row : outcome.rows()) {
      rows.add(switch (row) {
        case BulkRegistration.Registered r -> new BulkRow(r.line(), r.deviceId(), r.suite(), true, "", "");
        case BulkRegistration.Refused r -> new BulkRow(r.line(), r.deviceId(), "", false, r.reason(), r.detail());
      });
    }
    long registered = outcome.registered();
    BulkView view = new BulkView(rows, registered, rows.size() - registered, outcome.auditIndex());
    renderer.page(ctx, "bulk.jte", DevicePages.frame(ctx, "Bulk registration"), view);
    if (outcome.auditIndex() == null) {
      ctx.status(503);
    }
  }
}
