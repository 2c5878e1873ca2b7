package dev.esprouter.campaigns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The campaigns role's meters, with bounded labels only (never a campaign id): campaigns per state
 * (counted for the whole cluster, so use {@code max()}), recipients fed to the lanes, what the feeders
 * of this process have fed and the router not yet settled (their lag), and upload lines by result.
 */
final class CampaignMetrics {

  private final Map<CampaignState, AtomicLong> byState = new EnumMap<>(CampaignState.class);
  private final Counter fed;
  private final AtomicLong lag = new AtomicLong();
  private final Map<String, Counter> lines = new java.util.HashMap<>();

  CampaignMetrics(MeterRegistry registry) {
    for (CampaignState s : CampaignState.values()) {
      AtomicLong n = new AtomicLong();
      byState.put(s, n);
      Gauge.builder("esp_campaigns", n, AtomicLong::get).description("Campaigns per state (every campaign of the "
          + "cluster; use max())").tag("state", s.wire()).register(registry);
    }
    fed = Counter.builder("esp_campaign_recipients_fed_total")
        .description("Campaign recipients this process published to the send lanes").register(registry);
    Gauge.builder("esp_campaign_feeder_lag_recipients", lag, AtomicLong::get)
        .description("Recipients this process's feeders published that the router has not settled yet")
        .register(registry);
    for (String r : new String[] {"accepted", "rejected", "duplicates", "suppressed"}) {
      lines.put(r, Counter.builder("esp_campaign_upload_lines_total")
          .description("Uploaded recipient lines by result").tag("result", r).register(registry));
    }
  }

  void states(Map<String, Long> counts) {
    for (Map.Entry<CampaignState, AtomicLong> e : byState.entrySet()) {
      e.getValue().set(counts.getOrDefault(e.getKey().wire(), 0L));
    }
  }

  void fed(int n) {
    fed.increment(n);
  }

  void lag(long recipients) {
    lag.set(recipients);
  }

  void uploaded(JsonObject report) {
    lines.forEach((result, c) -> c.increment(report.getLong(result, 0L)));
  }
}
