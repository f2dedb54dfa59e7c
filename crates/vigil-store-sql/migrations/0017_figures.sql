-- The campaign's figures (FiguresStore::figure_counts) read only these
-- columns: covering indexes in time order, so counting by day and province
-- streams an index instead of reading every tip's text or every custody
-- event's JSON. Append-only migrations: never edit this file.
CREATE INDEX tips_received_province ON tips(received_at, province_code);
CREATE INDEX facilities_first_province ON facilities(first_at, province_code);
CREATE INDEX custody_seizures ON custody_entries(step, at, item_id);
CREATE INDEX seized_items_operation_kind ON seized_items(id, operation_id, kind);
CREATE INDEX person_records_figures
    ON person_records(created_at, province_code, person_id, role, nationality, likely_victim, referred);
