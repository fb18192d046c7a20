package com.inventorysync.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Sends log events of WARN and above to standard error and the rest to standard output, so that a scheduler (cron
 * mail, systemd, Kubernetes) can tell problems from progress. Spring Boot's console appender, as Boot set it up
 * (pattern or structured {@code ecs}/{@code logstash} JSON, threshold, charset), keeps the lower levels; a twin that
 * shares its encoder, masking included, takes the rest. No logback file is needed, so every
 * {@code logging.*} property keeps working.
 */
public final class ConsoleStreams implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {
    static final String CONSOLE = "CONSOLE";
    static final String ERRORS = "CONSOLE_ERRORS";

    @Override
    public int getOrder() {
        // after Boot configured logging and SecretMaskingLogging wrapped the encoders
        return LoggingApplicationListener.DEFAULT_ORDER + 2;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            split(context);
        }
    }

    static void split(LoggerContext context) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> appender = root.getAppender(CONSOLE);
        if (!(appender instanceof ConsoleAppender<ILoggingEvent> console) || root.getAppender(ERRORS) != null) {
            return;
        }
        ConsoleAppender<ILoggingEvent> errors = new ConsoleAppender<>();
        errors.setContext(context);
        errors.setName(ERRORS);
        errors.setTarget("System.err");
        errors.setEncoder(console.getEncoder());
        console.getCopyOfAttachedFiltersList().forEach(errors::addFilter);
        ThresholdFilter warnAndAbove = new ThresholdFilter();
        warnAndAbove.setLevel(Level.WARN.levelStr);
        warnAndAbove.start();
        errors.addFilter(warnAndAbove);
        errors.start();
        console.addFilter(new BelowWarn());
        root.addAppender(errors);
        SecretMaskingLogging.maskAllAppenders(context);
    }

    /** Lets only events below WARN through. */
    static final class BelowWarn extends Filter<ILoggingEvent> {
        BelowWarn() {
            start();
        }

        @Override
        public FilterReply decide(ILoggingEvent event) {
            return event.getLevel().isGreaterOrEqual(Level.WARN) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
