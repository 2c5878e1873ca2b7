package dev.esprouter.sandbox.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The events of an email provider for one recipient, in the order they happen: the fate's event
 * (delivery, soft bounce, recipient-side hard bounce, drop, provider-side block), then an open, a
 * click and a spam complaint where drawn.
 * Each provider renders the single events its way and batches them its way.
 */
public abstract class EmailWebhooks implements WebhookFormat {

  @Override
  public int eventCount(Outcome outcome) {
    return outcome.emailEvents();
  }

  /**
   * The recipient's events; times are epoch milliseconds, spread after the send (delivery +1 s,
   * open +30 s, click +60 s, complaint +90 s) but never later than {@code nowMs}, when they are posted.
   */
  protected final List<JsonObject> events(Pending p, long nowMs) {
    long t = p.acceptedAtMs();
    Outcome o = p.outcome();
    List<JsonObject> out = new ArrayList<>(eventCount(o));
    switch (o.fate()) {
      case DELIVERED -> {
        out.add(delivered(p, Math.min(t + 1_000, nowMs)));
        if (o.opened()) {
          out.add(opened(p, Math.min(t + 30_000, nowMs)));
        }
        if (o.clicked()) {
          out.add(clicked(p, Math.min(t + 60_000, nowMs)));
        }
        if (o.complained()) {
          out.add(complained(p, Math.min(t + 90_000, nowMs)));
        }
      }
      case SOFT_BOUNCE -> out.add(softBounced(p, Math.min(t + 1_000, nowMs)));
      case HARD_BOUNCE -> out.add(hardBounced(p, Math.min(t + 1_000, nowMs)));
      case DROPPED -> out.add(dropped(p, t));
      case BLOCKED -> out.add(blocked(p, Math.min(t + 1_000, nowMs)));
    }
    return out;
  }

  /** Every event of the batch in one array, for the providers that post arrays (SendGrid, SparkPost). */
  protected final JsonArray allEvents(List<Pending> batch, long nowMs) {
    JsonArray events = new JsonArray();
    for (Pending p : batch) {
      events(p, nowMs).forEach(events::add);
    }
    return events;
  }

  /** One request per event, for the providers that post single objects (Postmark, SocketLabs). */
  protected final List<WebhookPost> onePerPost(List<Pending> batch, long nowMs, Map<String, String> headers) {
    List<WebhookPost> posts = new ArrayList<>();
    for (Pending p : batch) {
      for (JsonObject e : events(p, nowMs)) {
        posts.add(new WebhookPost(e.toBuffer(), headers, 1));
      }
    }
    return posts;
  }

  protected abstract JsonObject delivered(Pending p, long atMs);

  protected abstract JsonObject opened(Pending p, long atMs);

  protected abstract JsonObject clicked(Pending p, long atMs);

  protected abstract JsonObject complained(Pending p, long atMs);

  protected abstract JsonObject softBounced(Pending p, long atMs);

  protected abstract JsonObject hardBounced(Pending p, long atMs);

  protected abstract JsonObject dropped(Pending p, long atMs);

  /**
   * A permanent refusal the provider is to blame for (the receiver blocked its sending IP or domain
   * for reputation or policy), in the fields the provider uses to say so: the router's parsers must
   * classify it provider-side, unlike {@link #hardBounced} (no such address).
   */
  protected abstract JsonObject blocked(Pending p, long atMs);
}
