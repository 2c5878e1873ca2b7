package dev.esprouter.sandbox.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One provider's recipients waiting for their webhooks, in acceptance order (so in due order: one
 * provider has one delay). Bounded: what does not fit is counted in the record as
 * {@code webhooks_dropped} instead of growing the heap.
 */
public final class WebhookLane {

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final int capacity;
  private final WebhookFormat format;
  private final ProviderRecord record;
  private long pendingEvents;
  private long inflightEvents;

  public WebhookLane(int capacity, WebhookFormat format, ProviderRecord record) {
    this.capacity = capacity;
    this.format = format;
    this.record = record;
  }

  /** Queues what fits and counts the events of what does not. */
  synchronized void offer(List<Pending> batch) {
    for (Pending p : batch) {
      int events = format.eventCount(p.outcome());
      if (events == 0) {
        continue;
      }
      if (queue.size() >= capacity) {
        record.webhooksDropped.add(events);
      } else {
        queue.add(p);
        pendingEvents += events;
      }
    }
  }

  /** Up to {@code max} recipients whose webhooks are due at {@code nowMs}, with at most {@code maxEvents} events. */
  synchronized List<Pending> takeDue(long nowMs, int max, long maxEvents) {
    List<Pending> out = new ArrayList<>();
    long events = 0;
    while (out.size() < max && !queue.isEmpty() && queue.peek().dueAtMs() <= nowMs) {
      int e = format.eventCount(queue.peek().outcome());
      if (!out.isEmpty() && events + e > maxEvents) {
        break;
      }
      if (out.isEmpty() && e > maxEvents) {
        break;
      }
      out.add(queue.poll());
      events += e;
    }
    pendingEvents -= events;
    return out;
  }

  /** Events queued or posted and not yet answered. */
  public synchronized long pendingEvents() {
    return pendingEvents + inflightEvents;
  }

  synchronized void inflight(long delta) {
    inflightEvents += delta;
  }

  synchronized void clear() {
    queue.clear();
    pendingEvents = 0;
  }

  WebhookFormat format() {
    return format;
  }

  ProviderRecord record() {
    return record;
  }
}
