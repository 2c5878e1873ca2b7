package dev.esprouter.ingress;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email templates of {@code ESP_TEMPLATES_DIR} as last loaded. Requests read {@link #current()}
 * (no I/O); a periodic check on a worker reloads the folder when its fingerprint changed, so an
 * edited template is used within one check without a restart.
 */
final class TemplateFolder {

  private static final Logger log = LoggerFactory.getLogger(TemplateFolder.class);

  private final Path dir;
  private final AtomicReference<EmailTemplates> current = new AtomicReference<>(EmailTemplates.none());
  /** One load at a time: a slow compile must not let an older load finish last and win. */
  private final AtomicBoolean loading = new AtomicBoolean();

  TemplateFolder(Path dir) {
    this.dir = dir;
  }

  EmailTemplates current() {
    return current.get();
  }

  /** Loads the folder again if it changed since the last load (compiling is blocking: done on a worker). */
  Future<Void> reloadIfChanged(Vertx vertx) {
    if (!loading.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return vertx.<Void>executeBlocking(() -> {
      if (EmailTemplates.fingerprint(dir).equals(current.get().fingerprint())) {
        return null;
      }
      EmailTemplates loaded = EmailTemplates.load(dir);
      current.set(loaded);
      log.info("email templates: {} loaded from {}{}", loaded.size(), dir.toAbsolutePath().normalize(),
          loaded.broken().isEmpty() ? "" : "; not usable: " + loaded.broken().values());
      return null;
    }, false).eventually(() -> {
      loading.set(false);
      return Future.succeededFuture();
    });
  }
}
