package com.inventorysync.oms.kibo;

import com.inventorysync.jobdef.JobDefinition.KiboTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a run's pending Kibo updates into refresh requests: every item is validated against the
 * contract (a bad one is rejected with its reasons and left out), then each location's good items
 * are split by {@link KiboPayloadSplitter} and recorded as requests, in planning order.
 */
public class KiboRequestBuilder {
    private static final Logger log = LoggerFactory.getLogger(KiboRequestBuilder.class);

    private final KiboRequestStore store;
    private final KiboOptionalFields optionalFields;

    public KiboRequestBuilder(KiboRequestStore store, KiboOptionalFields optionalFields) {
        this.store = store;
        this.optionalFields = optionalFields;
    }

    /** What one build did, per location. */
    public record Built(String location, String locationName, int items, int rejected, List<Integer> requestSizes) {}

    public List<Built> build(long runId, KiboTarget kibo) {
        KiboItemValidator validator = new KiboItemValidator(kibo.identifier());
        KiboPayloadSplitter splitter = new KiboPayloadSplitter(kibo.maxItems(), kibo.batchSize());
        List<Built> built = new ArrayList<>();
        for (Map.Entry<String, String> location : new TreeMap<>(kibo.locations()).entrySet()) {
            List<Long> good = new ArrayList<>();
            List<String[]> goodFields = new ArrayList<>();
            Map<Long, String> rejected = new LinkedHashMap<>();
            Map<String, String[]> fields = optionalFields.at(runId, location.getKey());
            store.pendingAt(runId, location.getKey(), item -> {
                String[] values = fields.get(item.source().sku());
                KiboItemValidator.Result result =
                        validator.validate(KiboOptionalFields.withFields(item.source(), values));
                if (result.valid()) {
                    good.add(item.plannedUpdateId());
                    goodFields.add(values);
                } else {
                    rejected.put(item.plannedUpdateId(), "not sent: " + result.reasonText());
                }
            });
            if (!rejected.isEmpty()) {
                store.reject(rejected, null);
            }
            List<Integer> sizes = splitter.split(good.size());
            int from = 0;
            for (int seq = 0; seq < sizes.size(); seq++) {
                int to = from + sizes.get(seq);
                store.insertRequest(
                        runId,
                        location.getKey(),
                        location.getValue(),
                        seq + 1,
                        good.subList(from, to),
                        goodFields.subList(from, to),
                        null,
                        0);
                from = to;
            }
            if (good.size() + rejected.size() > 0) {
                log.info(
                        "Kibo {} ({}): {} items in {} request(s) {}, {} rejected before sending",
                        location.getKey(),
                        location.getValue(),
                        good.size(),
                        sizes.size(),
                        sizes,
                        rejected.size());
            }
            built.add(new Built(location.getKey(), location.getValue(), good.size(), rejected.size(), sizes));
        }
        optionalFields.drop(runId);
        return built;
    }
}
