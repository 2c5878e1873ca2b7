package dev.esprouter.sandbox.core;

import io.vertx.core.json.JsonObject;

/**
 * One recipient a provider accepted, with what its webhooks must carry back.
 *
 * @param address    the recipient: an email address, an E.164 number without '+', a Telegram chat id
 * @param routerId   the router's own message id found in the request (esp_message_id, MessageId,
 *                   biz_opaque_callback_data), or null when the request carried none
 * @param providerId the provider's id for this recipient (SendGrid's X-Message-Id, Postmark's
 *                   MessageID, a wamid, a Telegram message_id, ...)
 * @param echo       what the provider echoes in its events (custom_args, Metadata, rcpt_meta, ...), or null
 * @param group      the provider's grouping id (transmission id, mailing id, phone number id), or null
 */
public record Delivery(String address, String routerId, String providerId, JsonObject echo, String group) {
}
