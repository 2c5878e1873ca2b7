package dev.esprouter.ingress.templates;

import dev.esprouter.providers.meta.MetaTemplateApi;
import dev.esprouter.providers.meta.MetaTemplateApi.MetaTemplate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Meta's template management API over HTTP ({@link MetaTemplateApi} builds and reads the bodies):
 * create, list every page, delete. A 4xx answer fails with {@link Refused} (Meta's error: the
 * request itself is wrong); a 5xx, a timeout or a failed connection with {@link Unreachable}.
 */
final class MetaTemplateClient {

  /** Meta refused the request (4xx): its Graph error. */
  static final class Refused extends RuntimeException {
    final transient MetaTemplateApi.MetaError error;

    Refused(MetaTemplateApi.MetaError error) {
      super(error.toString(), null, false, false);
      this.error = error;
    }
  }

  /** Meta could not be asked or answered 5xx. */
  static final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private static final int MAX_PAGES = 200;
  private static final long TIMEOUT_MS = 10_000;

  private final HttpClient http;
  private final TemplateSettings settings;
  private final String waba;

  MetaTemplateClient(Vertx vertx, TemplateSettings settings) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true));
    this.settings = settings;
    this.waba = settings.wabaId().orElseThrow();
  }

  Future<MetaTemplate> create(Template t) {
    Buffer body = MetaTemplateApi.createBody(t.name(), t.language(), t.category(),
        t.body().getJsonArray("components"));
    return call(HttpMethod.POST, MetaTemplateApi.path(settings.apiVersion(), waba), body)
        .map(answer -> MetaTemplateApi.created(t.name(), t.language(), answer));
  }

  /** The account's templates; {@code complete} is false when the list was cut at {@link #MAX_PAGES}. */
  record Listing(List<MetaTemplate> templates, boolean complete) {
  }

  /** Every template of the account, page after page (at most 200 pages of 100). */
  Future<Listing> listAll() {
    return page(null, new ArrayList<>(), 0);
  }

  private Future<Listing> page(String after, List<MetaTemplate> acc, int pages) {
    return call(HttpMethod.GET, MetaTemplateApi.listPath(settings.apiVersion(), waba, after), null).compose(body -> {
      MetaTemplateApi.Page p = MetaTemplateApi.page(body);
      acc.addAll(p.templates());
      if (p.after() == null) {
        return Future.succeededFuture(new Listing(acc, true));
      }
      if (pages + 1 >= MAX_PAGES) {
        return Future.succeededFuture(new Listing(acc, false));
      }
      return page(p.after(), acc, pages + 1);
    });
  }

  /** Deletes one language's template ({@code hsm_id}), or every language of the name when the id is unknown. */
  Future<Void> delete(String name, String metaId) {
    return call(HttpMethod.DELETE, MetaTemplateApi.deletePath(settings.apiVersion(), waba, name, metaId), null)
        .mapEmpty();
  }

  private Future<Buffer> call(HttpMethod method, String path, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(settings.metaBaseUrl() + path)
        .setTimeout(TIMEOUT_MS)
        .putHeader("Authorization", "Bearer " + settings.accessToken());
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return http.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Object[] {resp.statusCode(), b}))
        .recover(err -> Future.failedFuture(new Unreachable("Meta's template API did not answer: " + err, err)))
        .compose(answer -> {
          int status = (int) answer[0];
          Buffer b = (Buffer) answer[1];
          if (status >= 200 && status < 300) {
            return Future.succeededFuture(b);
          }
          MetaTemplateApi.MetaError error = MetaTemplateApi.error(status, b);
          return Future.failedFuture(status >= 400 && status < 500 ? new Refused(error)
              : new Unreachable(error.toString(), null));
        });
  }

  Future<Void> close() {
    return http.close();
  }
}
