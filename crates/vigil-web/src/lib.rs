//! vigil-web
