package com.inventorysync.reconcile;

import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Reads every item of a series of paged requests, each followed to its last page, one page in
 * memory at a time, so that a chunk-oriented step can stage them. A request ends at an empty page
 * or when the items read reach the page's {@code TotalCount}. On restart the item count saved by
 * the step is skipped by reading forward.
 *
 * @param <T> the item type
 */
public class PagedRequestsReader<T> extends AbstractItemCountingItemStreamItemReader<T> {

    /** One page as the OMS answered it. */
    public record Page<T>(List<T> items, long totalCount) {
    }

    private final List<IntFunction<Page<T>>> requests;
    private int request;
    private int pageNumber;
    private long readInRequest;
    private boolean requestDone;
    private Iterator<T> page = List.<T>of().iterator();

    /** @param requests each one fetches a page of its request by page number (from 1) */
    public PagedRequestsReader(String name, List<IntFunction<Page<T>>> requests) {
        this.requests = List.copyOf(requests);
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
    }

    @Override
    protected void doClose() {
        page = List.<T>of().iterator();
    }
}
