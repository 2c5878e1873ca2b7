package dev.esprouter.campaigns;

import static dev.esprouter.campaigns.CampaignsApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("ESP_CAMPAIGN_UPLOAD_MAX_BYTES and ESP_CAMPAIGN_UPLOAD_MAX_INFLATED_BYTES refuse larger uploads with 413")
class UploadLimitTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  static CampaignHarness h;

  @BeforeAll
  static void start() {
    h = CampaignHarness.start(env, Map.of("ESP_CAMPAIGN_UPLOAD_MAX_BYTES", "4096",
        "ESP_CAMPAIGN_UPLOAD_MAX_INFLATED_BYTES", "8192"));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  @DisplayName("a body over the limit is a 413 and stores nothing; one under it is stored")
  void limit() throws Exception {
    String id = h.draft("limited");
    StringBuilder csv = new StringBuilder("to\n");
    for (int i = 0; csv.length() < 10_000; i++) {
      csv.append("user").append(i).append("@example.com\n");
    }
    assertError(h.upload(id, csv.toString()), 413, "upload_too_large");
    assertError(h.upload(id, "text/csv", Buffer.buffer(csv.toString()), Map.of("transfer-encoding", "chunked")), 413,
        "upload_too_large");
    assertError(h.upload(id, "application/gzip", Buffer.buffer(RecipientUploadTest.gzip(csv.toString())), Map.of()),
        413, "upload_too_large");
    assertThat(h.count("select count(*) from campaign_recipients where campaign_id = $1", Tuple.of(id))).isZero();
    assertThat(h.upload(id, "to\nsmall@example.com\n").statusCode()).isEqualTo(200);
  }
}
