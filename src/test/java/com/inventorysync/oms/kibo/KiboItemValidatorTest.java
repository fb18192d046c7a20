package com.inventorysync.oms.kibo;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class KiboItemValidatorTest {
    private final KiboItemValidator bySku = new KiboItemValidator("sku");

    private static KiboSourceItem item(String sku, long quantity, String binId, String locator, String attributes) {
        return new KiboSourceItem(
                sku, "0123456789012", "PN-1", quantity, "2", "1", binId, locator, "19.99", "840", "0.5", attributes);
    }

    @Test
    void aCompleteItemBecomesARefreshItemCarryingOnlyTheChosenIdentifier() {
        KiboItemValidator.Result result = bySku.validate(item("SKU-1", 7, "3", "A-01", "red|large"));
        assertThat(result.valid()).isTrue();
        KiboRefreshItem i = result.item();
        assertThat(i.sku()).isEqualTo("SKU-1");
        assertThat(i.upc()).isNull();
        assertThat(i.partNumber()).isNull();
        assertThat(i.quantity()).isEqualTo(7);
        assertThat(i.binId()).isEqualTo(3);
        assertThat(i.safetyStock()).isEqualTo(2);
        assertThat(i.floor()).isEqualTo(1);
        assertThat(i.currencyId()).isEqualTo(840);
        assertThat(i.retailPrice()).isEqualByComparingTo(new BigDecimal("19.99"));
        assertThat(i.ltd()).isEqualByComparingTo(new BigDecimal("0.5"));
        assertThat(i.inventoryLocatorName()).isEqualTo("A-01");
        assertThat(i.attributes()).containsExactly("red", "large");

        KiboRefreshItem byUpc = new KiboItemValidator("upc")
                .validate(item("SKU-1", 7, null, null, null))
                .item();
        assertThat(byUpc.upc()).isEqualTo("0123456789012");
        assertThat(byUpc.sku()).isNull();
        KiboRefreshItem byPart = new KiboItemValidator("part_number")
                .validate(item("SKU-1", 7, null, null, null))
                .item();
        assertThat(byPart.partNumber()).isEqualTo("PN-1");
    }

    @Test
    void everyBrokenRuleIsAReason() {
        String longLocator = "L".repeat(51);
        String tooManyAttributes = String.join("|", Collections.nCopies(64, "a"));
        KiboItemValidator.Result result = bySku.validate(new KiboSourceItem(
                " ", null, null, -1, "x", "1.5", "0", longLocator, "abc", "USD", "soon", tooManyAttributes));
        assertThat(result.valid()).isFalse();
        assertThat(result.item()).isNull();
        assertThat(result.reasons())
                .containsExactlyInAnyOrder(
                        "sku is empty (the job sends items by sku)",
                        "quantity must be >= 0, was -1",
                        "bin_id must be >= 1, was 0",
                        "floor is not a whole number: '1.5'",
                        "safety_stock is not a whole number: 'x'",
                        "currency_id is not a whole number: 'USD'",
                        "retail_price is not a number: 'abc'",
                        "ltd is not a number: 'soon'",
                        "inventory_locator is longer than 50 characters (51)",
                        "more than 63 attributes (64)");
    }

    @Test
    void limitsAreInclusive() {
        String locator = "L".repeat(50);
        String attributes = String.join("|", Collections.nCopies(63, "a"));
        assertThat(bySku.validate(item("S", 0, "1", locator, attributes)).valid())
                .isTrue();
    }

    @Test
    void theChosenIdentifierMustBePresentEvenWhenOthersAre() {
        KiboItemValidator byUpc = new KiboItemValidator("upc");
        KiboItemValidator.Result result = byUpc.validate(KiboSourceItem.of("SKU-1", 5));
        assertThat(result.valid()).isFalse();
        assertThat(result.reasonText()).isEqualTo("upc is empty (the job sends items by upc)");
    }

    @Test
    void validatedItemsMakeARequestTheContractAccepts() {
        List<KiboRefreshItem> items = List.of(
                bySku.validate(item("SKU-1", 7, "3", "A-01", "red|large")).item(),
                bySku.validate(KiboSourceItem.of("SKU-2", 0)).item());
        String body = JsonMapper.builder().build().writeValueAsString(new KiboRefreshRequest("Main DC", items));
        assertThat(body).doesNotContain("null").contains("\"binID\":3").contains("\"currencyID\":840");

        // The file's two unquoted descriptions (", " in a flow mapping) make the parser report stray keys; the schemas
        // are intact.
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        OpenAPI api = new OpenAPIParser()
                .readLocation(Path.of("contracts", "kibo-oms.yaml").toUri().toString(), null, options)
                .getOpenAPI();
        assertThat(api).isNotNull();
        OpenApiInteractionValidator contract =
                OpenApiInteractionValidator.createFor(api).build();
        Request request = SimpleRequest.Builder.post("/api/v5/inventory/refresh")
                .withContentType("application/json")
                .withAuthorization("Bearer test")
                .withBody(body)
                .build();
        ValidationReport report = contract.validateRequest(request);
        assertThat(report.getMessages()).isEmpty();
    }
}
