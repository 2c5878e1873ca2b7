package dev.esprouter.campaigns;

/**
 * Message ids of a campaign's recipients, derived from the campaign id and the recipient's place in
 * the list ({@code seq}): a feeder that publishes a chunk again after a crash names the same messages,
 * which the router's ledger has settled. Same shape as {@link dev.esprouter.common.Ids}: {@code msg_},
 * the campaign's 10 time characters and 6 of its random ones, then the seq in 10 base32 characters
 * (so a campaign's messages sort in list order).
 */
final class CampaignIds {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private CampaignIds() {
  }

  static String message(String campaignId, long seq) {
    char[] out = new char[30];
    "msg_".getChars(0, 4, out, 0);
    campaignId.getChars(4, 20, out, 4);
    long v = seq;
    for (int i = 29; i >= 20; i--) {
      out[i] = ALPHABET[(int) (v & 31)];
      v >>>= 5;
    }
    return new String(out);
  }
}
