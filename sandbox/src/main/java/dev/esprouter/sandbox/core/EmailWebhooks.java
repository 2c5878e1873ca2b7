package dev.esprouter.sandbox.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The events of an email provider for one recipient, in the order they happen: the fate's event
 * (delivery, soft or hard bounce, drop) a second after the send, then an open, a click and a spam
 * complaint where drawn. Each provider renders the single events its way and batches them its way.
 */
public abstract class EmailWebhooks implements WebhookFormat {

  @Override
  public int eventCount(Outcome outcome) {
    return outcome.emailEvents();
  }

  /** The recipient's events; times are epoch milliseconds. */
  protected final List<JsonObject> events(Pending p) {
    long t = p.acceptedAtMs();
    Outcome o = p.outcome();
    List<JsonObject> out = new ArrayList<>(eventCount(o));
    switch (o.fate()) {
      case DELIVERED -> {
        out.add(delivered(p, t + 1_000));
        if (o.opened()) {
          out.add(opened(p, t + 30_000));
        }
        if (o.clicked()) {
          out.add(clicked(p, t + 60_000));
        }
        if (o.complained()) {
          out.add(complained(p, t + 90_000));
        }
      }
      case SOFT_BOUNCE -> out.add(softBounced(p, t + 1_000));
      case HARD_BOUNCE -> out.add(hardBounced(p, t + 1_000));
      case DROPPED -> out.add(dropped(p, t));
    }
    return out;
  }

  /** Every event of the batch in one array, for the providers that post arrays (SendGrid, SparkPost). */
  protected final JsonArray allEvents(List<Pending> batch) {
    JsonArray events = new JsonArray();
    for (Pending p : batch) {
      events(p).forEach(events::add);
    }
    return events;
  }

  /** One request per event, for the providers that post single objects (Postmark, SocketLabs). */
  protected final List<WebhookPost> onePerPost(List<Pending> batch, Map<String, String> headers) {
    List<WebhookPost> posts = new ArrayList<>();
    for (Pending p : batch) {
      for (JsonObject e : events(p)) {
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
}
