package org.kinora.core.jobs;

/** Does one kind of job. Must be idempotent: a job may run again after a crash. */
public interface JobHandler {
    String kind();

    /**
     * Does the work. Throwing means "try again later"; a permanent failure (bad input) should be
     * recorded by the handler and return normally.
     */
    void run(Job job, JobContext context) throws Exception;

    /** Called once when the job has used all its attempts. */
    void onDeadLetter(Job job, String lastError);
}
