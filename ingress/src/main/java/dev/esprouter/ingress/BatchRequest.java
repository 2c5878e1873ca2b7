package dev.esprouter.ingress;

import dev.esprouter.common.Recipient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code POST /v1/batches}: the shared part, the recipients that passed validation (each
 * with its index in the request and a new message id) and those refused one by one.
 */
record BatchRequest(SendRequest request, List<Accepted> accepted, List<Rejection> rejected) {

  record Accepted(int index, Recipient recipient) {
  }

  record Rejection(int index, String code, String message) {

    JsonObject toJson() {
      return new JsonObject().put("index", index).put("code", code).put("message", message);
    }
  }

  /** The same batch with some more recipients refused (suppressions), keeping request order in both lists. */
  BatchRequest without(java.util.Set<Integer> indexes, String code, java.util.function.IntFunction<String> why) {
    List<Accepted> keep = new ArrayList<>(accepted.size());
    List<Rejection> refused = new ArrayList<>(rejected);
    for (Accepted a : accepted) {
      if (indexes.contains(a.index())) {
        refused.add(new Rejection(a.index(), code, why.apply(a.index())));
      } else {
        keep.add(a);
      }
    }
    refused.sort(java.util.Comparator.comparingInt(Rejection::index));
    return new BatchRequest(request, keep, refused);
  }

  List<Recipient> recipients() {
    List<Recipient> list = new ArrayList<>(accepted.size());
    for (Accepted a : accepted) {
      list.add(a.recipient());
    }
    return list;
  }

  JsonArray rejectedJson() {
    JsonArray a = new JsonArray();
    for (Rejection r : rejected) {
      a.add(r.toJson());
    }
    return a;
  }
}
