package com.inventorysync.reconcile;

import com.inventorysync.ops.Progress;
import com.inventorysync.ops.ProgressProperties;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Reads every item of a series of paged requests, each followed to its last page, one page in
 * memory at a time, so that a chunk-oriented step can stage them. A request ends at an empty page
 * or when the items read reach the page's {@code TotalCount}. On restart the item count saved by
 * the step is skipped by reading forward.
 * <p>
 * Progress counts the items read; its percentage is the share of the requests done, the current one
 * counting by its items read of its {@code TotalCount} (the number of pages is known only then).
 *
 * @param <T> the item type
 */
public class PagedRequestsReader<T> extends AbstractItemCountingItemStreamItemReader<T> {

    /** One page as the OMS answered it. */
    public record Page<T>(List<T> items, long totalCount) {}

    /** A request's share of the progress measure: a thousandth of a request is as fine as a percent needs. */
    private static final long PER_REQUEST = 1000;

    private final List<IntFunction<Page<T>>> requests;
    private final String progressName;
    private final Duration progressInterval;
    private Progress progress;
    private long itemsRead;
    private int request;
    private int pageNumber;
    private long readInRequest;
    private boolean requestDone;
    private Iterator<T> page = List.<T>of().iterator();

    /** @param requests each one fetches a page of its request by page number (from 1) */
    public PagedRequestsReader(String name, List<IntFunction<Page<T>>> requests) {
        this(name, requests, name, ProgressProperties.DEFAULT_INTERVAL);
    }

    /**
     * @param progressName     names the progress lines (the step's name)
     * @param progressInterval at most one progress line this often
     */
    public PagedRequestsReader(
            String name, List<IntFunction<Page<T>>> requests, String progressName, Duration progressInterval) {
        this.requests = List.copyOf(requests);
        this.progressName = progressName;
        this.progressInterval = progressInterval;
        setName(name);
    }

    @Override
    protected T doRead() {
        while (!page.hasNext()) {
            if (requestDone) {
                request++;
                pageNumber = 0;
                readInRequest = 0;
                requestDone = false;
            }
            if (request >= requests.size()) {
                return null;
            }
            Page<T> next = requests.get(request).apply(++pageNumber);
            readInRequest += next.items().size();
            requestDone = next.items().isEmpty() || readInRequest >= next.totalCount();
            page = next.items().iterator();
            itemsRead += next.items().size();
            long share = requestDone ? PER_REQUEST : PER_REQUEST * readInRequest / Math.max(1, next.totalCount());
            progress.set(request * PER_REQUEST + share, itemsRead);
        }
        return page.next();
    }

    @Override
    protected void doOpen() {
        request = 0;
        pageNumber = 0;
        readInRequest = 0;
        requestDone = false;
        page = List.<T>of().iterator();
        itemsRead = 0;
        progress = Progress.startMeasured(progressName, requests.size() * PER_REQUEST, "items", progressInterval);
    }

    @Override
    protected void doClose() {
        page = List.<T>of().iterator();
        if (progress != null) {
            progress.finish();
            progress = null;
        }
    }
}
