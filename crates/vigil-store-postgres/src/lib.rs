//! vigil-store-postgres
