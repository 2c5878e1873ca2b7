package dev.esprouter.sandbox.core;

/** A profile change that is refused, naming the field at fault; nothing of the change is applied. */
public final class ProfileException extends IllegalArgumentException {

  private final String field;

  public ProfileException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
