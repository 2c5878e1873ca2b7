package dev.esprouter.common.config;

/** Where the provider clients send: the real providers, or the local sandbox that speaks their APIs. */
public enum ProvidersMode {
  LIVE, SANDBOX
}
