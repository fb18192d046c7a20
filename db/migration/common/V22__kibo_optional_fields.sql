-- The optional Kibo item fields a snapshot may carry (safety stock, floor, bin, locator, price,
-- currency, ltd, attributes), as the file has them: validated when requests are built.
-- kibo_snapshot_field: staged per run from the snapshot's rows at Kibo locations; dropped once the
-- run's requests are built. kibo_request_item keeps each item's copy, so that a request is rebuilt
-- from its own rows when it is posted (again).
create table kibo_snapshot_field (
    run_id            bigint        not null,
    location          varchar(100)  not null,
    sku               varchar(100)  not null,
    safety_stock      varchar(40),
    floor_quantity    varchar(40),
    bin_id            varchar(40),
    inventory_locator varchar(200),
    retail_price      varchar(40),
    currency_id       varchar(40),
    ltd               varchar(40),
    attributes        varchar(4000)
);
create index kibo_snapshot_field_run on kibo_snapshot_field (run_id, location);

alter table kibo_request_item add column safety_stock varchar(40);
alter table kibo_request_item add column floor_quantity varchar(40);
alter table kibo_request_item add column bin_id varchar(40);
alter table kibo_request_item add column inventory_locator varchar(200);
alter table kibo_request_item add column retail_price varchar(40);
alter table kibo_request_item add column currency_id varchar(40);
alter table kibo_request_item add column ltd varchar(40);
alter table kibo_request_item add column attributes varchar(4000);
