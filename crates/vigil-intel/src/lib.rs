//! vigil-intel
