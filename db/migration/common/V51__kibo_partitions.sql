-- Partitioned Kibo send (docs/kibo.md#partitioned-send): each refresh request belongs to one
-- partition of the run's kiboSend step; 0 when the send is not partitioned. A request that
-- re-posts the rest of a refused one (replaces_id) stays in the refused one's partition.
alter table kibo_request add column partition_no int default 0 not null;

-- How many partitions a run's kiboSend has: assigned once, kept for every restart of the run.
create table kibo_partitioning (
    run_id     bigint primary key,
    partitions int    not null
);
