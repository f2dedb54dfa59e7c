//! Counts by place and assignments: read and written by `vigil_store_sql`.
