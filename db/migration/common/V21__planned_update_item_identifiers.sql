-- A Kibo item may be identified by its UPC or part number instead of its SKU. The Kibo plan copies
-- them from the staged snapshot row into the planned update, in the one pass that plans it, so
-- that building and sending requests never has to look the snapshot row up again.
alter table planned_update add column upc varchar(100);
alter table planned_update add column part_number varchar(100);
