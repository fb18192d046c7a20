package com.inventorysync.ops;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 */
@Component
public class GracefulStop implements SmartLifecycle, JobExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final Set<JobExecution> running = ConcurrentHashMap.newKeySet();
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
            log.warn("shutting down: stopping execution {} at its next chunk boundary (waiting up to {} s)", execution.getId(),
                    grace.toSeconds());
            try {
                jobOperator.stop(execution);
            } catch (Exception e) {
                log.warn("execution {} could not be asked to stop: {}", execution.getId(), e.toString());
            }
        }
        synchronized (running) {
            try {
                for (long left = deadline - System.nanoTime(); !running.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
                    running.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (JobExecution execution : running) {
            log.warn("execution {} did not stop within {} s; restart --last-failed recovers it", execution.getId(), grace.toSeconds());
        }
    }
}
