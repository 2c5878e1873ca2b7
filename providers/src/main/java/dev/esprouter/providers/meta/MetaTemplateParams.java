package dev.esprouter.providers.meta;

import java.util.Set;

/**
 * How a recipient's {@code data} names the parameters of a WhatsApp template, the one convention
 * shared by the send dialect (which builds Meta's {@code components} from it) and the template
 * registry (which checks it at accept time):
 *
 * <ul>
 *   <li>{@code "1"}, {@code "2"}, … — the body's {@code {{1}}}, {@code {{2}}}, …;</li>
 *   <li>{@code "header.1"} — a text header's one parameter;</li>
 *   <li>{@code "header.image"}, {@code "header.video"}, {@code "header.document"} — the link of a
 *       media header of that format;</li>
 *   <li>{@code "button.0"}, {@code "button.1"}, … — the {@code {{1}}} at the end of the URL of the
 *       button at that index.</li>
 * </ul>
 * Any other key is not a template parameter and is not sent.
 */
public final class MetaTemplateParams {

  public static final String HEADER_TEXT = "header.1";
  public static final Set<String> MEDIA_FORMATS = Set.of("image", "video", "document");

  private MetaTemplateParams() {
  }

  /** The data key of body parameter {@code {{n}}}. */
  public static String body(int n) {
    return Integer.toString(n);
  }

  /** The data key of a media header's link. */
  public static String headerMedia(String format) {
    return "header." + format;
  }

  /** The data key of the URL parameter of the button at {@code index}. */
  public static String button(int index) {
    return "button." + index;
  }

  /** Whether a data key names a template parameter at all (body, header or button), whichever template. */
  public static boolean isParameterKey(String key) {
    return bodyPosition(key) != null || buttonIndex(key) != null || HEADER_TEXT.equals(key) || headerMediaOf(key) != null;
  }

  /** n for a key "n" (1 or more, no sign or leading zero), else null. */
  static Integer bodyPosition(String key) {
    return positive(key, 0, 1);
  }

  /** The index for a key "button.i", else null. */
  static Integer buttonIndex(String key) {
    return key.startsWith("button.") ? positive(key, 7, 0) : null;
  }

  /** The format for a key "header.image" (video, document), else null. */
  static String headerMediaOf(String key) {
    if (!key.startsWith("header.")) {
      return null;
    }
    String format = key.substring(7);
    return MEDIA_FORMATS.contains(format) ? format : null;
  }

  private static Integer positive(String key, int from, int min) {
    int n = key.length() - from;
    if (n < 1 || n > 4 || (n > 1 && key.charAt(from) == '0')) {
      return null;
    }
    int v = 0;
    for (int i = from; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      v = v * 10 + (c - '0');
    }
    return v >= min ? v : null;
  }
}
