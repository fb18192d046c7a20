package com.inventorysync.oms.kibo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decides how many refresh requests one location's items go out in, and how large each is.
 *
 * <p>Kibo queues refresh requests and processes them one at a time, working through each in batches
 * of {@code batchSize} items: every request costs a queue slot, and a request whose size is not a
 * multiple of the batch size costs a whole batch for its last few items. So, with
 * {@code n} items, a limit {@code maxItems} per request and a batch size {@code batchSize}:
 * <ol>
 *   <li>the number of requests is the fewest possible: {@code k = ceil(n / maxItems)};</li>
 *   <li>a <em>full</em> request has {@code f} items, the largest multiple of {@code batchSize} not
 *       over {@code maxItems};</li>
 *   <li>as many of the first {@code k - 1} requests as possible are full, the others carry
 *       {@code maxItems}, and the remainder goes last.</li>
 * </ol>
 * When the batch size divides the limit (the default 3000 and 12000) every request but the last is
 * full: 21000 items go out as 12000 + 9000. When it does not, full requests alone could need more
 * requests than {@code k} (limit 10000, batch 3000, 20000 items: 9000 + 9000 + 2000); the fewer
 * requests win, so some requests carry {@code maxItems} instead (10000 + 10000), and with some
 * slack a full one leads (19000 items: 9000 + 10000). The total number of batches never exceeds
 * what {@code k} requests need.
 */
public final class KiboPayloadSplitter {
    private final int maxItems;
    private final int batchSize;

    public KiboPayloadSplitter(int maxItems, int batchSize) {
        if (maxItems < 1 || batchSize < 1 || batchSize > maxItems) {
            throw new IllegalArgumentException(
                    "need 1 <= batch-size <= max-items, got max-items " + maxItems + " and batch-size " + batchSize);
        }
        this.maxItems = maxItems;
        this.batchSize = batchSize;
    }

    public int maxItems() {
        return maxItems;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The sizes of the requests for {@code itemCount} items at one location, in sending order. */
    public List<Integer> split(int itemCount) {
        if (itemCount < 0) {
            throw new IllegalArgumentException("item count must not be negative: " + itemCount);
        }
        if (itemCount == 0) {
            return List.of();
        }
        long n = itemCount;
        int requests = (int) ((n + maxItems - 1) / maxItems);
        if (requests == 1) {
            return List.of(itemCount);
        }
        int full = maxItems / batchSize * batchSize;
        long slack = (long) requests * maxItems - n;
        int fullRequests = full == maxItems ? requests - 1 : (int) Math.min(requests - 1, slack / (maxItems - full));
        List<Integer> sizes = new ArrayList<>(requests);
        sizes.addAll(Collections.nCopies(fullRequests, full));
        sizes.addAll(Collections.nCopies(requests - 1 - fullRequests, maxItems));
        sizes.add((int) (n - (long) fullRequests * full - (long) (requests - 1 - fullRequests) * maxItems));
        return List.copyOf(sizes);
    }
}
