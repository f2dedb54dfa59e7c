//! vigil-screening
