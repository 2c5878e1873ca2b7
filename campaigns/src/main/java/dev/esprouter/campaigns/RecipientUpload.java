package dev.esprouter.campaigns;

import dev.esprouter.common.Recipient;
import dev.esprouter.common.SuppressionAddress;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.ingress.CampaignIntake;
import dev.esprouter.ingress.templates.TemplateUse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One recipient upload, run on a worker thread of its own: the body is read as it arrives
 * ({@link BodyStream}), inflated if gzip ({@link InflateGuard}), decoded as strict UTF-8, parsed line by
 * line, and stored a thousand lines a statement, in one PostgreSQL transaction that holds the
 * campaign's row: either the whole upload is stored or none of it (a bad header, a body too large, a
 * byte that is not UTF-8, a line too long). Per thousand lines: each line checked like a batch
 * recipient (and against the template), one suppression lookup, one insert that skips addresses the
 * campaign already has.
 */
final class RecipientUpload {

  /** How the body is written. */
  enum Format { CSV, NDJSON, SNIFF }

  static final int LINES_PER_STATEMENT = 1000;
  static final int MAX_ERRORS = 100;
  private static final long STATEMENT_TIMEOUT_S = 120;

  private final Pool pool;
  private final CampaignIntake intake;
  private final CampaignSettings settings;
  private final String tenantId;
  private final String campaignId;
  private long accepted;
  private long rejected;
  private long duplicates;
  private long suppressed;
  private final JsonArray errors = new JsonArray();

  RecipientUpload(Pool pool, CampaignIntake intake, CampaignSettings settings, String tenantId, String campaignId) {
    this.pool = pool;
    this.intake = intake;
    this.settings = settings;
    this.tenantId = tenantId;
    this.campaignId = campaignId;
  }

  /** Reads and stores the whole body; the report, or an {@link UploadFailure} and nothing stored. Blocking. */
  JsonObject run(BodyStream body, Format format, boolean gzip) {
    SqlConnection conn = await(pool.getConnection());
    try {
      Transaction tx = await(conn.begin());
      try {
        JsonObject report = store(conn, body, format, gzip);
        await(tx.commit());
        return report;
      } catch (RuntimeException e) {
        tx.rollback();
        throw e;
      }
    } finally {
      conn.close();
    }
  }

  private JsonObject store(SqlConnection conn, BodyStream body, Format format, boolean gzip) {
    RowSet<Row> locked = await(conn.preparedQuery(RecipientRows.LOCK_FOR_UPLOAD).execute(Tuple.of(campaignId,
        tenantId)));
    if (locked.size() == 0) {
      throw new UploadFailure(404, "not_found", "campaign not found");
    }
    Row c = locked.iterator().next();
    if (!"draft".equals(c.getString(0))) {
      throw new UploadFailure(409, "campaign_not_editable", "recipients can be uploaded while the campaign is draft; "
          + "it is " + c.getString(0));
    }
    long seq = c.getLong(1);
    JsonObject request = await(conn.preparedQuery(CampaignSql.GET).execute(Tuple.of(campaignId, tenantId)))
        .iterator().next().getJsonObject("request");
    CampaignIntake.Send parsed = intake.parse(request, CampaignsApi.OWN);
    TemplateUse use = await(intake.prepare(tenantId, parsed));
    CampaignIntake.Send send = parsed.withContent(use.content());
    ListLine.Source lines = null;
    try {
      lines = open(body, format, gzip);
      List<ListLine> group = new ArrayList<>(LINES_PER_STATEMENT);
      ListLine l;
      while ((l = lines.next()) != null) {
        group.add(l);
        if (group.size() == LINES_PER_STATEMENT) {
          seq = storeGroup(conn, send, use, group, seq);
          group.clear();
        }
      }
      seq = storeGroup(conn, send, use, group, seq);
    } catch (CharacterCodingException e) {
      throw UploadFailure.badRequest("invalid_utf8", "line " + (lines == null ? 1 : lines.line())
          + " is not UTF-8; nothing was stored");
    } catch (ZipException | EOFException e) {
      throw UploadFailure.badRequest("invalid_gzip", "the gzip body is damaged or cut short (" + e.getMessage()
          + "); nothing was stored");
    } catch (IOException e) {
      throw new IllegalStateException("the upload could not be read: " + e.getMessage(), e);
    }
    if (accepted + rejected + duplicates + suppressed == 0) {
      throw UploadFailure.badRequest("empty_body", "the upload has no recipient line");
    }
    long total = await(conn.preparedQuery(RecipientRows.FINISH_UPLOAD).execute(Tuple.of(campaignId, seq, accepted,
        rejected, duplicates, suppressed))).iterator().next().getLong(0);
    return new JsonObject().put("accepted", accepted).put("rejected", rejected).put("duplicates", duplicates)
        .put("suppressed", suppressed).put("errors", errors).put("recipients", total);
  }

