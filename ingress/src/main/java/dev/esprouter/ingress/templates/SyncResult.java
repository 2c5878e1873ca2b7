package dev.esprouter.ingress.templates;

/** What one sync with Meta did: templates Meta listed, registry templates updated, templates imported. */
public record SyncResult(int seen, int updated, int imported) {
}
