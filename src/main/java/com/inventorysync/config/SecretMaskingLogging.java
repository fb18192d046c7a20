package com.inventorysync.config;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Masks secrets in everything Logback writes, whichever logger wrote it (the HTTP clients' wire and header loggers
 * included) and whatever Spring Boot set up (console, file, structured): right after Boot configures logging, every
 * output appender's encoder is wrapped so that each finished line, stack trace included, passes through
 * {@link Secrets#redact}. The configured secrets are registered first; tokens are registered as they are issued.
 */
public final class SecretMaskingLogging implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    static final List<String> SECRET_PROPERTIES = List.of(
            "inventory-sync.omni.subscription-key",
            "inventory-sync.kibo.client-secret",
            "inventory-sync.shipedge.key",
            "inventory-sync.newstore.client-secret",
            "spring.datasource.password");

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        registerConfiguredSecrets(event.getEnvironment());
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            maskAllAppenders(context);
        }
    }

    static void registerConfiguredSecrets(ConfigurableEnvironment environment) {
        for (String property : SECRET_PROPERTIES) {
            Secrets.register(environment.getProperty(property));
        }
    }

    static void maskAllAppenders(LoggerContext context) {
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof OutputStreamAppender<ILoggingEvent> output
                        && output.getEncoder() != null
                        && !(output.getEncoder() instanceof MaskingEncoder)) {
                    MaskingEncoder masking = new MaskingEncoder(output.getEncoder());
                    masking.setContext(context);
                    masking.start();
                    output.setEncoder(masking);
                }
            }
        }
    }

    /** Encodes as the wrapped encoder does, then masks the text; the look of the output is unchanged. */
    static final class MaskingEncoder extends EncoderBase<ILoggingEvent> {
        private final Encoder<ILoggingEvent> delegate;
        private final Charset charset;

        MaskingEncoder(Encoder<ILoggingEvent> delegate) {
            this.delegate = delegate;
            Charset declared =
                    delegate instanceof LayoutWrappingEncoder<ILoggingEvent> layout ? layout.getCharset() : null;
            this.charset = declared != null
                    ? declared
                    : delegate instanceof LayoutWrappingEncoder<?> ? Charset.defaultCharset() : StandardCharsets.UTF_8;
        }

        Encoder<ILoggingEvent> delegate() {
            return delegate;
        }

        @Override
        public byte[] headerBytes() {
            return masked(delegate.headerBytes());
        }

        @Override
        public byte[] encode(ILoggingEvent event) {
            return masked(delegate.encode(event));
        }

        @Override
        public byte[] footerBytes() {
            return masked(delegate.footerBytes());
        }

        private byte[] masked(byte[] bytes) {
            if (bytes == null || bytes.length == 0) {
                return bytes;
            }
            String text = new String(bytes, charset);
            String redacted = Secrets.redact(text);
            return redacted.equals(text) ? bytes : redacted.getBytes(charset);
        }
    }
}
