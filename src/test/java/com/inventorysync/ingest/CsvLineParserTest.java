package com.inventorysync.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CsvLineParserTest {

    @Test
    void splitsAtCommasKeepingEmptyFieldsAtEitherEnd() throws Exception {
        assertThat(CsvLineParser.parse("A,WH,1")).containsExactly("A", "WH", "1");
        assertThat(CsvLineParser.parse(",WH,")).containsExactly("", "WH", "");
        assertThat(CsvLineParser.parse("A")).containsExactly("A");
    }

    @Test
    void quotedFieldsHoldCommasAndDoubledQuotes() throws Exception {
        assertThat(CsvLineParser.parse("\"SKU,COMMA\",WH,\"8\"")).containsExactly("SKU,COMMA", "WH", "8");
        assertThat(CsvLineParser.parse("\"12\"\" PIPE\",WH,1")).containsExactly("12\" PIPE", "WH", "1");
        assertThat(CsvLineParser.parse("\"\",WH,\"\"")).containsExactly("", "WH", "");
        assertThat(CsvLineParser.parse("A,\"WH\",")).containsExactly("A", "WH", "");
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsText() throws Exception {
        assertThat(CsvLineParser.parse("PIPE-12\",WH,1")).containsExactly("PIPE-12\"", "WH", "1");
    }

    @Test
    void aQuoteTheLineNeverClosesIsAnErrorNamingFieldAndColumn() {
        assertThatThrownBy(() -> CsvLineParser.parse("\"TEE-NEW-1,WH-00,4,,"))
                .isInstanceOf(CsvLineParser.MalformedLineException.class)
                .hasMessageStartingWith("unbalanced quote: field 1 opens a quote at column 1");
        assertThatThrownBy(() -> CsvLineParser.parse("A,WH,\"4"))
                .hasMessageStartingWith("unbalanced quote: field 3 opens a quote at column 6");
        assertThatThrownBy(() -> CsvLineParser.parse("A,\"WH\"\"")).hasMessageStartingWith("unbalanced quote: field 2");
    }

    @Test
    void textAfterAClosingQuoteIsAnError() {
        assertThatThrownBy(() -> CsvLineParser.parse("\"A\"x,WH,1"))
                .isInstanceOf(CsvLineParser.MalformedLineException.class)
                .hasMessageStartingWith("misplaced quote: field 1 has text after its closing quote at column 3");
    }

    @Test
    void anUnparseableLineIsSplitLenientlyToTellItsKey() {
        assertThat(CsvLineParser.splitLeniently("\"TEE-NEW-1,WH-00,4,,"))
                .containsExactly("TEE-NEW-1", "WH-00", "4", "", "");
    }
}
