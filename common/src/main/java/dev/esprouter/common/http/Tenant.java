package dev.esprouter.common.http;

/** The tenant an API key belongs to; {@code rateLimitPerSec} null means the configured default. */
public record Tenant(String id, String name, Integer rateLimitPerSec) {
}
