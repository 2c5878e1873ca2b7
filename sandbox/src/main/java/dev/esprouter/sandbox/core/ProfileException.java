package dev.esprouter.sandbox.core;

/** A profile change that is refused, naming the field at fault; nothing of the change is applied. */
public final class ProfileException extends IllegalArgumentException {

  private final String field;
  private final String problem;

  public ProfileException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** What is wrong with the field, without its name. */
  public String problem() {
    return problem;
  }

  public String field() {
    return field;
  }
}
