package dev.esprouter.router.store;

import dev.esprouter.common.MessageStatus;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.routing.Weights;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Column arrays for the one statement that records a routed chunk ({@link RouterSql#RECORD}):
 * message statuses, events, the weights used, dead letters; and the per-provider sent counts for
 * {@link SentStats}.
 */
public final class ChunkRecord {

  private final SendChunk chunk;
  private final List<String> ids = new ArrayList<>();
  private final List<String> statuses = new ArrayList<>();
  private final List<String> providers = new ArrayList<>();
  private final List<String> providerIds = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final List<String> recipients = new ArrayList<>();
  private final List<String> evIds = new ArrayList<>();
  private final List<String> evProviders = new ArrayList<>();
  private final List<String> evTypes = new ArrayList<>();
  private final List<String> evDetails = new ArrayList<>();
  private final Map<ProviderName, Long> sent = new EnumMap<>(ProviderName.class);
  private final List<String> dlIds = new ArrayList<>();
  private final List<String> dlReasons = new ArrayList<>();
  private final List<String> dlErrors = new ArrayList<>();
  private final List<String> dlRecipients = new ArrayList<>();
  private final List<String> dlData = new ArrayList<>();
  private final List<String> dlMetadata = new ArrayList<>();
  private Weights weights;
  private Map<ProviderName, Integer> split;

  public ChunkRecord(SendChunk chunk) {
    this.chunk = chunk;
  }

  public void status(Recipient r, MessageStatus status, ProviderName provider, String providerMessageId, String error) {
    ids.add(r.messageId());
    statuses.add(status.wire());
    providers.add(provider == null ? null : provider.wire());
    providerIds.add(providerMessageId);
    errors.add(error);
    recipients.add(r.to());
    if (status == MessageStatus.SENT && provider != null) {
      sent.merge(provider, 1L, Long::sum);
    }
  }

  public void event(String messageId, ProviderName provider, String type, JsonObject detail) {
    evIds.add(messageId);
    evProviders.add(provider == null ? null : provider.wire());
    evTypes.add(type);
    evDetails.add(detail == null ? null : detail.encode());
  }

  /** A dead letter: {@code exhausted} (status dead) or {@code permanent} (status failed). */
  public void deadLetter(Recipient r, String reason, String error) {
    dlIds.add(r.messageId());
    dlReasons.add(reason);
    dlErrors.add(error);
    dlRecipients.add(r.to());
    dlData.add(ChunkStore.json(r.data()));
    dlMetadata.add(ChunkStore.json(r.metadata()));
  }

  public void weights(Weights used, Map<ProviderName, Integer> split) {
    this.weights = used;
    this.split = split;
  }

  SendChunk chunk() {
    return chunk;
  }

  /** Recipients provider-accepted, per provider. */
  Map<ProviderName, Long> sent() {
    return sent;
  }

  Tuple tuple() {
    JsonObject splitJson = new JsonObject();
    if (split != null) {
      split.forEach((p, n) -> splitJson.put(p.wire(), n));
    }
    return Tuple.tuple()
        .addArrayOfString(arr(ids)).addArrayOfString(arr(statuses)).addArrayOfString(arr(providers))
        .addArrayOfString(arr(providerIds)).addArrayOfString(arr(errors)).addArrayOfString(arr(recipients))
        .addString(chunk.tenantId()).addString(chunk.batchId()).addInteger(chunk.chunkIndex())
        .addString(chunk.channel().wire()).addInteger(chunk.attempt() + 1).addString(chunk.priority().wire())
        .addArrayOfString(arr(evIds)).addArrayOfString(arr(evProviders)).addArrayOfString(arr(evTypes))
        .addArrayOfString(arr(evDetails))
        .addString(weights == null ? null : weights.toJson().encode()).addString(splitJson.encode())
        .addInteger(chunk.recipients().size())
        .addString(chunk.content().toJson().encode()).addString(chunk.provider()).addString(chunk.campaignId())
        .addArrayOfString(arr(dlIds)).addArrayOfString(arr(dlReasons)).addArrayOfString(arr(dlErrors))
        .addArrayOfString(arr(dlRecipients)).addArrayOfString(arr(dlData)).addArrayOfString(arr(dlMetadata));
  }

  private static String[] arr(List<String> l) {
    return l.toArray(new String[0]);
  }
}
