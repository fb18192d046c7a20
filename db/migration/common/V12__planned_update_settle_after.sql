-- When an update of unknown outcome may be read back: the OMS is assumed to apply no request
-- later than the settle time after it was sent (inventory-sync.http.settle-time).
alter table planned_update add column settle_after timestamp;
