package dev.esprouter.campaigns;

import static dev.esprouter.campaigns.CampaignsApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Recipient lists are streamed into a campaign: CSV, NDJSON, gzip; bad lines reported, bad uploads stored not at all")
class RecipientUploadTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  static CampaignHarness h;

  @BeforeAll
  static void start() {
    h = CampaignHarness.start(env, Map.of("ESP_CAMPAIGN_MAX_LINE_BYTES", "65536"));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  @DisplayName("a CSV with a BOM, CRLF, RFC 4180 quoting and extra columns: valid lines stored with their data; bad, "
      + "duplicate and suppressed lines counted and reported by line")
  void csv() {
    String id = h.draft("csv");
    h.query("insert into suppressions (tenant_id, channel, address, reason) values ($1, 'email', "
        + "'blocked@example.com', 'hard_bounce')", Tuple.of(h.defaultTenant()));
    String csv = "\uFEFFemail,name,city\r\n"
        + "ana@example.com,Ana,\"São Paulo, SP\"\r\n"
        + "bob@example.com,\"Bob \"\"the builder\"\"\",\"multi\r\nline\"\r\n"
        + "not-an-address,Nobody,X\r\n"
        + "ANA@example.com,Ana again,Y\r\n"
        + "Blocked@example.com,Blocked,Z\r\n"
        + "carol@example.com,Carol\r\n"
        + "\r\n"
        + "dan@example.com,,Porto\r\n";
    HttpResponse<Buffer> r = h.upload(id, "text/csv; charset=utf-8", Buffer.buffer(csv.getBytes(StandardCharsets.UTF_8)),
        Map.of());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject report = r.bodyAsJsonObject();
    assertThat(report.getLong("accepted")).isEqualTo(3);
    assertThat(report.getLong("rejected")).isEqualTo(2);
    assertThat(report.getLong("duplicates")).isEqualTo(1);
    assertThat(report.getLong("suppressed")).isEqualTo(1);
    assertThat(report.getJsonArray("errors").stream().map(o -> ((JsonObject) o).getLong("line")))
        .containsExactly(5L, 8L);
    assertThat(report.getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("invalid_recipient");
    assertThat(report.getJsonArray("errors").getJsonObject(1).getString("code")).isEqualTo("ragged_row");
    List<Row> rows = h.query("select recipient, data from campaign_recipients where campaign_id = $1 order by seq",
        Tuple.of(id));
    assertThat(rows.stream().map(x -> x.getString(0))).containsExactly("ana@example.com", "bob@example.com",
        "dan@example.com");
    assertThat(rows.get(0).getJsonObject(1)).isEqualTo(new JsonObject().put("name", "Ana").put("city", "São Paulo, SP"));
    assertThat(rows.get(1).getJsonObject(1)).isEqualTo(new JsonObject().put("name", "Bob \"the builder\"")
        .put("city", "multi\r\nline"));
    assertThat(rows.get(2).getJsonObject(1)).isEqualTo(new JsonObject().put("city", "Porto"));
    JsonObject list = h.get("/v1/campaigns/" + id).bodyAsJsonObject().getJsonObject("list");
    assertThat(list.getLong("recipients")).isEqualTo(3);
    assertThat(list.getLong("suppressed")).isEqualTo(1);
  }

  @Test
  @DisplayName("several uploads append; an address already listed is a duplicate, whatever its case")
  void append() {
    String id = h.draft("append");
    assertThat(h.upload(id, "to\na@example.com\nb@example.com\n").bodyAsJsonObject().getLong("accepted")).isEqualTo(2);
    JsonObject second = h.upload(id, "to\nB@EXAMPLE.com\nc@example.com\n").bodyAsJsonObject();
    assertThat(second.getLong("accepted")).isEqualTo(1);
    assertThat(second.getLong("duplicates")).isEqualTo(1);
    assertThat(second.getLong("recipients")).isEqualTo(3);
  }

  @Test
  @DisplayName("NDJSON lines with data and metadata; a line that is not a recipient object is refused on its own")
  void ndjson() {
    String id = h.draft("ndjson");
    String body = "{\"to\":\"x@example.com\",\"data\":{\"n\":1},\"metadata\":{\"crm\":\"42\"}}\n"
        + "[1,2]\n"
        + "{\"to\":\"y@example.com\",\"extra\":true}\n"
        + "\n"
        + "{\"to\":\"z@example.com\"}";
    JsonObject r = h.upload(id, "application/x-ndjson", Buffer.buffer(body), Map.of()).bodyAsJsonObject();
    assertThat(r.getLong("accepted")).as(r.encode()).isEqualTo(2);
    assertThat(r.getLong("rejected")).isEqualTo(2);
    assertThat(r.getJsonArray("errors").getJsonObject(0).getLong("line")).isEqualTo(2);
    Row x = h.query("select data, metadata from campaign_recipients where campaign_id = $1 and recipient = "
        + "'x@example.com'", Tuple.of(id)).get(0);
    assertThat(x.getJsonObject(1).getString("crm")).isEqualTo("42");
  }

  @Test
  @DisplayName("gzip of CSV (application/gzip) and of NDJSON (Content-Encoding: gzip) are read the same way")
  void gzip() throws IOException {
    String a = h.draft("gzip-csv");
    JsonObject r = h.upload(a, "application/gzip", Buffer.buffer(gzip("to,name\ng1@example.com,G\n")), Map.of())
        .bodyAsJsonObject();
    assertThat(r.getLong("accepted")).as(r.encode()).isEqualTo(1);
    String b = h.draft("gzip-ndjson");
    r = h.upload(b, "application/x-ndjson", Buffer.buffer(gzip("{\"to\":\"g2@example.com\"}\n")),
        Map.of("content-encoding", "gzip")).bodyAsJsonObject();
    assertThat(r.getLong("accepted")).as(r.encode()).isEqualTo(1);
    assertError(h.upload(b, "application/gzip", Buffer.buffer("to\nnot gzip@example.com\n"), Map.of()), 400,
        "invalid_gzip");
  }

  @Test
  @DisplayName("a bad upload is refused whole and stores nothing: header, type, empty, UTF-8, long line, bomb, state")
  void refusedWhole() throws IOException {
    String id = h.draft("refused");
    String good = "to\nfirst@example.com\n";
    assertError(h.upload(id, "phone,name\n+5511999990001,A\n".replace("phone", "mobile")), 400, "no_address_column");
    assertError(h.upload(id, "to,to\na@example.com,b\n"), 400, "invalid_header");
    assertError(h.upload(id, ""), 400, "empty_body");
    assertError(h.upload(id, "to\n"), 400, "empty_body");
    assertError(h.upload(id, "application/json", Buffer.buffer("{}"), Map.of()), 415, "unsupported_media_type");
    assertError(h.upload(id, "text/csv", Buffer.buffer(good), Map.of("content-encoding", "br")), 415,
        "unsupported_media_type");
    Buffer badUtf8 = Buffer.buffer(good).appendBytes(new byte[] {'b', (byte) 0xC3, (byte) 0x28, '@', 'x', '\n'});
    assertError(h.upload(id, "text/csv", badUtf8, Map.of()), 400, "invalid_utf8");
    String longLine = good + "long@example.com," + "x".repeat(10 * 1024 * 1024) + "\n";
    assertError(h.upload(id, "to,note\n" + longLine.substring(3)), 400, "line_too_long");
    byte[] bomb = gzip("to\n" + "\n".repeat(200 * 1024 * 1024));
    assertError(h.upload(id, "application/gzip", Buffer.buffer(bomb), Map.of()), 413, "decompression_bomb");
    assertThat(h.count("select count(*) from campaign_recipients where campaign_id = $1", Tuple.of(id))).isZero();
    assertThat(h.get("/v1/campaigns/" + id).bodyAsJsonObject().getJsonObject("list").getLong("recipients")).isZero();
    assertThat(h.upload(id, good).statusCode()).isEqualTo(200);
    assertThat(h.post("/v1/campaigns/" + id + "/cancel", null).statusCode()).isEqualTo(200);
    assertError(h.upload(id, "to\nlate@example.com\n"), 409, "campaign_not_editable");
  }

  @Test
  @DisplayName("100k lines (several MiB, read through the socket's backpressure) are stored whole and in order")
  void large() {
    String id = h.draft("large");
    StringBuilder csv = new StringBuilder("to,n\n");
    for (int i = 0; i < 100_000; i++) {
      csv.append("big").append(i).append("@example.com,").append(i).append('\n');
    }
    JsonObject r = h.upload(id, csv.toString()).bodyAsJsonObject();
    assertThat(r.getLong("accepted")).as(r.encode()).isEqualTo(100_000);
    assertThat(h.count("select count(*) from campaign_recipients where campaign_id = $1", Tuple.of(id)))
        .isEqualTo(100_000);
    assertThat(h.query("select recipient from campaign_recipients where campaign_id = $1 order by seq desc limit 1",
        Tuple.of(id)).get(0).getString(0)).isEqualTo("big99999@example.com");
  }

  static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      z.write(b);
    }
    return out.toByteArray();
  }
}
