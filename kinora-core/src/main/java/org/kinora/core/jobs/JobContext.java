package org.kinora.core.jobs;

/** What a running job may ask of its worker. */
public interface JobContext {
    /** The id of the worker running the job, for logs. */
    String workerId();
}
