package io.iotpay.protocol.iso8583;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The link's framing: each message is preceded by its length as 2 bytes, big-endian (the header
 * itself not counted), as jPOS's and the npm library's "2-byte length header" channels do.
 */
final class Frames {
  private Frames() {}

  /** A frame header announcing more than the link accepts, or nothing; the connection is closed. */
  static final class FrameTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    FrameTooLongException(int lengthBytes, int frameBytesMax) {
      super("frame of " + lengthBytes + " bytes announced, outside 1.." + frameBytesMax);
    }
  }

  /**
   * The next frame's body, or null when the peer closed the connection between frames.
   *
   * @throws FrameTooLongException when the header is over {@code frameBytesMax} (or zero)
   * @throws EOFException when the connection ends inside a frame
   */
  static byte[] read(DataInputStream in, int frameBytesMax) throws IOException {
    int high = in.read();
    if (high < 0) {
      return null;
    }
    int low = in.read();
    if (low < 0) {
      throw new EOFException("connection closed inside a frame header");
    }
    int length = (high << 8) | low;
    if (length == 0 || length > frameBytesMax) {
      throw new FrameTooLongException(length, frameBytesMax);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return body;
  }

  /** Writes {@code body} with its header and flushes; callers serialise writers on one stream. */
  static void write(OutputStream out, byte[] body) throws IOException {
    byte[] frame = new byte[body.length + 2];
    frame[0] = (byte) (body.length >>> 8);
    frame[1] = (byte) body.length;
    System.arraycopy(body, 0, frame, 2, body.length);
    out.write(frame);
    out.flush();
  }
}