  /** The body as lines: gzip inflated under guard, a byte-order mark dropped, any byte that is not UTF-8 an error. */
  private ListLine.Source open(BodyStream body, Format format, boolean gzip) throws IOException {
    InputStream in = body;
    if (gzip) {
      in = new InflateGuard(new GZIPInputStream(body, 64 * 1024), settings.uploadMaxInflated(),
          settings.uploadMaxRatio(), body::received);
    }
    Reader decoded = new InputStreamReader(new BufferedInputStream(in, 64 * 1024), StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    PushbackReader reader = new PushbackReader(decoded, 1);
    int first = reader.read();
    if (first >= 0 && first != '\uFEFF') {
      reader.unread(first);
    }
    if (format == Format.SNIFF) {
      int c = reader.read();
      if (c >= 0) {
        reader.unread(c);
      }
      format = c == '{' ? Format.NDJSON : Format.CSV;
    }
    if (format == Format.NDJSON) {
      return new NdjsonList(reader, settings.maxLineBytes());
    }
    return CsvList.open(reader, settings.maxLineBytes());
  }

  /** One statement's worth of lines: checked, looked up in the suppressions, stored. The next free seq. */
  private long storeGroup(SqlConnection conn, CampaignIntake.Send send, TemplateUse use, List<ListLine> group,
                          long seq) {
    if (group.isEmpty()) {
      return seq;
    }
    List<RecipientRows.Listed> valid = new ArrayList<>(group.size());
    List<Long> lineOf = new ArrayList<>(group.size());
    for (ListLine l : group) {
      if (!l.ok()) {
        reject(l.line(), l.code(), "line " + l.line() + ": " + l.error());
        continue;
      }
      String path = "line " + l.line();
      Recipient r;
      try {
        r = intake.recipient(send, null, l.to(), l.data(), l.metadata(), path);
      } catch (CampaignIntake.Refused e) {
        reject(l.line(), e.error().code(), e.error().message());
        continue;
      }
      ApiError problem = use.problem(r.data(), path + ".data");
      if (problem != null) {
        reject(l.line(), problem.code(), problem.message());
        continue;
      }
      JsonObject data = use.hasDefaults() ? use.withDefaults(r.data()) : r.data();
      valid.add(new RecipientRows.Listed(0, r.to(), SuppressionAddress.of(send.channel(), r.to()), data,
          r.metadata()));
      lineOf.add(l.line());
    }
    List<String> addresses = new ArrayList<>(valid.size());
    valid.forEach(v -> addresses.add(v.to()));
    Set<String> hit = await(intake.suppressed(conn, tenantId, send.channel(), addresses));
    List<RecipientRows.Listed> store = new ArrayList<>(valid.size());
    for (RecipientRows.Listed v : valid) {
      if (hit.contains(v.to())) {
        suppressed++;
      } else {
        store.add(new RecipientRows.Listed(++seq, v.to(), v.key(), v.data(), v.metadata()));
      }
    }
    if (!store.isEmpty()) {
      int stored = await(RecipientRows.insert(conn, campaignId, store));
      accepted += stored;
      duplicates += store.size() - stored;
    }
    return seq;
  }

  private void reject(long line, String code, String message) {
    rejected++;
    if (errors.size() < MAX_ERRORS) {
      errors.add(new JsonObject().put("line", line).put("code", code).put("message", message));
    }
  }

  /** Waits for a Vert.x future from this worker thread (never an event loop). */
  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(STATEMENT_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("PostgreSQL did not answer within " + STATEMENT_TIMEOUT_S + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("upload interrupted", e);
    }
  }
}
