package dev.esprouter.common.routing;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The providers of one channel sharing exactly 1000 points. Immutable. {@link #excluding} re-splits
 * the share of providers that cannot take traffic now (breaker open) over the others, and
 * {@link #split} divides n recipients by largest remainder so provider p gets ⌊n·w/1000⌋ or
 * ⌈n·w/1000⌉ of them.
 */
public final class Weights {

  public static final int TOTAL = 1000;

  private final Channel channel;
  private final Map<ProviderName, Integer> points;

  private Weights(Channel channel, Map<ProviderName, Integer> points) {
    this.channel = channel;
    this.points = Collections.unmodifiableMap(points);
  }

  /**
   * Normalizes non-negative raw scores of a channel's providers to points summing to 1000 by
   * largest remainder (ties go to the provider declared first). All-zero scores give all-zero weights.
   */
  public static Weights normalize(Channel channel, Map<ProviderName, Double> scores) {
    List<ProviderName> providers = new ArrayList<>();
    double sum = 0;
    for (ProviderName p : ProviderName.of(channel)) {
      double s = scores.getOrDefault(p, 0.0);
      if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
        throw new IllegalArgumentException("score of " + p.wire() + " must be a finite non-negative number: " + s);
      }
      if (s > 0) {
        providers.add(p);
        sum += s;
      }
    }
    Map<ProviderName, Integer> out = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.of(channel)) {
      out.put(p, 0);
    }
    if (providers.isEmpty()) {
      return new Weights(channel, out);
    }
    int[] counts = largestRemainder(TOTAL, providers, scores, sum);
    for (int i = 0; i < providers.size(); i++) {
      out.put(providers.get(i), counts[i]);
    }
    return new Weights(channel, out);
  }

  /** Weights given as points; they must be non-negative and sum to 1000 (or all be zero). */
  public static Weights of(Channel channel, Map<ProviderName, Integer> points) {
    Map<ProviderName, Integer> out = new EnumMap<>(ProviderName.class);
    int sum = 0;
    for (ProviderName p : ProviderName.of(channel)) {
      int w = points.getOrDefault(p, 0);
      if (w < 0) {
        throw new IllegalArgumentException("weight of " + p.wire() + " is negative");
      }
      out.put(p, w);
      sum += w;
    }
    for (ProviderName p : points.keySet()) {
      if (p.channel() != channel) {
        throw new IllegalArgumentException(p.wire() + " is not a " + channel.wire() + " provider");
      }
    }
    if (sum != TOTAL && sum != 0) {
      throw new IllegalArgumentException("weights of " + channel.wire() + " sum to " + sum + ", not " + TOTAL);
    }
    return new Weights(channel, out);
  }

  /** Equal shares for every provider of the channel (the prior before any data). */
  public static Weights equal(Channel channel) {
    Map<ProviderName, Double> s = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.of(channel)) {
      s.put(p, 1.0);
    }
    return normalize(channel, s);
  }

  /** These weights with the given providers at 0 and their share re-split over the rest. */
  public Weights excluding(Set<ProviderName> unavailable) {
    Map<ProviderName, Double> s = new EnumMap<>(ProviderName.class);
    for (Map.Entry<ProviderName, Integer> e : points.entrySet()) {
      s.put(e.getKey(), unavailable.contains(e.getKey()) ? 0.0 : e.getValue().doubleValue());
    }
    return normalize(channel, s);
  }

  /**
   * How many of {@code n} recipients each provider gets: largest remainder over the points, so the
   * counts sum to n and each is within one of n·w/1000. Providers at 0 get none.
   */
  public Map<ProviderName, Integer> split(int n) {
    List<ProviderName> providers = new ArrayList<>();
    Map<ProviderName, Double> s = new EnumMap<>(ProviderName.class);
    for (Map.Entry<ProviderName, Integer> e : points.entrySet()) {
      if (e.getValue() > 0) {
        providers.add(e.getKey());
        s.put(e.getKey(), e.getValue().doubleValue());
      }
    }
    Map<ProviderName, Integer> out = new EnumMap<>(ProviderName.class);
    if (providers.isEmpty()) {
      return out;
    }
    int[] counts = largestRemainder(n, providers, s, TOTAL);
    for (int i = 0; i < providers.size(); i++) {
      if (counts[i] > 0) {
        out.put(providers.get(i), counts[i]);
      }
    }
    return out;
  }

  private static int[] largestRemainder(int total, List<ProviderName> providers, Map<ProviderName, Double> scores,
                                        double sum) {
    int k = providers.size();
    int[] counts = new int[k];
    double[] remainders = new double[k];
    int assigned = 0;
    for (int i = 0; i < k; i++) {
      double exact = total * scores.get(providers.get(i)) / sum;
      counts[i] = (int) Math.floor(exact);
      remainders[i] = exact - counts[i];
      assigned += counts[i];
    }
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    // Stable sort: equal remainders keep declaration order.
    java.util.Arrays.sort(order, (a, b) -> Double.compare(remainders[b], remainders[a]));
    for (int i = 0; assigned < total; i++) {
      counts[order[i % k]]++;
      assigned++;
    }
    return counts;
  }

  public Channel channel() {
    return channel;
  }

  /** Points per provider of the channel, zeros included, in declaration order. */
  public Map<ProviderName, Integer> points() {
    return points;
  }

  public int of(ProviderName p) {
    return points.getOrDefault(p, 0);
  }

  public boolean isEmpty() {
    return points.values().stream().allMatch(w -> w == 0);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    points.forEach((p, w) -> o.put(p.wire(), w));
    return o;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Weights w && w.channel == channel && w.points.equals(points);
  }

  @Override
  public int hashCode() {
    return channel.hashCode() * 31 + points.hashCode();
  }

  @Override
  public String toString() {
    return channel.wire() + toJson().encode();
  }
}
