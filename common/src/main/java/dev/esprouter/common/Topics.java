package dev.esprouter.common;

import java.util.ArrayList;
import java.util.List;

/** Kafka topic names, all under one configurable prefix (empty by default). */
public final class Topics {

  private final String prefix;

  public Topics(String prefix) {
    this.prefix = prefix == null ? "" : prefix;
  }

  public String send(Priority priority) {
    return prefix + "send." + priority.wire();
  }

  public String retry() {
    return prefix + "send.retry";
  }

  public String deadLetters() {
    return prefix + "send.dlq";
  }

  /**
   * The router's facts (a provider accepted these recipients, refused those, these go to retry...),
   * read by the status writer and anyone who follows progress.
   */
  public String outcomes() {
    return prefix + "send.outcomes";
  }

  public String webhooks(ProviderName provider) {
    return prefix + "webhooks." + provider.wire();
  }

  public String events() {
    return prefix + "events";
  }

  /** Every topic the router needs, created at start when missing. */
  public List<String> all() {
    List<String> all = new ArrayList<>();
    for (Priority p : Priority.values()) {
      all.add(send(p));
    }
    all.add(retry());
    all.add(deadLetters());
    all.add(outcomes());
    for (ProviderName p : ProviderName.values()) {
      all.add(webhooks(p));
    }
    all.add(events());
    return List.copyOf(all);
  }

  /** Kafka record header names carried by every send record. */
  public static final String HEADER_TENANT = "esp-tenant";
  public static final String HEADER_PRIORITY = "esp-priority";
  public static final String HEADER_TRACE_ID = "esp-trace-id";
}
