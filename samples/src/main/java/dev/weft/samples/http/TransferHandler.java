package dev.weft.samples.http;

import dev.weft.lockorder.DeadlockException;
import dev.weft.lockorder.LockOrderViolationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /transfer?from=north&to=south&quantity=5}: moves stock between two {@link Warehouses}
 * under checked locks; {@code GET /stock} shows the stock of all.
 *
 * <p>With {@code --buggy-order} a transfer in the direction opposite to an earlier one gets a 500
 * whose body names the lock cycle, the checker's full report (with where each lock order was
 * learned) goes to the log at ERROR, and {@code transfer_lock_order_violations_total} counts it: a
 * potential deadlock reported before it can hang.
 */
final class TransferHandler {
  private static final Logger log = LoggerFactory.getLogger(TransferHandler.class);

  /** The most one transfer may move. */
  static final long MAX_QUANTITY = 1_000;

  private final Warehouses warehouses;
  private final Counter violations;

  TransferHandler(Warehouses warehouses, MeterRegistry registry) {
    this.warehouses = warehouses;
    this.violations =
        Counter.builder("transfer.lock.order.violations")
            .description("Transfers refused because their locks would close a lock-order cycle")
            .register(registry);
  }

  /** The route of {@code POST /transfer}. */
  Reply transfer(Request request, String requestId) {
    Fields query = Request.extractQueryParameters(request);
    String from = query.getValue("from");
    String to = query.getValue("to");
    long quantity;
    try {
      quantity = quantity(query.getValue("quantity"));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("from", from);
      json.put("to", to);
      json.put("quantity", quantity);
      json.put("stock", warehouses.transfer(from, to, quantity));
      return Reply.json(200, json);
    } catch (IllegalArgumentException e) {
      return Reply.error(400, e.getMessage());
    } catch (Warehouses.InsufficientStock e) {
      return Reply.error(409, e.getMessage());
    } catch (LockOrderViolationException e) {
      violations.increment();
      log.error("transfer {} -> {} refused: potential deadlock: {}", from, to, e.getMessage(), e);
      return Reply.error(
          500,
          "potential deadlock: the transfer's locks would close a lock-order cycle",
          "cycle",
          e.cycle(),
          "message",
          e.getMessage());
    } catch (DeadlockException e) {
      violations.increment();
      log.error("transfer {} -> {} refused: deadlock: {}", from, to, e.getMessage(), e);
      return Reply.error(500, "deadlock broken by the lock checker", "message", e.getMessage());
    }
  }

  /** The route of {@code GET /stock}. */
  Reply stock(Request request, String requestId) {
    return Reply.json(200, warehouses.stock());
  }

  // --- implementation ---

  private static long quantity(String value) {
    long q;
    try {
      q = Long.parseLong(String.valueOf(value));
    } catch (NumberFormatException e) {
      q = 0;
    }
    if (q < 1 || q > MAX_QUANTITY) {
      throw new IllegalArgumentException(
          "quantity must be a whole number from 1 to " + MAX_QUANTITY + ", was '" + value + "'");
    }
    return q;
  }
}
