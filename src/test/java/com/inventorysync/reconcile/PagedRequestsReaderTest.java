package com.inventorysync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.reconcile.PagedRequestsReader.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class PagedRequestsReaderTest {
    private final List<String> fetched = new ArrayList<>();

    /** A request over {@code total} items named {@code prefix-i}, served {@code pageSize} at a time. */
    private IntFunction<Page<String>> request(String prefix, int total, int pageSize) {
        List<String> all =
                IntStream.range(0, total).mapToObj(i -> prefix + "-" + i).toList();
        return page -> {
            fetched.add(prefix + "#" + page);
            int from = Math.min(total, (page - 1) * pageSize);
            return new Page<>(all.subList(from, Math.min(total, from + pageSize)), total);
        };
    }

    private static List<String> readAll(PagedRequestsReader<String> reader) throws Exception {
        List<String> items = new ArrayList<>();
        for (String s = reader.read(); s != null; s = reader.read()) {
            items.add(s);
        }
        return items;
    }

    @Test
    void readsEveryRequestToItsLastPageAndNoFurther() throws Exception {
        PagedRequestsReader<String> reader =
                new PagedRequestsReader<>("r", List.of(request("a", 7, 3), request("b", 0, 3), request("c", 3, 3)));
        reader.open(new ExecutionContext());

        List<String> items = readAll(reader);

        assertThat(items).hasSize(10).startsWith("a-0").endsWith("c-2");
        assertThat(fetched).containsExactly("a#1", "a#2", "a#3", "b#1", "c#1");
        assertThat(reader.read()).isNull();
    }

    @Test
    void aRestartSkipsTheItemsAlreadyWritten() throws Exception {
        PagedRequestsReader<String> first =
                new PagedRequestsReader<>("r", List.of(request("a", 5, 2), request("b", 4, 2)));
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        for (int i = 0; i < 6; i++) {
            first.read();
        }
        first.update(context);
        first.close();

        PagedRequestsReader<String> again =
                new PagedRequestsReader<>("r", List.of(request("a", 5, 2), request("b", 4, 2)));
        again.open(context);

        assertThat(readAll(again)).containsExactly("b-1", "b-2", "b-3");
    }
}
