package com.inventorysync.oms.omni;

import static com.inventorysync.oms.omni.DeltaReadBack.Verdict.APPLIED;
import static com.inventorysync.oms.omni.DeltaReadBack.Verdict.CANNOT_TELL;
import static com.inventorysync.oms.omni.DeltaReadBack.Verdict.NOT_APPLIED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeltaReadBackTest {
    @Test
    void aCountThatMovedByTheDeltaWasApplied() {
        assertThat(DeltaReadBack.judge(10, 5, 15)).isEqualTo(APPLIED);
        assertThat(DeltaReadBack.judge(10, -4, 6)).isEqualTo(APPLIED);
        assertThat(DeltaReadBack.judge(null, 3, 3)).isEqualTo(APPLIED);
    }

    @Test
    void aCountThatDidNotMoveWasNotApplied() {
        assertThat(DeltaReadBack.judge(10, 5, 10)).isEqualTo(NOT_APPLIED);
        assertThat(DeltaReadBack.judge(null, 5, null)).isEqualTo(NOT_APPLIED);
        assertThat(DeltaReadBack.judge(null, 5, 0)).isEqualTo(NOT_APPLIED);
        assertThat(DeltaReadBack.judge(0, 5, null)).isEqualTo(NOT_APPLIED);
    }

    @Test
    void aCountMovedBySomethingElseCannotBeJudged() {
        assertThat(DeltaReadBack.judge(10, 5, 14)).isEqualTo(CANNOT_TELL);
        assertThat(DeltaReadBack.judge(10, -4, 9)).isEqualTo(CANNOT_TELL);
        assertThat(DeltaReadBack.judge(10, 5, null)).isEqualTo(CANNOT_TELL);
        assertThat(DeltaReadBack.judge(0, 5, 2)).isEqualTo(CANNOT_TELL);
    }
}
