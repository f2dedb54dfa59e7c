//! vigil-extract
