//! Facilities and their tips: read and written by `vigil_store_sql`.
