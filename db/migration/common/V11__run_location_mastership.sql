-- A location whose inventory another system masters (NewStore stores): its updates are not sent.
alter table sync_run_location add column mastered_elsewhere boolean default false not null;
