package io.iotpay.platform.operator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One request written byte for byte on a fresh TCP connection, for what {@code java.net.http} will
 * not send: malformed request lines, {@code %00} and {@code /../} paths, oversized or broken headers.
 * The answer is read to the end of the connection (requests say {@code Connection: close}).
 */
final class RawHttp {
  private static final int READ_TIMEOUT_MS = 15_000;
  private static final int ANSWER_BYTES_MAX = 1 << 20;

  private RawHttp() {}

  /** @param status 0 when the server closed without a status line; @param body de-chunked */
  record Answer(int status, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static Answer send(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (SocketException e) {
        // The server may refuse and close before the whole request is written (an oversized header): read its answer.
      }
      return parse(readAll(socket.getInputStream()));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0 && all.size() < ANSWER_BYTES_MAX; n = in.read(buffer)) {
        all.write(buffer, 0, n);
      }
    } catch (SocketException | SocketTimeoutException e) {
      // A reset after the answer was sent: keep what arrived.
    }
    return all.toByteArray();
  }

  private static Answer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || headEnd < 0) {
      return new Answer(0, "", raw);
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String contentType = "";
    boolean chunked = false;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].toLowerCase(Locale.ROOT);
      if (line.startsWith("content-type:")) {
        contentType = lines[i].substring("content-type:".length()).strip();
      } else if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
        chunked = true;
      }
    }
    String body = text.substring(headEnd + 4);
    return new Answer(status, contentType, (chunked ? dechunk(body) : body).getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < body.length()) {
      int lineEnd = body.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].strip(), 16);
      if (size == 0) {
        break;
      }
      out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return out.toString();
  }
}
