package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One content to every recipient of a CSV or NDJSON file, as {@code POST /v1/batches} of at most
 * {@code --chunk-size} recipients each: the file is read as it is sent, never held whole.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "Send one content to the recipients of a CSV or NDJSON file (POST /v1/batches, in chunks)")
final class BatchCommand extends ApiCommand {

  @Mixin
  Content content;

  @Parameters(paramLabel = "FILE", description = "CSV with a header row (column 'to', others become data) or NDJSON")
  Path file;

  @Option(names = "--format", description = "csv or ndjson (default: from the file name)")
  String format;

  @Option(names = "--chunk-size", defaultValue = "1000", description = "recipients a request, 1 to 10000 (default ${DEFAULT-VALUE})")
  int chunkSize;

  @Override
  int run(ApiClient api, EspCli cli) throws ApiException, UsageException {
    if (chunkSize < 1 || chunkSize > 10_000) {
      throw new UsageException("--chunk-size: must be 1 to 10000");
    }
    RecipientFile.Format f = RecipientFile.Format.of(format, file);
    long size = size(file);
    ProgressBar bar = new ProgressBar(cli.err, "sending", size, true);
    ArrayNode batches = ApiClient.JSON.createArrayNode();
    ArrayNode rejected = ApiClient.JSON.createArrayNode();
    long accepted = 0;
    long index = 0;
    try (RecipientFile in = RecipientFile.open(file, f, bar::advance)) {
      ArrayNode chunk = ApiClient.JSON.createArrayNode();
      long chunkStart = 0;
      for (ObjectNode r = in.next(); r != null; r = in.next()) {
        chunk.add(r);
        index++;
        if (chunk.size() == chunkSize) {
          accepted += post(api, chunk, chunkStart, batches, rejected);
          chunk = ApiClient.JSON.createArrayNode();
          chunkStart = index;
        }
      }
      if (!chunk.isEmpty()) {
        accepted += post(api, chunk, chunkStart, batches, rejected);
      }
    } catch (ApiException e) {
      if (batches.isEmpty()) {
        throw e;
      }
      // Earlier chunks are queued and will be sent: say which, so a rerun can skip them.
      bar.finish();
      cli.err.println("esp-router: stopped after " + accepted + " accepted recipients (" + batches.size()
          + " batches: " + ids(batches) + "): " + e.line());
      return ExitCodes.PARTIAL;
    } catch (IOException e) {
      throw new UsageException(file + ": " + e.getMessage());
    } finally {
      bar.finish();
    }
    if (index == 0) {
      throw new UsageException(file + ": no recipients");
    }
    if (cli.json) {
      ObjectNode out = ApiClient.JSON.createObjectNode();
      out.put("recipients", index).put("accepted", accepted);
      out.set("batches", batches);
      out.set("rejected", rejected);
      cli.printJson(out);
    } else {
      Table t = new Table("BATCH", "ACCEPTED", "REJECTED");
      for (JsonNode b : batches) {
        t.row(b.path("batch_id").asText(), b.path("accepted").asText(), b.path("rejected").size());
      }
      t.print(cli.out);
      cli.out.println(accepted + " of " + index + " recipients accepted");
      for (JsonNode r : rejected) {
        cli.out.println("rejected #" + r.path("index").asText() + ": " + r.path("code").asText() + " "
            + r.path("message").asText());
      }
    }
    if (rejected.isEmpty()) {
      return ExitCodes.OK;
    }
    return accepted == 0 ? ExitCodes.REFUSED : ExitCodes.PARTIAL;
  }

  /** Posts one chunk; rejections are renumbered to the recipient's place in the whole file. */
  private long post(ApiClient api, ArrayNode recipients, long offset, ArrayNode batches, ArrayNode rejected)
      throws ApiException {
    ObjectNode body = content.fill(ApiClient.JSON.createObjectNode());
    body.set("recipients", recipients);
    JsonNode r = api.post("/v1/batches", body);
    batches.add(r);
    for (JsonNode x : r.path("rejected")) {
      ObjectNode copy = ((ObjectNode) x).deepCopy();
      copy.put("index", offset + x.path("index").asLong());
      copy.put("batch_id", r.path("batch_id").asText());
      rejected.add(copy);
    }
    return r.path("accepted").asLong();
  }

  private static String ids(ArrayNode batches) {
    StringBuilder b = new StringBuilder();
    batches.forEach(x -> b.append(b.isEmpty() ? "" : ",").append(x.path("batch_id").asText()));
    return b.toString();
  }

  static long size(Path file) throws UsageException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UsageException(file + ": cannot read: " + e.getMessage());
    }
  }
}
