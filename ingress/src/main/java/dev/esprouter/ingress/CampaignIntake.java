package dev.esprouter.ingress;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Priority;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.ingress.templates.TemplateChecks;
import dev.esprouter.ingress.templates.TemplateRefusal;
import dev.esprouter.ingress.templates.TemplateRegistry;
import dev.esprouter.ingress.templates.TemplateSettings;
import dev.esprouter.ingress.templates.TemplateUse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What campaigns take from ingress, so that a campaign's content and recipients are checked, stored
 * and queued exactly as {@code /v1/messages} and {@code /v1/batches} do it: the request parser, the
 * template checks, the suppression lookup, the message rows (ingress owns {@code messages}), the
 * chunker and the send-lane publisher. One instance per campaigns role; thread-safe.
 */
public final class CampaignIntake {

  /** A campaign's content or one of its recipients refused; {@link #error()} is the answer. */
  public static final class Refused extends RuntimeException {
    private final transient ApiError error;

    public Refused(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public ApiError error() {
      return error;
    }
  }

  /** A campaign's shared part, validated as a batch's is. {@code sendAt} is the campaign's, not its chunks'. */
  public record Send(Channel channel, Priority priority, String provider, Instant sendAt, Content content,
                     JsonObject metadata) {

    SendRequest request() {
      return new SendRequest(channel, priority, provider, null, content, metadata);
    }

    public Send withContent(Content c) {
      return new Send(channel, priority, provider, sendAt, c, metadata);
    }
  }

  private final IngressSettings settings;
  private final SendPublisher publisher;
  private final TemplateChecks checks;

  private CampaignIntake(IngressSettings settings, SendPublisher publisher, TemplateChecks checks) {
    this.settings = settings;
    this.publisher = publisher;
    this.checks = checks;
  }

  /**
   * Readies a publisher of its own (single records: a campaign chunk is one record, atomic alone) and
   * the template checks: the ingress role's when it runs in this process, else the same checks over
   * the process's template registry and {@code ESP_TEMPLATES_DIR}.
   */
  public static Future<CampaignIntake> start(RoleContext ctx) {
    IngressSettings settings = IngressSettings.from(ctx.config().reader());
    Future<TemplateChecks> checks = ctx.services().find(TemplateChecks.class).map(Future::succeededFuture)
        .orElseGet(() -> {
          TemplateFolder folder = new TemplateFolder(settings.templatesDir());
          TemplateRegistry registry = ctx.services().find(TemplateRegistry.class).orElseGet(() ->
              new TemplateRegistry(ctx.pool(), TemplateSettings.cacheMs(ctx.config().reader())));
          return folder.reloadIfChanged(ctx.vertx()).map(v -> new TemplateChecks(registry, content -> {
            try {
              return folder.current().expand(content);
            } catch (Invalid e) {
              throw new TemplateRefusal(e.error());
            }
          }));
        });
    return checks.compose(c -> ctx.vertx().executeBlocking(() -> {
      SendPublisher p = new SendPublisher(ctx.vertx(), ctx.config().kafka(), ctx.topics(), settings);
      p.warmUpLanes();
      return new CampaignIntake(settings, p, c);
    }));
  }

  /** The campaign's content, priority, pin, send time and metadata; {@code own} are the campaign's other fields. */
  public Send parse(JsonObject body, Set<String> own) {
    try {
      SendRequest r = SendRequestParser.campaign(body, own);
      return new Send(r.channel(), r.priority(), r.provider(), r.sendAt(), r.content(), r.metadata());
    } catch (Invalid e) {
      throw new Refused(e.error());
    }
  }

  /** The template check, once per campaign or upload; fails with {@link TemplateRefusal}. */
  public Future<TemplateUse> prepare(String tenantId, Send send) {
    return checks.prepare(tenantId, send.channel(), send.content());
  }

  /** One listed recipient checked like a batch recipient; throws {@link Refused} naming {@code path}. */
  public Recipient recipient(Send send, String id, String to, JsonObject data, JsonObject metadata, String path) {
    try {
      return SendRequestParser.listed(send.request(), id, to, data, metadata, path);
    } catch (Invalid e) {
      throw new Refused(e.error());
    }
  }

  /** Which of these addresses (as given) the tenant may not send to: one statement. */
  public Future<Set<String>> suppressed(SqlClient client, String tenantId, Channel channel, List<String> addresses) {
    if (addresses.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return SuppressionCheck.suppressed(client, List.of(new SuppressionCheck.Lookup(tenantId, channel, addresses)))
        .map(l -> l.get(0));
  }

  /** The message rows of these chunks, one statement each; rows already there (a chunk fed again) stay as they are. */
  public Future<Void> writeMessages(SqlClient client, List<SendChunk> chunks) {
    List<Future<?>> writes = new ArrayList<>(chunks.size());
    for (SendChunk c : chunks) {
      writes.add(MessageStore.insert(client, MessageRow.of(c)));
    }
    return Future.all(writes).mapEmpty();
  }

  /**
   * These recipients as chunks of the campaign (≤ 500 recipients and the record size limit, as batches
   * are cut), numbered from {@code firstIndex}, each identified in the router's ledger by the campaign
   * and its first message id: the same recipients always make the same chunks, so a chunk fed again
   * after a crash is the same ledger entry and sends nothing twice. {@code chunkCount} is the campaign's
   * expected number of chunks (recipients / 500, rounded up; more when large data cut them smaller).
   */
  public List<SendChunk> chunks(Send send, String tenantId, String campaignId, int firstIndex, int chunkCount,
                                List<Recipient> recipients, Instant acceptedAt) {
    List<SendChunk> cut = Chunker.chunks(send.request(), tenantId, campaignId, recipients, settings.maxChunkBytes(),
        acceptedAt);
    List<SendChunk> out = new ArrayList<>(cut.size());
    for (int i = 0; i < cut.size(); i++) {
      SendChunk c = cut.get(i);
      out.add(new SendChunk(campaignId, tenantId, firstIndex + i,
          Math.max(chunkCount, firstIndex + cut.size()), c.channel(), c.priority(),
          c.provider(), null, null, 0, c.content(), c.recipients(), acceptedAt, campaignId,
          campaignId + "/" + c.recipients().get(0).messageId()));
    }
    return out;
  }

  /** A message row as listed: id, address, accepted at. */
  public record Listed(String id, String to, Instant createdAt) {
  }

  /** A page of a campaign's message rows (its id is their batch id) by id after {@code after}, as for batches. */
  public Future<List<Listed>> messages(SqlClient client, String tenantId, String campaignId, String after, int limit) {
    return client.preparedQuery(ReadApi.BATCH_PAGE).execute(io.vertx.sqlclient.Tuple.of(campaignId, tenantId, after,
        limit)).map(rows -> {
          List<Listed> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new Listed(r.getString(0), r.getString(1), r.getOffsetDateTime(2).toInstant())));
          return out;
        });
  }

  /** One chunk on its lane, acknowledged by Kafka. */
  public Future<Void> publish(SendChunk chunk, String traceId) {
    return publisher.publish(chunk, traceId);
  }

  public Future<Void> close() {
    return publisher.close();
  }
}
