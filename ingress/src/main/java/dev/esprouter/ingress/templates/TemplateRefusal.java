package dev.esprouter.ingress.templates;

import dev.esprouter.common.http.ApiError;

/**
 * A template or a use of one that cannot be accepted: carries the API error to answer with (400 or
 * 409, a stable code, the field at fault). Expected, so it has no stack trace.
 */
public final class TemplateRefusal extends RuntimeException {

  private final transient ApiError error;

  public TemplateRefusal(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  static TemplateRefusal of(String code, String field, String problem) {
    return new TemplateRefusal(ApiError.badRequest(code, field == null ? problem : field + ": " + problem, field));
  }

  static TemplateRefusal conflict(String code, String field, String problem) {
    return new TemplateRefusal(new ApiError(409, code, field == null ? problem : field + ": " + problem, field));
  }

  public ApiError error() {
    return error;
  }
}
