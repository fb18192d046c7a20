-- Partitioned plan and send (docs/scaling.md): each location belongs to one partition of the run,
-- or to none when it is split over every partition by a hash of the SKU.
alter table sync_run_location add column partition_no int;
-- The partition an update is planned and sent in; 0 when the run is not partitioned.
alter table planned_update add column partition_no int default 0 not null;

-- How many partitions a run was planned in: the send step's partitions are the same, on every restart.
create table run_partitioning (
    run_id     bigint primary key,
    partitions int    not null
);

-- Remote workers say they are alive while they run a partition; a partition whose worker stops
-- beating is failed by the manager, so that a restart runs it again.
create table partition_worker (
    step_execution_id bigint primary key,
    worker            varchar(200) not null,
    started_at        timestamp    not null,
    heartbeat_at      timestamp    not null
);
