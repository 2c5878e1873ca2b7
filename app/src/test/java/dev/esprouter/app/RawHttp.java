package dev.esprouter.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client will send: raw bytes in the
 * request line (a {@code %00} or malformed escape in an id) and bodies of any bytes with any
 * {@code Content-Type}, or none.
 */
final class RawHttp {

  record Reply(int status, String body) {
  }

  private RawHttp() {
  }

  static Reply send(int port, String method, String target, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      req.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        req.write(body);
      }
      OutputStream out = s.getOutputStream();
      out.write(req.toByteArray());
      out.flush();
      InputStream in = s.getInputStream();
      String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(reply.substring(9, 12));
      int bodyAt = reply.indexOf("\r\n\r\n");
      return new Reply(status, bodyAt < 0 ? "" : reply.substring(bodyAt + 4));
    }
  }
}
