//! vigil-store
