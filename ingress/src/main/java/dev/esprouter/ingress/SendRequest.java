package dev.esprouter.ingress;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Priority;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What every recipient of one request shares: channel, lane, optional provider pin and send time,
 * the content (placeholders are filled per recipient by the router), and request-level metadata.
 */
record SendRequest(Channel channel, Priority priority, String provider, Instant sendAt, Content content,
                   JsonObject metadata) {

  SendRequest withContent(Content c) {
    return c == content ? this : new SendRequest(channel, priority, provider, sendAt, c, metadata);
  }
}
