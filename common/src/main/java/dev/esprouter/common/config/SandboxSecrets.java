package dev.esprouter.common.config;

/**
 * The webhook credentials the sandbox signs with and the router's webhook verifiers trust in
 * sandbox mode, in addition to any configured ones. They are public on purpose: the sandbox runs
 * on loopback for demos, tests and benchmarks, and these values are never accepted in live mode.
 */
public final class SandboxSecrets {

  private SandboxSecrets() {
  }

  /** SendGrid Event Webhook signing key, ECDSA P-256, PKCS#8 DER in base64 (the sandbox signs with it). */
  public static final String SENDGRID_PRIVATE_KEY = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmtTqY3PgoVl4W/mZR+QblLONIVJDOoUGLGq6BBL261KhRANCAATmIOd99aKfp34bDAzga1MzKYczmSRpsivJIjf5BHJRSMKRebEkkYUqIQq06z6j1fCs5T/AK/UyhvdFp92djDch";

  /** Its public half, X.509 SubjectPublicKeyInfo DER in base64: the form SendGrid shows in its UI. */
  public static final String SENDGRID_PUBLIC_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5iDnffWin6d+GwwM4GtTMymHM5kkabIrySI3+QRyUUjCkXmxJJGFKiEKtOs+o9XwrOU/wCv1Mob3RafdnYw3IQ==";

  /** Basic auth credentials of the Postmark webhook URL. */
  public static final String POSTMARK_WEBHOOK_USER = "sandbox";
  public static final String POSTMARK_WEBHOOK_PASSWORD = "sandbox-postmark-webhook";

  /** The SecretKey SocketLabs puts in every event payload, and its validation key. */
  public static final String SOCKETLABS_WEBHOOK_SECRET = "sandbox-socketlabs-secret";
  public static final String SOCKETLABS_WEBHOOK_VALIDATION_KEY = "sandbox-socketlabs-validation";

  /** Basic auth credentials of the SparkPost webhook (auth_type basic). */
  public static final String SPARKPOST_WEBHOOK_USER = "sandbox";
  public static final String SPARKPOST_WEBHOOK_PASSWORD = "sandbox-sparkpost-webhook";

  /** Meta app secret (HMAC-SHA256 of X-Hub-Signature-256) and the verify token of hub.challenge. */
  public static final String META_APP_SECRET = "sandbox-meta-app-secret";
  public static final String META_VERIFY_TOKEN = "sandbox-meta-verify-token";

  /** Telegram setWebhook secret_token, sent back as X-Telegram-Bot-Api-Secret-Token. */
  public static final String TELEGRAM_WEBHOOK_SECRET = "sandbox-telegram-secret";
}
