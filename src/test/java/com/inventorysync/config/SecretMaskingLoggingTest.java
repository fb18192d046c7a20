package com.inventorysync.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Wrapped appenders write the same text as before, with secrets masked in messages and in printed stack traces. */
class SecretMaskingLoggingTest {

    @Test
    void messagesAndStackTracesAreMaskedAndOtherwiseUnchanged() {
        ByteArrayOutputStream plainBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream maskedBytes = new ByteArrayOutputStream();
        Logger plain = logger(new LoggerContext(), plainBytes);
        LoggerContext wrapped = new LoggerContext();
        Logger masked = logger(wrapped, maskedBytes);
        Secrets.register("configured-key-5150");
        SecretMaskingLogging.maskAllAppenders(wrapped);
        SecretMaskingLogging.maskAllAppenders(wrapped);

        for (Logger logger : new Logger[] {plain, masked}) {
            logger.info("sending with key configured-key-5150");
            logger.info("nothing secret here: 42 updates");
            logger.error(
                    "call failed",
                    new IllegalStateException(
                            "refused", new RuntimeException("echoed header Authorization: Bearer tok-ABCDEF123456")));
        }
        String before = plainBytes.toString(StandardCharsets.UTF_8);
        String after = maskedBytes.toString(StandardCharsets.UTF_8);
        assertThat(before)
                .as("the fault is real: without the wrapper the secrets are printed ")
                .contains("configured-key-5150")
                .contains("tok-ABCDEF123456");
        assertThat(after)
                .doesNotContain("configured-key-5150")
                .doesNotContain("tok-ABCDEF123456")
                .contains("sending with key ****")
                .contains("Authorization: Bearer ****")
                .contains("java.lang.IllegalStateException: refused")
                .contains("at com.inventorysync.config.SecretMaskingLoggingTest");
        assertThat(after.lines().filter(l -> l.contains("nothing secret")))
                .containsExactlyElementsOf(
                        before.lines().filter(l -> l.contains("nothing secret")).toList());
        var encoder = ((OutputStreamAppender<ILoggingEvent>) masked.getAppender("out")).getEncoder();
        assertThat(encoder).isInstanceOf(SecretMaskingLogging.MaskingEncoder.class);
        assertThat(((SecretMaskingLogging.MaskingEncoder) encoder).delegate())
                .as("wrapped once, not twice")
                .isInstanceOf(PatternLayoutEncoder.class);
    }

    private static Logger logger(LoggerContext context, ByteArrayOutputStream sink) {
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%logger %level %msg%n%ex");
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setName("out");
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(sink);
        appender.start();
        Logger logger = context.getLogger("wire");
        logger.setAdditive(false);
        logger.addAppender(appender);
        return logger;
    }
}
