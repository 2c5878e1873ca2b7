package dev.esprouter.router.ledger;

import dev.esprouter.common.ProviderName;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Set;

/** One thing a chunk asks the {@link LedgerWriter} to make durable, with the promise it waits on. */
public abstract sealed class LedgerRequest {

  /** Set after a data error in a shared flush: this request is then written alone. */
  boolean solo;

  abstract void addTo(LedgerWriter.FlushArgs a);

  abstract void committed(Set<String> freshChunks);

  abstract void fail(Throwable t);

  /** A provider call about to be made: its number in the chunk's delivery, provider and recipients. */
  public record Intent(int callNo, ProviderName provider, List<String> messageIds) {
  }

  /** The key of a chunk delivery in the ledger. */
  public record ChunkRef(String chunkKey, int attempt) {
  }

  /**
   * The first write of a chunk delivery: its row and the intents of its first round of calls. The
   * future says whether the chunk was new; if it was not (a redelivery), nothing was written.
   */
  public static final class Begin extends LedgerRequest {
    final Promise<Boolean> promise = Promise.promise();
    private final ChunkRef ref;
    private final String tenantId;
    private final String batchId;
    private final int chunkIndex;
    private final String campaignId;
    private final String channel;
    private final int recipients;
    private final String weightsJson;
    private final String splitJson;
    private final List<Intent> intents;

    public Begin(ChunkRef ref, String tenantId, String batchId, int chunkIndex, String campaignId, String channel,
                 int recipients, String weightsJson, String splitJson, List<Intent> intents) {
      this.ref = ref;
      this.tenantId = tenantId;
      this.batchId = batchId;
      this.chunkIndex = chunkIndex;
      this.campaignId = campaignId;
      this.channel = channel;
      this.recipients = recipients;
      this.weightsJson = weightsJson;
      this.splitJson = splitJson;
      this.intents = intents;
    }

    @Override
    void addTo(LedgerWriter.FlushArgs a) {
      a.nKey.add(ref.chunkKey());
      a.nAttempt.add(ref.attempt());
      a.nTenant.add(tenantId);
      a.nBatch.add(batchId);
      a.nIndex.add(chunkIndex);
      a.nCampaign.add(campaignId);
      a.nChannel.add(channel);
      a.nRecipients.add(recipients);
      a.nWeights.add(weightsJson);
      a.nSplit.add(splitJson);
      Intents.add(a, ref, intents, true);
    }

    @Override
    void committed(Set<String> freshChunks) {
      promise.tryComplete(freshChunks.contains(ref.chunkKey() + '\u0000' + ref.attempt()));
    }

    @Override
    void fail(Throwable t) {
      promise.tryFail(t);
    }
  }

  /** Intents of a later round of calls (failover, or a redelivered chunk's remaining recipients). */
  public static final class Intents extends LedgerRequest {
    final Promise<Void> promise = Promise.promise();
    private final ChunkRef ref;
    private final List<Intent> intents;

    public Intents(ChunkRef ref, List<Intent> intents) {
      this.ref = ref;
      this.intents = intents;
    }

    static void add(LedgerWriter.FlushArgs a, ChunkRef ref, List<Intent> intents, boolean begin) {
      for (Intent i : intents) {
        a.cKey.add(ref.chunkKey());
        a.cAttempt.add(ref.attempt());
        a.cNo.add(i.callNo());
        a.cProvider.add(i.provider().wire());
        a.cIds.add(join(i.messageIds()));
        a.cBegin.add(begin);
      }
    }

    @Override
    void addTo(LedgerWriter.FlushArgs a) {
      add(a, ref, intents, false);
    }

    @Override
    void committed(Set<String> freshChunks) {
      promise.tryComplete();
    }

    @Override
    void fail(Throwable t) {
      promise.tryFail(t);
    }
  }

  /**
   * The outcome of one call: one letter per recipient of its intent ({@code a} accepted, {@code r}
   * refused for good, {@code t} transient, {@code n} not sent), the provider's ids (one per recipient,
   * one shared, or none) and reasons.
   */
  public static final class Answered extends LedgerRequest {
    final Promise<Void> promise = Promise.promise();
    private final ChunkRef ref;
    private final int callNo;
    private final String results;
    private final List<String> providerIds;
    private final List<String> reasons;

    public Answered(ChunkRef ref, int callNo, String results, List<String> providerIds, List<String> reasons) {
      this.ref = ref;
      this.callNo = callNo;
      this.results = results;
      this.providerIds = providerIds;
      this.reasons = reasons;
    }

    @Override
    void addTo(LedgerWriter.FlushArgs a) {
      a.oKey.add(ref.chunkKey());
      a.oAttempt.add(ref.attempt());
      a.oNo.add(callNo);
      a.oResults.add(results);
      a.oProviderIds.add(join(providerIds));
      a.oReasons.add(join(reasons));
    }

    @Override
    void committed(Set<String> freshChunks) {
      promise.tryComplete();
    }

    @Override
    void fail(Throwable t) {
      promise.tryFail(t);
    }
  }

  /** Every recipient of the chunk delivery is placed; {@code placedJson} holds what calls do not say. */
  public static final class Done extends LedgerRequest {
    final Promise<Void> promise = Promise.promise();
    private final ChunkRef ref;
    private final String placedJson;

    public Done(ChunkRef ref, String placedJson) {
      this.ref = ref;
      this.placedJson = placedJson;
    }

    @Override
    void addTo(LedgerWriter.FlushArgs a) {
      a.dKey.add(ref.chunkKey());
      a.dAttempt.add(ref.attempt());
      a.dPlaced.add(placedJson);
    }

    @Override
    void committed(Set<String> freshChunks) {
      promise.tryComplete();
    }

    @Override
    void fail(Throwable t) {
      promise.tryFail(t);
    }
  }

  /** The values joined by U+001F (which none contains: it is replaced by a space if it does). */
  static String join(List<String> values) {
    if (values == null || values.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(values.size() * 28);
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(LedgerSql.SEP);
      }
      String v = values.get(i);
      if (v != null) {
        b.append(v.indexOf(LedgerSql.SEP) < 0 ? v : v.replace(LedgerSql.SEP, ' '));
      }
    }
    return b.toString();
  }

  /** The inverse of {@link #join}; an empty text is an empty list. */
  static List<String> split(String joined) {
    if (joined == null || joined.isEmpty()) {
      return List.of();
    }
    return List.of(joined.split(String.valueOf(LedgerSql.SEP), -1));
  }
}
