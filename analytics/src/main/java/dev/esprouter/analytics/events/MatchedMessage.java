package dev.esprouter.analytics.events;

/** The message row a provider event belongs to. */
record MatchedMessage(String id, String tenantId, String channel, String recipient) {
}
