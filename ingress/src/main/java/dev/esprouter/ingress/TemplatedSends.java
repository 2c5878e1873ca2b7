package dev.esprouter.ingress;

import dev.esprouter.common.Recipient;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.ingress.templates.TemplateChecks;
import dev.esprouter.ingress.templates.TemplateRefusal;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The send API's use of {@link TemplateChecks}: one lookup per request, then each recipient's data
 * checked (a few map lookups) and completed with the template's defaults. A single message with a
 * problem is refused (400); in a batch, a recipient whose data does not fit the template is refused
 * on its own ({@code template_parameters}, with its index) and the others go, like any invalid
 * recipient. The content queued is the template's (placeholders left for the providers), in the
 * language found, which the message rows record.
 */
final class TemplatedSends {

  /** The request ready to queue, or the answer refusing it. */
  record Prepared<T>(T value, Answer refusal) {
  }

  private TemplatedSends() {
  }

  static Future<Prepared<SingleMessage>> message(TemplateChecks checks, String tenantId, SingleMessage m) {
    SendRequest req = m.request();
    return checks.prepare(tenantId, req.channel(), req.content()).map(use -> {
      Recipient r = m.recipient();
      ApiError problem = use.problem(r.data(), "data");
      if (problem != null) {
        return new Prepared<SingleMessage>(null, Answer.error(problem));
      }
      Recipient completed = use.hasDefaults()
          ? new Recipient(r.messageId(), r.to(), use.withDefaults(r.data()), r.metadata()) : r;
      return new Prepared<>(new SingleMessage(req.withContent(use.content()), completed), null);
    }).recover(TemplatedSends::refused);
  }

  static Future<Prepared<BatchRequest>> batch(TemplateChecks checks, String tenantId, BatchRequest b) {
    SendRequest req = b.request();
    return checks.prepare(tenantId, req.channel(), req.content()).map(use -> {
      Map<Integer, String> problems = new HashMap<>();
      List<BatchRequest.Accepted> accepted = new ArrayList<>(b.accepted().size());
      for (BatchRequest.Accepted a : b.accepted()) {
        Recipient r = a.recipient();
        ApiError problem = use.problem(r.data(), "recipients[" + a.index() + "].data");
        if (problem != null) {
          problems.put(a.index(), problem.message());
        }
        accepted.add(use.hasDefaults() ? new BatchRequest.Accepted(a.index(),
            new Recipient(r.messageId(), r.to(), use.withDefaults(r.data()), r.metadata())) : a);
      }
      BatchRequest out = new BatchRequest(req.withContent(use.content()), accepted, b.rejected());
      if (!problems.isEmpty()) {
        out = out.without(problems.keySet(), "template_parameters", problems::get);
      }
      if (out.accepted().isEmpty()) {
        return new Prepared<BatchRequest>(null, Answer.of(400, ApiError.badRequest("template_parameters",
            "no recipient can be sent to: " + problems.values().iterator().next(), "recipients").toJson()
            .put("rejected", out.rejectedJson())));
      }
      return new Prepared<>(out, null);
    }).recover(TemplatedSends::refused);
  }

  /** A refusal becomes the request's answer (stored under its Idempotency-Key); other failures stay failures (503). */
  private static <T> Future<Prepared<T>> refused(Throwable err) {
    if (err instanceof TemplateRefusal r) {
      return Future.succeededFuture(new Prepared<>(null, Answer.error(r.error())));
    }
    return Future.failedFuture(err);
  }

  /** How many recipients a batch lost to its template's parameters (for the metrics). */
  static int parameterRejections(BatchRequest before, BatchRequest after) {
    return after.rejected().size() - before.rejected().size();
  }
}
