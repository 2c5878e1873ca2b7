package dev.esprouter.analytics.events;

import java.util.List;

/**
 * What one write did: the events recorded for the first time (counted in stats and metrics), those
 * already seen (duplicates, changed nothing), and those whose message is unknown (kept aside).
 */
public record WriteResult(List<IncomingEvent> recorded, int duplicates, List<IncomingEvent> unmatched,
                          int suppressions) {
}
