package dev.esprouter.sandbox.core;

/** An accepted recipient waiting for its webhooks: its drawn outcome and when they are due. */
public record Pending(Delivery delivery, Outcome outcome, long dueAtMs, long acceptedAtMs) {
}
