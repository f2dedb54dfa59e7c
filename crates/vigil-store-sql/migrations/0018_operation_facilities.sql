-- A facility's page lists the operations planned from it
-- (OperationsStore::operations with a facility). Append-only migrations:
-- never edit this file.
CREATE INDEX operation_facilities_facility ON operation_facilities(facility_id, operation_id);
