package com.inventorysync.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.MDC;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Puts the run into every log line written while a job runs: the job's name ({@code job}) and the execution id
 * ({@code execution}) in the logging MDC, from {@code beforeJob} to {@code afterJob}. The console pattern shows them as
 * {@code [nightly#42]}; structured logging ({@code ecs}, {@code logstash}) writes them as fields. A job run inside
 * another (reconciliation as a sync's last step) gives the outer run its keys back when it ends. Threads a step starts
 * carry the keys when their tasks are wrapped with {@link #carrying}.
 */
public final class RunLogContext implements JobExecutionListener {
    public static final String JOB = "job";
    public static final String EXECUTION = "execution";

    private final Function<JobExecution, String> jobName;
    /** What the MDC held before each execution began, to put back when it ends. */
    private final Map<Long, Map<String, String>> before = new ConcurrentHashMap<>();

    /** @param jobName the job's name as operators know it (the job file's {@code name}) */
    public RunLogContext(Function<JobExecution, String> jobName) {
        this.jobName = jobName;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        before.put(execution.getId(), previous == null ? Map.of() : previous);
        String name = null;
        try {
            name = jobName.apply(execution);
        } catch (RuntimeException e) {
            // an unreadable job file fails the run in its first step, which says why; the log lines still carry the id
        }
        MDC.put(JOB, name != null ? name : execution.getJobInstance().getJobName());
        MDC.put(EXECUTION, Long.toString(execution.getId()));
    }

    @Override
    public void afterJob(JobExecution execution) {
        Map<String, String> previous = before.remove(execution.getId());
        if (previous == null || previous.isEmpty()) {
            MDC.remove(JOB);
            MDC.remove(EXECUTION);
        } else {
            MDC.setContextMap(previous);
        }
    }

    /** The task, run with the MDC of the thread that wraps it (a step's worker threads log as the run's). */
    public static Runnable carrying(Runnable task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context == null) {
            return task;
        }
        return () -> {
            Map<String, String> own = MDC.getCopyOfContextMap();
            MDC.setContextMap(context);
            try {
                task.run();
            } finally {
                if (own == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(own);
                }
            }
        };
    }
}
