package com.inventorysync.ingest;

import java.util.List;

/**
 * One chunk of the ingest step: a block of a snapshot's lines, validated.
 *
 * @param lines how many lines of the file the block holds (blank lines aside)
 * @param staged its staged rows already written as COPY text, or null when rows are inserted one by
 *     one (a database other than PostgreSQL)
 * @param rows the rejected rows, and the staged ones when {@code staged} is null
 */
public record IngestBlock(int lines, StagedText staged, List<IngestedRow> rows) {}
