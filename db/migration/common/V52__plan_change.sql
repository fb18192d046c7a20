-- A partitioned plan compares the snapshot with the last-synced positions once, for every partition,
-- and keeps the changes here until each partition has written its share into planned_update (the
-- partition of a change follows its location, sync_run_location.partition_no, or its SKU's hash).
-- Logged, like planned_update: a partition that fails or is restarted after a database crash finds its share.
create table plan_change (
    run_id         bigint       not null,
    target         varchar(20)  not null,
    sku            varchar(100) not null,
    location       varchar(100) not null,
    change_kind    varchar(10)  not null,
    quantity_type  varchar(10)  not null,
    quantity       integer      not null,
    new_count      integer      not null,
    previous_count integer
);
