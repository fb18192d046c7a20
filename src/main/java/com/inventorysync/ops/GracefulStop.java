package com.inventorysync.ops;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Stops this process's running jobs when the process is asked to end (SIGTERM, e.g. from
 * systemd or a deploy): the job stops at its next chunk boundary, the sends already out are
 * answered and recorded, and the execution ends STOPPED, to be continued by
 * {@code restart --last-failed}. The application context waits for that (at most
 * {@code inventory-sync.shutdown.grace}, 60 s by default) before it closes the database pool.
 * Past the grace period the process ends as if killed, which the restart also recovers from.
 *
 * <p>The command that ran the job then still has to say what came of it (the stopped execution's
 * summary, the command that restarts it): when a job was stopped, the context's close also waits,
 * within the same grace, until the command running through {@link #command} has returned, for the
 * JVM ends as soon as its shutdown hook does.
 */
@Component
public class GracefulStop implements SmartLifecycle, JobExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final Set<JobExecution> running = ConcurrentHashMap.newKeySet();
    /** Commands still running, whose outcome is not printed yet; guarded by {@code running}. */
    private int commands;

    private final JobOperator jobOperator;
    private final Duration grace;
    private volatile boolean started;

    public GracefulStop(JobOperator jobOperator, ShutdownProperties shutdown) {
        this.jobOperator = jobOperator;
        this.grace = shutdown.grace();
    }

    @Override
    public void beforeJob(JobExecution execution) {
        running.add(execution);
    }

    @Override
    public void afterJob(JobExecution execution) {
        synchronized (running) {
            running.remove(execution);
            running.notifyAll();
        }
    }

    /**
     * Runs a command of this process (its launch and the printing of its outcome); on SIGTERM,
     * {@link #stop()} waits for it to return before the context closes.
     */
    public <T> T command(Supplier<T> command) {
        synchronized (running) {
            commands++;
        }
        try {
            return command.get();
        } finally {
            synchronized (running) {
                commands--;
                running.notifyAll();
            }
        }
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** Stopped first when the context closes, while the database pool is still open. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void stop() {
        started = false;
        if (running.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (JobExecution execution : running) {
            log.warn(
                    "shutting down: stopping execution {} at its next chunk boundary (waiting up to {} s)",
                    execution.getId(),
                    grace.toSeconds());
            try {
                jobOperator.stop(execution);
            } catch (Exception e) {
                log.warn("execution {} could not be asked to stop: {}", execution.getId(), e.toString());
            }
        }
        boolean stopped = awaitUntil(deadline, running::isEmpty);
        if (stopped && !awaitUntil(deadline, () -> commands == 0)) {
            log.warn("the command did not print its outcome within {} s", grace.toSeconds());
        }
        for (JobExecution execution : running) {
            log.warn(
                    "execution {} did not stop within {} s; restart --last-failed recovers it",
                    execution.getId(),
                    grace.toSeconds());
        }
    }

    /** Waits until {@code done} holds or the deadline passes; whether it holds. */
    private boolean awaitUntil(long deadline, BooleanSupplier done) {
        synchronized (running) {
            try {
                for (long left = deadline - System.nanoTime();
                        !done.getAsBoolean() && left > 0;
                        left = deadline - System.nanoTime()) {
                    running.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return done.getAsBoolean();
        }
    }
}
